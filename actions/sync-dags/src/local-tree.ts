import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { confinedRealPath } from '@deploy-suite/kit';
import type { PathFilter } from './filters';

/** A file found by the walk; its size and MD5 come from one read of it (hashLocalFiles). */
export interface LocalFile {
  /** Relative to the DAGs folder, `/`-separated: the object key without the prefix. */
  path: string;
  absolutePath: string;
}

/** A symbolic link the walk did not follow, and why. */
export interface SkippedLink {
  path: string;
  reason: 'outside' | 'dangling';
}

export interface LocalTree {
  /** Every file `include` / `exclude` keep, sorted by path. */
  files: LocalFile[];
  /** The text of every .airflowignore met, by the folder holding it ('' for the root). */
  ignoreFiles: Map<string, string>;
  /** Files `include` / `exclude` left out. */
  excluded: number;
  skippedLinks: SkippedLink[];
}

export interface ScanOptions {
  filter: PathFilter;
  /** Real folders a link may lead into (the workspace and RUNNER_TEMP); links leaving them are not followed. */
  roots: readonly string[];
}

export const IGNORE_FILE = '.airflowignore';

/**
 * Walks the whole DAGs folder: every file is part of what MWAA imports, whatever .airflowignore
 * says (it only decides what Airflow parses, judged later by AirflowIgnore). A symbolic link is
 * followed while it leads inside the allowed roots (`dags/common -> ../lib` in a monorepo) and
 * skipped otherwise; a folder reached twice (a link back up the tree) is walked once. Only links
 * and folders are stat-ed: a file's size is taken when it is read for its hash.
 */
export async function scanLocalTree(root: string, options: ScanOptions): Promise<LocalTree> {
  const tree: LocalTree = { files: [], ignoreFiles: new Map(), excluded: 0, skippedLinks: [] };
  const visited = new Set<string>();

  const walk = async (folder: string): Promise<void> => {
    const absoluteFolder = folder === '' ? root : join(root, folder);
    const real = await realIdentity(absoluteFolder);
    if (visited.has(real)) return;
    visited.add(real);
    const entries = await readdir(absoluteFolder, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // One folder's link targets at once: awaited one by one, many links would be slow.
    const kinds = await Promise.all(
      entries.map((entry) => kindOf(entry, join(absoluteFolder, entry.name), options.roots)),
    );
    for (const [index, entry] of entries.entries()) {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      const kind = kinds[index];
      if (kind === undefined) continue;
      if (kind === 'outside' || kind === 'dangling') {
        tree.skippedLinks.push({ path, reason: kind });
        continue;
      }
      const absolutePath = join(absoluteFolder, entry.name);
      if (kind.directory) {
        await walk(path);
        continue;
      }
      if (entry.name === IGNORE_FILE) tree.ignoreFiles.set(folder, await readFile(absolutePath, 'utf8'));
      if (options.filter.keeps(path)) tree.files.push({ path, absolutePath });
      else tree.excluded++;
    }
  };

  await walk('');
  tree.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return tree;
}

interface Kind {
  directory: boolean;
}

/** What an entry is; a link is followed (one stat) only while it leads inside the roots. */
async function kindOf(
  entry: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean },
  path: string,
  roots: readonly string[],
): Promise<Kind | 'outside' | 'dangling' | undefined> {
  if (entry.isFile()) return { directory: false };
  if (entry.isDirectory()) return { directory: true };
  if (!entry.isSymbolicLink()) return undefined; // a socket, a device, ...
  let info;
  try {
    info = await stat(path);
  } catch {
    return 'dangling';
  }
  if (confinedRealPath(path, roots) === undefined) return 'outside';
  if (info.isDirectory()) return { directory: true };
  if (info.isFile()) return { directory: false };
  return undefined; // a link to a socket, a device, ...
}

async function realIdentity(path: string): Promise<string> {
  const info = await stat(path);
  return `${info.dev}:${info.ino}`;
}
