import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addRelease } from './changelog';
import type { ReleaseConfig } from './config';
import type { Git } from './git';
import { releaseTag } from './history';
import type { Log } from './log';
import type { PlannedRelease } from './plan';
import { formatVersion } from './semver';
import { smokeTestBundle } from './verify-dist';

export interface VersionContext {
  readonly git: Git;
  readonly config: ReleaseConfig;
  readonly log: Log;
}

/** Writes the new version into package.json, keeping the file's layout otherwise. */
export function withPackageVersion(packageJson: string, version: string): string {
  const data = JSON.parse(packageJson) as Record<string, unknown>;
  data['version'] = version;
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** Identity flags for release commits and tags, used only where git has none configured. */
function identityArgs(ctx: VersionContext): string[] {
  const configured = ctx.git.tryRun(['config', 'user.email'])?.trim();
  if (configured !== undefined && configured !== '') return [];
  return ['-c', `user.name=${ctx.config.identity.name}`, '-c', `user.email=${ctx.config.identity.email}`];
}

/**
 * Turns planned releases into one release commit on the monorepo branch: versions, changelogs and
 * freshly built, smoke-tested bundles, with an `<action>/vX.Y.Z` tag per action. Branch and tags
 * are pushed in one atomic push, so a release is either fully recorded or not at all.
 */
export function versionActions(ctx: VersionContext, plans: readonly PlannedRelease[]): void {
  const { config, git } = ctx;
  for (const plan of plans) {
    const dir = join(config.root, 'actions', plan.action);
    const version = formatVersion(plan.next);
    const packageFile = join(dir, 'package.json');
    writeFileSync(packageFile, withPackageVersion(readFileSync(packageFile, 'utf8'), version));
    const changelogFile = join(dir, 'CHANGELOG.md');
    const current = existsSync(changelogFile) ? readFileSync(changelogFile, 'utf8') : undefined;
    writeFileSync(changelogFile, addRelease(current, plan.action, plan.next, config.date, plan.entries).text);
  }

  const names = plans.map((plan) => plan.action);
  try {
    rebuildAndVerify(ctx, names);
  } catch (err) {
    // Leave the checkout as it was, so a fixed source can simply be released again.
    const touched = names.flatMap(releaseFiles);
    git.tryRun(['checkout', 'HEAD', '--', ...touched]);
    git.tryRun(['clean', '-fdq', '--', ...touched]);
    throw err;
  }
  commitAndTag(ctx, plans);
}

function rebuildAndVerify(ctx: VersionContext, names: readonly string[]): void {
  const { config, log } = ctx;
  log.group(`Rebuild dist: ${names.join(', ')}`, () => {
    execFileSync(join(config.root, 'node_modules', '.bin', 'tsx'), ['scripts/build-dist.ts', ...names], {
      cwd: config.root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  });
  for (const name of names) {
    const problem = smokeTestBundle(config.node, join(config.root, 'actions', name));
    if (problem !== undefined) throw new Error(`actions/${name}/dist failed its smoke test: ${problem}`);
    log.info(`${name}: rebuilt dist loads and rejects missing inputs with an ::error::`);
  }
}

/** What a release commit changes for one action. */
function releaseFiles(action: string): string[] {
  return ['package.json', 'CHANGELOG.md', 'dist'].map((path) => `actions/${action}/${path}`);
}

function commitAndTag(ctx: VersionContext, plans: readonly PlannedRelease[]): void {
  const { config, git, log } = ctx;
  const identity = identityArgs(ctx);
  git.run(['add', '--force', '--', ...plans.flatMap((plan) => releaseFiles(plan.action))]);
  const title = plans.map((plan) => `${plan.action} v${formatVersion(plan.next)}`).join(', ');
  git.run([...identity, 'commit', '--quiet', '--no-verify', '-m', `chore(release): ${title}`]);
  const tags = plans.map((plan) => {
    const tag = releaseTag(plan.action, plan.next);
    git.run([
      ...identity,
      'tag',
      '--annotate',
      tag,
      '--message',
      `${plan.action} v${formatVersion(plan.next)}`,
    ]);
    return tag;
  });
  try {
    git.run([
      'push',
      '--atomic',
      '--quiet',
      config.monorepoRemote,
      `HEAD:refs/heads/${config.branch}`,
      ...tags.map((t) => `refs/tags/${t}`),
    ]);
  } catch (err) {
    // Local tags that never reached the remote would hide these releases from the next run.
    for (const tag of tags) git.tryRun(['tag', '--delete', tag]);
    throw new Error(
      `pushing the release commit and ${tags.join(', ')} to ${config.monorepoRemote}/${config.branch} failed ` +
        `(did ${config.branch} move? the next run releases from its new tip): ${(err as Error).message}`,
    );
  }
  log.notice(`Released ${title} (${tags.join(', ')})`);
}
