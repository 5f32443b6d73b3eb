import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { confinedRealPath, InputError } from '@deploy-suite/kit';
import { compileWildmatch, excludedBy, WildmatchError } from '@deploy-suite/kit';

/**
 * What goes in a folder's bundle, as the EB CLI decides it when the project has a `.ebignore`
 * (ebcli/core/fileoperations.py: get_ebignore_list, _zipdir): every file is matched on its own
 * against the whole `.ebignore`, so a `!` line re-includes files under an excluded folder. Left out
 * whatever `.ebignore` says, as the EB CLI does: the `.ebignore` itself, editor backups ending in
 * `~`, and anything in a folder whose path contains `.elasticbeanstalk`. Left out by this action on
 * top: `.git` (at any depth), which holds the checkout's credentials and differs between clones.
 *
 * `relativePath` is relative to the bundled folder, with `/` separators.
 */
export function bundleFilter(ebignore: string | undefined): (relativePath: string) => boolean {
  const rules = compileEbignore(ebignore ?? '');
  return (relativePath) => !alwaysLeftOut(relativePath) && !excludedBy(rules, relativePath);
}

function alwaysLeftOut(path: string): boolean {
  const slash = path.lastIndexOf('/');
  const folder = slash < 0 ? '' : path.slice(0, slash);
  return (
    path === '.ebignore' ||
    path.endsWith('~') ||
    folder.includes('.elasticbeanstalk') ||
    path.split('/').includes('.git')
  );
}

function compileEbignore(text: string): ReturnType<typeof compileWildmatch> {
  try {
    return compileWildmatch(text);
  } catch (err) {
    if (!(err instanceof WildmatchError)) throw err;
    throw new InputError('deployment-package', `has a .ebignore the EB CLI cannot read: ${err.message}`);
  }
}

/**
 * The folder's `.ebignore` as the EB CLI reads it (UTF-8, a byte-order mark kept as part of the
 * first line), or undefined when there is no such file. A link is read only while it stays inside
 * the allowed roots: its lines end up in error messages.
 */
export async function readEbignore(folder: string, roots: readonly string[]): Promise<string | undefined> {
  const path = join(folder, '.ebignore');
  let real: string | undefined;
  try {
    if (!(await stat(path)).isFile()) return undefined; // the EB CLI checks os.path.isfile
    real = confinedRealPath(path, roots);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (real === undefined) {
    throw new InputError(
      'deployment-package',
      'has a .ebignore that links outside the workspace (GITHUB_WORKSPACE) and RUNNER_TEMP',
    );
  }
  const bytes = await readFile(real);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new InputError('deployment-package', 'has a .ebignore that is not UTF-8 text');
  }
}
