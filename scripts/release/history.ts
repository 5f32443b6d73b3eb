import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Git } from './git';
import type { ActionHistory, CommitInfo } from './plan';
import { highestVersion, parseVersion, type Version } from './semver';

export function listActions(root: string): string[] {
  const dir = join(root, 'actions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter(
      (name) => existsSync(join(dir, name, 'action.yml')) && existsSync(join(dir, name, 'package.json')),
    )
    .sort();
}

export function releaseTag(action: string, version: Version): string {
  return `${action}/v${version.major}.${version.minor}.${version.patch}`;
}

/** Versions released so far: the monorepo's `<action>/vX.Y.Z` tags. */
export function releasedVersions(git: Git, action: string): Version[] {
  return git
    .run(['tag', '--list', `${action}/v*`])
    .split('\n')
    .map((tag) => parseVersion(tag.trim().slice(`${action}/v`.length)))
    .filter((version): version is Version => version !== undefined);
}

export function readPackageVersion(root: string, action: string): Version {
  const file = join(root, 'actions', action, 'package.json');
  const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
  const parsed = typeof version === 'string' ? parseVersion(version) : undefined;
  if (parsed === undefined) throw new Error(`${file}: version must be X.Y.Z; got ${JSON.stringify(version)}`);
  return parsed;
}

const RECORD = '\x1e';
const FIELD = '\x1f';

/** Commits after `since` (all of history without it), newest first, each with the files it touched. */
export function commitsSince(git: Git, since: string | undefined): CommitInfo[] {
  const range = since === undefined ? ['HEAD'] : [`${since}..HEAD`];
  const output = git.run([
    'log',
    '--no-merges',
    '--name-only',
    `--format=${RECORD}%H${FIELD}%B${FIELD}`,
    ...range,
  ]);
  return output
    .split(RECORD)
    .slice(1)
    .map((record) => {
      const [sha = '', message = '', files = ''] = record.split(FIELD);
      return {
        sha,
        message: message.trim(),
        files: files
          .split('\n')
          .map((file) => file.trim())
          .filter((file) => file !== ''),
      };
    });
}

export function readActionHistory(git: Git, root: string, action: string): ActionHistory {
  const lastRelease = highestVersion(releasedVersions(git, action));
  return {
    action,
    lastRelease,
    packageVersion: readPackageVersion(root, action),
    commits: commitsSince(git, lastRelease === undefined ? undefined : releaseTag(action, lastRelease)),
  };
}
