import {
  bumpVersion,
  compareVersions,
  firstReleaseVersion,
  formatVersion,
  highestVersion,
  largerBump,
  movingTagTargets,
  parseVersion,
  type Version,
} from '../../../scripts/release/semver';

const v = (text: string): Version => {
  const version = parseVersion(text);
  if (version === undefined) throw new Error(`bad version ${text}`);
  return version;
};

describe('parseVersion', () => {
  test.each(['1.0.0', '0.1.0', '10.20.30'])('accepts %s', (text) => {
    expect(formatVersion(v(text))).toBe(text);
  });
  test.each(['1.0', 'v1.0.0', '01.0.0', '1.0.0-rc.1', '1.0.0.0', ''])('rejects %j', (text) => {
    expect(parseVersion(text)).toBeUndefined();
  });
});

describe('ordering', () => {
  test('compares numerically, not as text', () => {
    expect(compareVersions(v('1.10.0'), v('1.9.3'))).toBeGreaterThan(0);
    expect(compareVersions(v('2.0.0'), v('10.0.0'))).toBeLessThan(0);
    expect(compareVersions(v('1.2.3'), v('1.2.3'))).toBe(0);
  });
  test('highestVersion', () => {
    expect(formatVersion(highestVersion([v('1.2.0'), v('1.10.0'), v('1.9.9')]) ?? v('0.0.0'))).toBe('1.10.0');
    expect(highestVersion([])).toBeUndefined();
  });
});

describe('bumps', () => {
  test.each([
    ['1.2.3', 'major', '2.0.0'],
    ['1.2.3', 'minor', '1.3.0'],
    ['1.2.3', 'patch', '1.2.4'],
  ] as const)('%s + %s = %s', (from, bump, to) => {
    expect(formatVersion(bumpVersion(v(from), bump))).toBe(to);
  });
  test('the larger bump wins', () => {
    expect(largerBump('patch', 'minor')).toBe('minor');
    expect(largerBump('major', 'minor')).toBe('major');
    expect(largerBump(undefined, 'patch')).toBe('patch');
    expect(largerBump(undefined, undefined)).toBeUndefined();
  });
  test('a first release is 1.0.0 unless the package already says more', () => {
    expect(formatVersion(firstReleaseVersion(v('0.1.0')))).toBe('1.0.0');
    expect(formatVersion(firstReleaseVersion(v('1.4.2')))).toBe('1.4.2');
  });
});

describe('movingTagTargets', () => {
  test('vX and vX.Y point at the highest version of their line', () => {
    const targets = movingTagTargets(['1.0.0', '1.0.1', '1.1.0', '2.0.0', '1.10.2'].map(v));
    expect(Object.fromEntries([...targets].map(([tag, version]) => [tag, formatVersion(version)]))).toEqual({
      v1: '1.10.2',
      'v1.0': '1.0.1',
      'v1.1': '1.1.0',
      'v1.10': '1.10.2',
      v2: '2.0.0',
      'v2.0': '2.0.0',
    });
  });
});
