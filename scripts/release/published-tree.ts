import { parseActionManifest } from './action-manifest';
import type { Git } from './git';

export interface PublishedFile {
  /** Path in the action's own repository. */
  readonly path: string;
  readonly content: Buffer;
}

/**
 * What `uses: org/<action>@vX` needs and nothing else, read from the monorepo's release tag:
 * action.yml, the bundled dist/, README.md, CHANGELOG.md and the repository's LICENSE.
 */
export function publishedFiles(git: Git, tag: string, action: string): PublishedFile[] {
  const prefix = `actions/${action}/`;
  const listed = git
    .run([
      'ls-tree',
      '-r',
      '-z',
      '--name-only',
      tag,
      '--',
      ...['action.yml', 'dist', 'README.md', 'CHANGELOG.md'].map((p) => prefix + p),
      'LICENSE',
    ])
    .split('\0')
    .filter((path) => path !== '');
  const files = listed.map((source) => ({
    path: source.startsWith(prefix) ? source.slice(prefix.length) : source,
    content: git.bytes(['cat-file', 'blob', `${tag}:${source}`]),
  }));
  const paths = new Set(files.map((file) => file.path));
  const manifest = files.find((file) => file.path === 'action.yml');
  if (manifest === undefined) throw new Error(`${tag} has no ${prefix}action.yml`);
  if (!paths.has('LICENSE')) throw new Error(`${tag} has no LICENSE at the repository root`);
  for (const entry of parseActionManifest(manifest.content.toString('utf8')).entryPoints) {
    if (!paths.has(entry))
      throw new Error(`${tag}: action.yml runs ${entry}, which is not committed under ${prefix}`);
  }
  return files;
}
