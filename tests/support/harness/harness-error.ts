/** A problem with how the harness was asked to run an action (not a failure of the action). */
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
}
