import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError } from './errors';

export type PathKind = 'file' | 'directory' | 'file or directory';

/**
 * Resolves a path input against the workspace and checks it exists as the kind expected, so a
 * typo fails before anything in AWS changes.
 */
export function existingPath(input: string, value: string, kind: PathKind, base = process.cwd()): string {
  const path = isAbsolute(value) ? value : resolve(base, value);
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new InputError(input, `must name an existing ${kind}; '${value}' does not exist`);
  }
  const ok = kind === 'file' ? stat.isFile() : kind === 'directory' ? stat.isDirectory() : true;
  if (!ok) throw new InputError(input, `must name a ${kind}; '${value}' is not one`);
  return path;
}
