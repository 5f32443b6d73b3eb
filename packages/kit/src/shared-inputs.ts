import type { InputReader } from './inputs';

/**
 * The inputs every action that waits on AWS shares, read one way everywhere: the same names, the
 * same limits, the same words in action.yml. An action reads them through these functions, so a
 * change of limit or spelling is made once.
 */

/** `timeout-minutes`: fractions allowed, so a short test deadline and a 6-hour job both fit. */
export const TIMEOUT_MINUTES = Object.freeze({ min: 0.1, max: 360 });

export function readTimeout(read: InputReader): number {
  return read.minutes('timeout-minutes', TIMEOUT_MINUTES);
}

/**
 * `wait`, or the name it had before it was made the same in every action. The old name has no
 * default in action.yml (so setting it is the only way it is non-empty) and a deprecationMessage,
 * so the runner itself warns whoever still uses it; it keeps working for one major version.
 */
export function readWait(read: InputReader, formerName?: string): boolean {
  if (formerName !== undefined && read.optional(formerName) !== undefined) return read.bool(formerName);
  return read.bool('wait');
}
