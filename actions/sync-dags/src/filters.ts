import minimatch from 'minimatch';

export interface PathFilter {
  /** True when the `include` / `exclude` globs keep the path (relative to the DAGs folder, `/`-separated). */
  keeps(path: string): boolean;
}

const OPTIONS = { dot: true, matchBase: true } as const;

/**
 * `include` and `exclude` globs. A pattern without a `/` matches a name at any depth (`*.sql`);
 * one ending in `/` means everything below that folder. A pattern matching a folder covers its
 * contents, so `exclude: tests` leaves out `tests/` whole. Empty `include` keeps every path.
 */
export function createPathFilter(include: readonly string[], exclude: readonly string[]): PathFilter {
  const includes = include.map(compile);
  const excludes = exclude.map(compile);
  if (includes.length === 0 && excludes.length === 0) return { keeps: () => true };
  return {
    keeps(path) {
      const candidates = selfAndFolders(path);
      const included = includes.length === 0 || includes.some((m) => candidates.some((c) => m.match(c)));
      return included && !excludes.some((m) => candidates.some((c) => m.match(c)));
    },
  };
}

function compile(pattern: string): minimatch.IMinimatch {
  const trimmed = pattern.replace(/^\.\//, '');
  return new minimatch.Minimatch(trimmed.endsWith('/') ? `${trimmed}**` : trimmed, OPTIONS);
}

function selfAndFolders(path: string): string[] {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = parts.length; i >= 1; i--) out.push(parts.slice(0, i).join('/'));
  return out;
}
