/**
 * Which old versions a `keep-versions: N` input deletes, for every action that prunes what it
 * created (Elastic Beanstalk application versions, SageMaker models and endpoint configurations).
 * Pure: the action lists what exists and what is in use, this decides, the action deletes.
 */

import type { InputReader } from './inputs';

/** `keep-versions`: how many of the newest versions an action keeps; 0 keeps every version. */
export const KEEP_VERSIONS = Object.freeze({ min: 0, max: 1000 });

/** `keep-versions`, read with the same limits and words in every action that prunes. */
export function readKeepVersions(read: InputReader): number {
  return read.int('keep-versions', KEEP_VERSIONS);
}

/** Something an action created, with its creation time in epoch milliseconds. */
export interface Dated {
  readonly created: number;
}

/** Newest first; items created at the same time keep their order. */
export function newestFirst<T extends Dated>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.created - a.created);
}

/**
 * Names to delete so that at most `keep` versions remain besides the protected ones: the newest
 * `keep` stay, and of the older ones every protected one (deployed somewhere, the rollback target,
 * in use) stays too. Oldest first. 0 keeps everything.
 */
export function planPrune(
  versions: readonly (Dated & { readonly label: string })[],
  keep: number,
  protect: ReadonlySet<string>,
): string[] {
  if (keep <= 0) return [];
  return newestFirst(versions)
    .slice(keep)
    .filter((v) => !protect.has(v.label))
    .map((v) => v.label)
    .reverse();
}
