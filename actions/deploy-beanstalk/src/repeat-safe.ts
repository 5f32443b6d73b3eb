/**
 * Mutating calls that are safe to repeat. When a call reaches AWS but its answer is lost (a
 * dropped connection, a proxy timing out), the SDK sends it again and the second call fails
 * because the first one worked: CreateApplicationVersion says the version already exists,
 * UpdateEnvironment that the environment is in an invalid state (busy with the update the first
 * call started). Reading the state back tells our own change from someone else's.
 */

/**
 * Runs `call`; when it fails, `readBack` looks at what AWS holds and returns what the call would
 * have answered when the state shows the call's own effect, throws a named error when it shows
 * someone else's, or returns undefined to let the original error stand.
 */
export async function repeatSafe<T>(
  call: () => Promise<T>,
  readBack: (err: unknown) => Promise<T | undefined>,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const settled = await readBack(err);
    if (settled === undefined) throw err;
    return settled;
  }
}

function messageMatches(err: unknown, pattern: RegExp): boolean {
  return err instanceof Error && pattern.test(err.message);
}

/** CreateApplicationVersion's InvalidParameterValue "Application Version <label> already exists." */
export function isVersionExists(err: unknown): boolean {
  return messageMatches(err, /Application Version .* already exists/i);
}

/** UpdateEnvironment's InvalidParameterValue "Environment named <name> is in an invalid state for this operation. Must be Ready." */
export function isInvalidState(err: unknown): boolean {
  return messageMatches(err, /invalid state/i);
}
