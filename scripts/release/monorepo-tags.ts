import type { ReleaseConfig } from './config';
import { parseLsRemote, type Git } from './git';
import { releasedVersions, releaseTag } from './history';
import type { Log } from './log';
import { movingTagTargets, type Version } from './semver';

export interface MonorepoTagContext {
  readonly git: Git;
  readonly config: Pick<ReleaseConfig, 'monorepoRemote'>;
  readonly log: Log;
}

/**
 * The moving tags of one action in this repository, for `uses: <owner>/<repo>/actions/<action>@<action>/v1`:
 * `<action>/vX` and `<action>/vX.Y`, each to the release tag it should point at (the highest
 * `<action>/vX.Y.Z` of its line).
 */
export function monorepoMovingTags(action: string, released: Iterable<Version>): Map<string, string> {
  const tags = new Map<string, string>();
  for (const [tag, version] of movingTagTargets(released))
    tags.set(`${action}/${tag}`, releaseTag(action, version));
  return tags;
}

/**
 * Moves this repository's `<action>/vX` and `<action>/vX.Y` to the action's latest releases on the
 * monorepo remote. Only tags that are missing or point elsewhere are pushed (forced: they move by
 * design); a `<action>/vX.Y.Z` release tag is never touched. Returns the tags it moved.
 */
export function moveMonorepoTags(ctx: MonorepoTagContext, action: string): string[] {
  const { git, config, log } = ctx;
  const wanted = monorepoMovingTags(action, releasedVersions(git, action));
  if (wanted.size === 0) return [];
  const remote = parseLsRemote(
    git.run(['ls-remote', '--tags', config.monorepoRemote, `refs/tags/${action}/*`]),
  );
  const stale: string[] = [];
  for (const [tag, target] of wanted) {
    const commit = git.run(['rev-parse', `${target}^{commit}`]).trim();
    if (remote.get(`refs/tags/${tag}`) !== commit) {
      git.run(['tag', '--force', tag, commit]);
      stale.push(tag);
    }
  }
  if (stale.length === 0) return [];
  git.run([
    'push',
    '--atomic',
    '--quiet',
    config.monorepoRemote,
    ...stale.map((tag) => `+refs/tags/${tag}:refs/tags/${tag}`),
  ]);
  log.notice(
    `${action}: moved ${stale.map((tag) => `${tag}→${wanted.get(tag) ?? '?'}`).join(', ')} in this repository`,
  );
  return stale;
}
