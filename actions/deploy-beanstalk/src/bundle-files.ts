import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isWithin, type Log, type ZipEntry } from '@deploy-suite/kit';

/**
 * The files of a folder that go in its bundle, each under its path relative to the folder.
 * Links are followed only while they stay inside `roots` (the workspace and RUNNER_TEMP): a link
 * to a file there is bundled as that file's bytes, a link to a folder there is walked like a
 * folder. A link that leads outside them, nowhere, or back into a folder it sits in is left out
 * with a warning naming it, unless `keep` leaves its own path out anyway. Each file, also one
 * reached through a linked folder, is kept or not on its own path. Sockets, pipes and devices
 * are never bundled (the EB CLI skips sockets too). Folders hold no entry of their own, so empty
 * folders are not in the bundle, as with the EB CLI.
 */
export async function bundleFiles(
  root: string,
  keep: (relativePath: string) => boolean,
  roots: readonly string[],
  log: Log,
): Promise<ZipEntry[]> {
  const files: ZipEntry[] = [];
  const walk = async (folder: string, prefix: string, ancestors: ReadonlySet<string>): Promise<void> => {
    for (const child of await readdir(folder, { withFileTypes: true })) {
      const name = `${prefix}${child.name}`;
      const path = join(folder, child.name);
      if (child.isFile()) {
        if (keep(name)) files.push({ name, source: path });
      } else if (child.isDirectory()) {
        await walk(path, `${name}/`, new Set([...ancestors, path]));
      } else if (child.isSymbolicLink()) {
        const target = await followLink(path, roots, ancestors);
        if (typeof target === 'string') {
          // A link the .ebignore leaves out is no loss worth a warning.
          if (keep(name)) log.warning(`Left ${name} out of the bundle: it is a link that ${target}`);
        } else if (target.kind === 'file') {
          if (keep(name)) files.push({ name, source: target.real });
        } else {
          await walk(target.real, `${name}/`, new Set([...ancestors, target.real]));
        }
      }
    }
  };
  const real = await realpath(root);
  await walk(real, '', new Set([real]));
  return files;
}

type LinkTarget = { kind: 'file' | 'folder'; real: string } | string;

/** Where a link leads, or why it is not followed. */
async function followLink(
  path: string,
  roots: readonly string[],
  ancestors: ReadonlySet<string>,
): Promise<LinkTarget> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return 'leads nowhere';
  }
  if (!isWithin(real, roots)) return 'leads outside the workspace (GITHUB_WORKSPACE) and RUNNER_TEMP';
  const info = await stat(real);
  if (info.isFile()) return { kind: 'file', real };
  if (!info.isDirectory()) return 'leads to neither a file nor a folder';
  if ([...ancestors].some((folder) => isWithin(folder, [real]))) return 'leads back into a folder it is in';
  return { kind: 'folder', real };
}
