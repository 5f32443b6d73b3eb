/**
 * The MWAA SDK, loaded on first use. Most runs name no MWAA environment: ncc puts what only this
 * import() reaches into a chunk of its own in dist/, so those runs never load or parse it.
 */
export function loadMwaaSdk(): Promise<typeof import('@aws-sdk/client-mwaa')> {
  return import('@aws-sdk/client-mwaa');
}
