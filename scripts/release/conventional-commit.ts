import type { Bump } from './semver';

export interface ConventionalCommit {
  readonly type: string;
  readonly scope: string | undefined;
  readonly breaking: boolean;
  readonly subject: string;
}

/** How a commit shows in a changelog; `undefined` for commits users need not hear about. */
export type EntryKind = 'breaking' | 'feature' | 'fix' | 'other';

export interface CommitImpact {
  readonly bump: Bump | undefined;
  readonly kind: EntryKind | undefined;
  readonly scope: string | undefined;
  readonly subject: string;
}

const HEADER = /^([a-zA-Z]+)(?:\(([^()\r\n]+)\))?(!)?: +(\S.*)$/;
const BREAKING_FOOTER = /^BREAKING[ -]CHANGE: /m;

export function parseConventionalCommit(message: string): ConventionalCommit | undefined {
  const [header = '', ...rest] = message.trim().split('\n');
  const match = HEADER.exec(header.trim());
  if (match === null) return undefined;
  return {
    type: (match[1] ?? '').toLowerCase(),
    scope: match[2]?.trim(),
    breaking: match[3] === '!' || BREAKING_FOOTER.test(rest.join('\n')),
    subject: (match[4] ?? '').trim(),
  };
}

const PATCH_TYPES = new Set(['fix', 'perf', 'revert']);

/**
 * What a commit that changed an action's shipped code does to its version. `feat` is a minor
 * release, `fix`/`perf`/`revert` a patch, `!` or a BREAKING CHANGE footer a major one; other
 * conventional types (chore, refactor, docs, test, build, ci, style) release nothing and ride
 * along with the next release. A message that is not a conventional commit cannot say what it
 * changed, so it is treated as a fix: shipped code changed, and users should get it.
 */
export function commitImpact(message: string): CommitImpact {
  const commit = parseConventionalCommit(message);
  if (commit === undefined) {
    const subject = message.trim().split('\n')[0] ?? '';
    return { bump: 'patch', kind: 'other', scope: undefined, subject };
  }
  const { scope, subject } = commit;
  if (commit.breaking) return { bump: 'major', kind: 'breaking', scope, subject };
  if (commit.type === 'feat') return { bump: 'minor', kind: 'feature', scope, subject };
  if (PATCH_TYPES.has(commit.type)) return { bump: 'patch', kind: 'fix', scope, subject };
  return { bump: undefined, kind: undefined, scope, subject };
}
