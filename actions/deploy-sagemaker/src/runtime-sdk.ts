/**
 * The SageMaker Runtime SDK, loaded on first use: only a run with `smoke-test-payload` invokes the
 * endpoint, so ncc puts what only this import() reaches into a chunk of its own in dist/, which
 * other runs never load or parse (as logs-sdk.ts does for CloudWatch Logs).
 */
export function loadRuntimeSdk(): Promise<typeof import('@aws-sdk/client-sagemaker-runtime')> {
  return import('@aws-sdk/client-sagemaker-runtime');
}
