import { commitImpact, type EntryKind } from './conventional-commit';
import { touchesShippedCode } from './shipped-paths';
import { bumpVersion, firstReleaseVersion, largerBump, type Bump, type Version } from './semver';

export interface CommitInfo {
  readonly sha: string;
  readonly message: string;
  readonly files: readonly string[];
}

export interface ActionHistory {
  readonly action: string;
  /** The highest `<action>/vX.Y.Z` tag in the monorepo; undefined before the first release. */
  readonly lastRelease: Version | undefined;
  readonly packageVersion: Version;
  /** Every commit after the last release (or all of them before the first), newest first. */
  readonly commits: readonly CommitInfo[];
}

export interface ReleaseEntry {
  readonly kind: EntryKind;
  readonly scope: string | undefined;
  readonly subject: string;
  readonly sha: string;
}

export interface PlannedRelease {
  readonly action: string;
  readonly previous: Version | undefined;
  readonly next: Version;
  readonly bump: Bump | 'first';
  readonly entries: readonly ReleaseEntry[];
}

/** The next release of one action, or undefined when nothing it ships changed in a releasing way. */
export function planRelease(history: ActionHistory): PlannedRelease | undefined {
  let bump: Bump | undefined;
  const entries: ReleaseEntry[] = [];
  for (const commit of history.commits) {
    if (!touchesShippedCode(history.action, commit.files)) continue;
    const impact = commitImpact(commit.message);
    bump = largerBump(bump, impact.bump);
    if (impact.kind !== undefined) {
      entries.push({ kind: impact.kind, scope: impact.scope, subject: impact.subject, sha: commit.sha });
    }
  }
  if (history.lastRelease === undefined) {
    const next = firstReleaseVersion(history.packageVersion);
    return { action: history.action, previous: undefined, next, bump: 'first', entries };
  }
  if (bump === undefined) return undefined;
  return {
    action: history.action,
    previous: history.lastRelease,
    next: bumpVersion(history.lastRelease, bump),
    bump,
    entries,
  };
}
