import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ignore from 'ignore';

/** Never bundled: version-control metadata is not part of the application and changes every clone. */
const ALWAYS_LEFT_OUT = ['.git/'];

/**
 * Which files of a folder go in the bundle: everything except what `.ebignore` (gitignore syntax,
 * as the EB CLI reads it) leaves out. Paths are relative with `/` separators.
 */
export function bundleFilter(ebignore: string | undefined): (relativePath: string) => boolean {
  const rules = ignore().add(ALWAYS_LEFT_OUT);
  if (ebignore !== undefined) rules.add(ebignore);
  return (relativePath) => !rules.ignores(relativePath);
}

/** The folder's `.ebignore`, or undefined when it has none. */
export async function readEbignore(folder: string): Promise<string | undefined> {
  try {
    return await readFile(join(folder, '.ebignore'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
