import type { FailureStatus } from './status';

/**
 * Three kinds of failure, shown three ways: the user's input (one line, no stack), the service's
 * deployment (one line, then the evidence), and everything else (a bug: full stack).
 */

/** The user's fault: names the input and what is accepted. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly input: string,
    readonly why: string,
  ) {
    super(`Input '${input}' ${why}`);
  }
}

/**
 * The deployment failed in AWS; `reasons` is the evidence (events, stopped-task reasons, health
 * causes). `status` says how it ended, as a typed word of the suite's vocabulary (./status), so no
 * layer above reads it back out of the message.
 */
export class DeployFailed extends Error {
  override readonly name = 'DeployFailed';
  constructor(
    message: string,
    readonly reasons: readonly string[] = [],
    readonly status: FailureStatus = 'failed',
  ) {
    super(message);
  }
}

/** A wait reached its deadline; says what it was waiting for and what it last saw. */
export class DeadlineExceeded extends DeployFailed {
  constructor(what: string, minutes: number, lastSeen: string | undefined, reasons: readonly string[] = []) {
    super(
      `Timed out after ${formatMinutes(minutes)} waiting for ${what}` +
        (lastSeen ? `; last seen: ${lastSeen}` : ''),
      reasons,
    );
  }
}

/**
 * The runner cancelled the step (SIGINT or SIGTERM). Not a failure of the service: what was in
 * flight goes on in AWS, and the action says what it was and how to finish or undo it.
 */
export class Cancelled extends Error {
  override readonly name = 'Cancelled';
  constructor(readonly signal: string) {
    super(`Cancelled by the runner (${signal})`);
  }
}

/** An AWS call got no answer within its deadline, its retries included. */
export class CallTimedOut extends Error {
  override readonly name = 'CallTimedOut';
  constructor(
    readonly call: string,
    readonly seconds: number,
  ) {
    super(`${call} got no answer within ${seconds} s (retries included)`);
  }
}

function formatMinutes(minutes: number): string {
  return minutes === 1 ? '1 minute' : `${Number(minutes.toFixed(2))} minutes`;
}

const THROTTLE_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

/** True for AWS throttling errors, whatever the protocol spelled them as. */
export function isThrottling(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as {
    name?: unknown;
    Code?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  for (const code of [e.name, e.Code, e.code]) {
    if (typeof code === 'string' && THROTTLE_CODES.has(code)) return true;
  }
  return e.$metadata?.httpStatusCode === 429;
}

/** The error's message, whatever was thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
