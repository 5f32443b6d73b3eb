import * as core from '@actions/core';
import { cancelRun } from './cancellation';
import { CallTimedOut, Cancelled, DeployFailed, InputError, messageOf } from './errors';
import type { Env } from './inputs';
import { plainText } from './report';
import { attachedResult, publishResult, resultOfFailure, type ActionResult, type ResultSink } from './result';
import { redact } from './secrets';

export interface RunSpec {
  /** The action's name, as its summary's first line says it. */
  action: string;
  /**
   * The action's work. It returns the result to publish (nothing: a step that reports nothing, as
   * a post step), or throws; a failure thrown `withResult(err, result)` still publishes its result.
   */
  main: () => Promise<ActionResult | void>;
}

/**
 * The one wrapper around every action's work, and the one place its outputs and job summary are
 * written, from the result main returns or its failure carries; a failure that carries none still
 * gets a summary saying what stopped the run. The user's mistakes, a service's failures, AWS's
 * refusals and a cancel are expected outcomes and get one clear line (plus the evidence for a
 * failed deployment); anything else is a bug in the action, and its stack is shown when the run
 * is debugged.
 */
export async function run(spec: RunSpec, sink?: ResultSink): Promise<void> {
  const stopListening = cancelOnSignals();
  try {
    const result = await spec.main();
    if (result) await publish(spec.action, result, sink);
  } catch (err) {
    await publish(spec.action, attachedResult(err) ?? resultOfFailure(spec.action, err), sink);
    reportFailure(err);
  } finally {
    stopListening();
  }
}

/** A summary that cannot be written is a warning: the step's own verdict must still come out. */
async function publish(action: string, result: ActionResult, sink: ResultSink | undefined): Promise<void> {
  try {
    await publishResult(action, result, sink);
  } catch (err) {
    core.warning(`The outputs or the job summary could not be written: ${messageOf(err)}`);
  }
}

/**
 * How long a cancelled step may take to report before it leaves on its own: the runner sends
 * SIGTERM 7.5 s after SIGINT and kills the step soon after, so the report must be out well before.
 */
export const CANCEL_GRACE_MS = 5_000;

export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
}

/**
 * The runner's cancel (SIGINT, then SIGTERM 7.5 s later) becomes an abort of the run: calls and
 * waits end at once, and the action's failure path reports what was in flight. Without this the
 * process would vanish on the first signal, printing nothing. A second signal, or a report still
 * running after CANCEL_GRACE_MS, ends the process.
 */
export function cancelOnSignals(
  source: SignalSource = process,
  exit: (code: number) => void = (code) => process.exit(code),
  log: (line: string) => void = core.info,
): () => void {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    received++;
    if (received > 1) return exit(1);
    log(`Received ${signal}: the run is being cancelled; no new change is started`);
    cancelRun(signal);
    setTimeout(() => exit(1), CANCEL_GRACE_MS).unref();
  };
  source.on('SIGINT', onSignal);
  source.on('SIGTERM', onSignal);
  return () => {
    source.off('SIGINT', onSignal);
    source.off('SIGTERM', onSignal);
  };
}

type FailureLog = Pick<typeof core, 'setFailed' | 'info'>;

export function reportFailure(err: unknown, log: FailureLog = core, env: Env = process.env): void {
  if (err instanceof DeployFailed) {
    log.setFailed(redact(err.message));
    for (const reason of err.reasons) log.info(plainText(`  ${redact(reason)}`));
    return;
  }
  const known = expectedFailure(err);
  if (known !== undefined) {
    log.setFailed(redact(known));
    return;
  }
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  if (isDebugged(env)) {
    log.setFailed(redact(text));
    return;
  }
  log.setFailed(
    `${redact(messageOf(err))} (an error in the action: re-run with debug logging for its stack)`,
  );
}

/** The one line for a failure that is not the action's fault, or undefined for a bug. */
function expectedFailure(err: unknown): string | undefined {
  if (err instanceof InputError || err instanceof Cancelled || err instanceof CallTimedOut) {
    return err.message;
  }
  if (isMissingCredentials(err)) return NO_CREDENTIALS;
  // An answer from AWS (access denied, a limit, a refused value) is AWS's word, not a bug.
  if (err instanceof Error && typeof (err as { $metadata?: unknown }).$metadata === 'object') {
    return err.message;
  }
  return undefined;
}

export const NO_CREDENTIALS =
  'No AWS credentials were found. Add a step with aws-actions/configure-aws-credentials before this one ' +
  '(role-to-assume for OIDC), and give the job `permissions: id-token: write` so it can ask GitHub for a token.';

/** The SDK's word for "no provider in the chain had credentials". */
function isMissingCredentials(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'CredentialsProviderError' ||
    /Could not load credentials from any providers/.test(err.message)
  );
}

/** Debug logging, as the runner sets it on a re-run with debug or by the ACTIONS_STEP_DEBUG secret. */
function isDebugged(env: Env): boolean {
  return env.RUNNER_DEBUG === '1' || env.ACTIONS_STEP_DEBUG === 'true';
}
