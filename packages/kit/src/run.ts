import * as core from '@actions/core';
import { DeployFailed, InputError } from './errors';
import { redact } from './secrets';

/**
 * The one wrapper around every action's work. The user's mistakes and a service's failures are
 * expected outcomes and get one clear line (plus the evidence for a failed deployment); anything
 * else is a bug in the action and shows its stack.
 */
export async function run(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    reportFailure(err);
  }
}

export function reportFailure(
  err: unknown,
  log: Pick<typeof core, 'setFailed' | 'error' | 'info'> = core,
): void {
  if (err instanceof InputError) {
    log.setFailed(err.message);
    return;
  }
  if (err instanceof DeployFailed) {
    log.setFailed(redact(err.message));
    for (const reason of err.reasons) log.info(`  ${redact(reason)}`);
    return;
  }
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  log.setFailed(redact(text));
}
