import { publicationRemote, readConfig, UsageError } from '../../../scripts/release/config';
import { authConfigArgs, parseLsRemote } from '../../../scripts/release/git';
import { withPackageVersion } from '../../../scripts/release/version-actions';

const now = new Date('2026-11-22T23:59:00Z');

describe('readConfig', () => {
  test('defaults publish to github.com/<owner>/<action> and read the owner from the runner', () => {
    const config = readConfig([], { GITHUB_REPOSITORY_OWNER: 'acme' }, '/repo', now);
    expect(publicationRemote(config, 'deploy-ecs')).toBe('https://github.com/acme/deploy-ecs.git');
    expect(config.apiUrl).toBe('https://api.github.com');
    expect(config.token).toBeUndefined();
    expect(config.date).toBe('2026-11-22');
    expect(config.dryRun).toBe(false);
    expect(config.monorepoRemote).toBe('origin');
  });

  test('environment overrides: template, owner, API, token, date', () => {
    const config = readConfig(
      ['--dry-run'],
      {
        RELEASE_REMOTE_TEMPLATE: 'file:///tmp/remotes/{owner}-{action}.git',
        RELEASE_OWNER: 'org',
        GITHUB_REPOSITORY_OWNER: 'ignored',
        GITHUB_API_URL: 'http://127.0.0.1:9/',
        GITHUB_TOKEN: ' t0k ',
        RELEASE_DATE: '2030-01-02',
      },
      '/repo',
      now,
    );
    expect(publicationRemote(config, 'sync-dags')).toBe('file:///tmp/remotes/org-sync-dags.git');
    expect(config.apiUrl).toBe('http://127.0.0.1:9');
    expect(config.token).toBe('t0k');
    expect(config.date).toBe('2030-01-02');
    expect(config.dryRun).toBe(true);
  });

  test('an empty GITHUB_TOKEN counts as none', () => {
    expect(readConfig([], { GITHUB_TOKEN: '' }, '/repo', now).token).toBeUndefined();
  });

  test.each([[['--force']], [['deploy-ecs']]])('rejects unknown arguments %j', (argv) => {
    expect(() => readConfig(argv, {}, '/repo', now)).toThrow(UsageError);
  });

  test('rejects a malformed RELEASE_DATE', () => {
    expect(() => readConfig([], { RELEASE_DATE: '22/11/2026' }, '/repo', now)).toThrow(/YYYY-MM-DD/);
  });
});

describe('git helpers', () => {
  test('parseLsRemote resolves annotated tags to their commit', () => {
    const refs = parseLsRemote(
      [
        'aaa\tHEAD',
        'bbb\trefs/heads/main',
        'ccc\trefs/tags/v1.0.0',
        'ddd\trefs/tags/v1.0.0^{}',
        'eee\trefs/tags/v1',
        '',
      ].join('\n'),
    );
    expect(refs.get('refs/tags/v1.0.0')).toBe('ddd');
    expect(refs.get('refs/tags/v1')).toBe('eee');
    expect(refs.get('refs/heads/main')).toBe('bbb');
    expect(refs.has('refs/tags/v1.0.0^{}')).toBe(false);
  });

  test('a token becomes an auth header for https remotes only', () => {
    expect(authConfigArgs('https://github.com/org/x.git', 'abc')).toEqual([
      '-c',
      `http.extraheader=AUTHORIZATION: basic ${Buffer.from('x-access-token:abc').toString('base64')}`,
    ]);
    expect(authConfigArgs('file:///tmp/x.git', 'abc')).toEqual([]);
    expect(authConfigArgs('https://github.com/org/x.git', undefined)).toEqual([]);
  });
});

describe('withPackageVersion', () => {
  test('changes the version and keeps every other field in order', () => {
    const before = '{\n  "name": "@deploy-suite/deploy-ecs",\n  "version": "0.1.0",\n  "private": true\n}\n';
    expect(withPackageVersion(before, '1.0.0')).toBe(
      '{\n  "name": "@deploy-suite/deploy-ecs",\n  "version": "1.0.0",\n  "private": true\n}\n',
    );
  });
});
