/**
 * The CloudWatch Logs SDK, loaded on first use: only a failed deploy reads the endpoint's log
 * lines, so ncc puts what only this import() reaches into a chunk of its own in dist/, which a
 * successful run never loads or parses.
 */
export function loadLogsSdk(): Promise<typeof import('@aws-sdk/client-cloudwatch-logs')> {
  return import('@aws-sdk/client-cloudwatch-logs');
}
