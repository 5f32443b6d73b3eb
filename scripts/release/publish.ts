import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ReleaseConfig } from './config';
import { publicationRemote } from './config';
import { authConfigArgs, Git, parseLsRemote } from './git';
import { releaseTag } from './history';
import type { Log } from './log';
import { publishedFiles } from './published-tree';
import { formatVersion, movingTagTargets, parseVersion, type Version } from './semver';

export interface PublishContext {
  /** The monorepo; its `<action>/vX.Y.Z` tags are what gets published. */
  readonly git: Git;
  readonly config: ReleaseConfig;
  readonly log: Log;
}

export interface PublishOutcome {
  readonly action: string;
  readonly version: Version;
  /** True when this run created the vX.Y.Z tag in the action's repository. */
  readonly published: boolean;
  /** Moving tags (vX, vX.Y) this run created or moved. */
  readonly moved: readonly string[];
}

interface RemoteState {
  readonly hasMain: boolean;
  /** Tag name (without refs/tags/) to the commit it points at. */
  readonly tags: ReadonlyMap<string, string>;
}

function readRemote(git: Git, url: string): RemoteState {
  const refs = parseLsRemote(git.run(['ls-remote', url]));
  const tags = new Map<string, string>();
  for (const [ref, sha] of refs)
    if (ref.startsWith('refs/tags/')) tags.set(ref.slice('refs/tags/'.length), sha);
  return { hasMain: refs.has('refs/heads/main'), tags };
}

function publishedVersions(tags: ReadonlyMap<string, string>): Map<string, Version> {
  const versions = new Map<string, Version>();
  for (const tag of tags.keys()) {
    const version = tag.startsWith('v') ? parseVersion(tag.slice(1)) : undefined;
    if (version !== undefined) versions.set(tag, version);
  }
  return versions;
}

function identityArgs(config: ReleaseConfig): string[] {
  return ['-c', `user.name=${config.identity.name}`, '-c', `user.email=${config.identity.email}`];
}

/**
 * Makes the action's own repository serve `version`: a commit on its main branch holding exactly
 * the published tree, tagged vX.Y.Z, and vX / vX.Y moved to the highest version of their line.
 * An existing vX.Y.Z is never rewritten (the push of it is not forced, and it is not attempted
 * when the tag exists); a run with nothing to change touches nothing.
 */
export function publishAction(ctx: PublishContext, action: string, version: Version): PublishOutcome {
  const { config, git, log } = ctx;
  const url = publicationRemote(config, action);
  const remoteGit = new Git(config.root, authConfigArgs(url, config.token));
  const remote = readRemote(remoteGit, url);
  const versionTag = `v${formatVersion(version)}`;
  const needsVersion = !remote.tags.has(versionTag);

  const versions = publishedVersions(remote.tags);
  versions.set(versionTag, version);
  const targets = [...movingTagTargets(versions.values())].map(([tag, target]) => ({
    tag,
    target: `v${formatVersion(target)}`,
  }));
  const stale = targets.filter(({ tag, target }) => {
    const current = remote.tags.get(tag);
    const wanted = remote.tags.get(target);
    return current === undefined || wanted === undefined || current !== wanted;
  });
  if (!needsVersion && stale.length === 0) {
    log.info(`${action}: ${versionTag} already published at ${url}; moving tags in place`);
    return { action, version, published: false, moved: [] };
  }

  const workdir = mkdtempSync(join(tmpdir(), `publish-${action}-`));
  try {
    remoteGit.run(['clone', '--quiet', url, workdir]);
    const clone = remoteGit.withConfig(workdir);
    if (needsVersion) {
      const files = publishedFiles(git, releaseTag(action, version), action);
      if (!files.some((file) => file.path === 'README.md'))
        log.warning(`${action}: publishing without a README.md`);
      if (remote.hasMain) clone.run(['checkout', '--quiet', '-B', 'main', 'origin/main']);
      else clone.run(['symbolic-ref', 'HEAD', 'refs/heads/main']);
      clone.run(['rm', '-r', '--quiet', '--cached', '--ignore-unmatch', '.']);
      for (const entry of clone
        .run(['ls-files', '--others', '-z'])
        .split('\0')
        .filter((p) => p !== '')) {
        rmSync(join(workdir, entry), { force: true });
      }
      for (const file of files) {
        mkdirSync(dirname(join(workdir, file.path)), { recursive: true });
        writeFileSync(join(workdir, file.path), file.content);
      }
      clone.run(['add', '--all', '--force', '.']);
      const source = git.run(['rev-parse', `${releaseTag(action, version)}^{commit}`]).trim();
      const message = `${action} ${versionTag}\n\nBuilt from ${releaseTag(action, version)} (${source}).`;
      clone.run([
        ...identityArgs(config),
        'commit',
        '--quiet',
        '--allow-empty',
        '--no-verify',
        '-m',
        message,
      ]);
      clone.run([
        ...identityArgs(config),
        'tag',
        '--annotate',
        versionTag,
        '--message',
        `${action} ${versionTag}`,
      ]);
    }
    for (const { tag, target } of stale) clone.run(['tag', '--force', tag, `${target}^{commit}`]);
    const refspecs = [
      ...(needsVersion ? ['refs/heads/main', `refs/tags/${versionTag}`] : []),
      // Only the moving tags are forced; a vX.Y.Z that appeared meanwhile rejects the whole push.
      ...stale.map(({ tag }) => `+refs/tags/${tag}:refs/tags/${tag}`),
    ];
    clone.run(['push', '--atomic', '--quiet', 'origin', ...refspecs]);
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
  const moved = stale.map(({ tag, target }) => `${tag}→${target}`);
  log.notice(
    `${action}: ${needsVersion ? `published ${versionTag}` : `${versionTag} was already published`} to ${url}` +
      (moved.length > 0 ? `; moved ${moved.join(', ')}` : ''),
  );
  return { action, version, published: needsVersion, moved: stale.map(({ tag }) => tag) };
}
