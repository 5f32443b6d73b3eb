import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from './errors';
import type { Env } from './inputs';

export type PathKind = 'file' | 'directory' | 'file or directory';

/**
 * The folders an action may read from: the workspace (the checkout) and the runner's temporary
 * folder (users build bundles and contexts into `runner.temp`). Both are resolved through their
 * own links, so a path's real location can be compared with them. Outside a runner the workspace
 * is the current folder.
 */
export function allowedRoots(env: Env = process.env, base = process.cwd()): string[] {
  const roots = [env.GITHUB_WORKSPACE?.trim() || base, env.RUNNER_TEMP?.trim()];
  const real: string[] = [];
  for (const root of roots) {
    if (!root) continue;
    try {
      real.push(realpathSync(root));
    } catch {
      // A root that does not exist holds nothing to read.
    }
  }
  return real;
}

/** True when `realPath` (already resolved through its links) is one of `roots` or lies below one. */
export function isWithin(realPath: string, roots: readonly string[]): boolean {
  return roots.some((root) => {
    const rel = relative(root, realPath);
    return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
  });
}

/**
 * Where a path really leads when it stays inside the allowed roots; undefined when it, or a link
 * on the way to it, leaves them. Walkers (DAG folders, bundles) use this for every link they meet:
 * a link inside the checkout (`dags/common -> ../lib`) is followed, one to `/etc` is not.
 */
export function confinedRealPath(path: string, roots: readonly string[]): string | undefined {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return undefined;
  }
  return isWithin(real, roots) ? real : undefined;
}

/**
 * Resolves a path input against the workspace, checks it exists as the kind expected, and refuses
 * it when it (or a link on the way) leads outside the workspace and RUNNER_TEMP, so a typo or a
 * hostile value fails before anything in AWS changes. Returns the path as given, resolved (not
 * the link's target), so names the user sees stay the user's.
 */
export function existingPath(
  input: string,
  value: string,
  kind: PathKind,
  base: string,
  roots: readonly string[],
): string {
  const path = isAbsolute(value) ? value : resolve(base, value);
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new InputError(input, `must name an existing ${kind}; '${value}' does not exist`);
  }
  if (confinedRealPath(path, roots) === undefined) {
    throw new InputError(
      input,
      `must name a ${kind} inside the workspace (GITHUB_WORKSPACE) or RUNNER_TEMP; '${value}' leads outside them`,
    );
  }
  const ok = kind === 'file' ? stat.isFile() : kind === 'directory' ? stat.isDirectory() : true;
  if (!ok) throw new InputError(input, `must name a ${kind}; '${value}' is not one`);
  return path;
}
