/** The X.Y.Z versions an action is released under; pre-releases are not part of this scheme. */
export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export type Bump = 'major' | 'minor' | 'patch';

const PLAIN_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function parseVersion(text: string): Version | undefined {
  const match = PLAIN_VERSION.exec(text.trim());
  if (match === null) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

export function formatVersion(version: Version): string {
  return `${version.major}.${version.minor}.${version.patch}`;
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function highestVersion(versions: Iterable<Version>): Version | undefined {
  let best: Version | undefined;
  for (const version of versions)
    if (best === undefined || compareVersions(version, best) > 0) best = version;
  return best;
}

export function bumpVersion(version: Version, bump: Bump): Version {
  switch (bump) {
    case 'major':
      return { major: version.major + 1, minor: 0, patch: 0 };
    case 'minor':
      return { major: version.major, minor: version.minor + 1, patch: 0 };
    case 'patch':
      return { major: version.major, minor: version.minor, patch: version.patch + 1 };
  }
}

const BUMP_RANK: Record<Bump, number> = { patch: 1, minor: 2, major: 3 };

export function largerBump(a: Bump | undefined, b: Bump | undefined): Bump | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return BUMP_RANK[a] >= BUMP_RANK[b] ? a : b;
}

/**
 * Users pin `@v1`, so an action's first public release is at least 1.0.0: a 0.x package version
 * (the state before anything was published) becomes 1.0.0, a higher one is kept as it is.
 */
export function firstReleaseVersion(packageVersion: Version): Version {
  return packageVersion.major >= 1 ? packageVersion : { major: 1, minor: 0, patch: 0 };
}

/**
 * Where each moving tag should point, given every version published: `vX` at the highest X.*.*,
 * `vX.Y` at the highest X.Y.*.
 */
export function movingTagTargets(published: Iterable<Version>): Map<string, Version> {
  const targets = new Map<string, Version>();
  for (const version of published) {
    for (const tag of [`v${version.major}`, `v${version.major}.${version.minor}`]) {
      const current = targets.get(tag);
      if (current === undefined || compareVersions(version, current) > 0) targets.set(tag, version);
    }
  }
  return targets;
}
