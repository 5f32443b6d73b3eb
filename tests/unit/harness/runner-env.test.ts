import {
  FAKE_SHA,
  expressionContext,
  headShaOf,
  hostBasics,
  runnerDefaults,
} from '../../support/harness/runner-env';

describe('hostBasics', () => {
  it('keeps only what a process needs, never credentials or runner variables', () => {
    expect(
      hostBasics({
        PATH: '/usr/bin',
        HOME: '/root',
        LANG: 'C.UTF-8',
        LC_ALL: 'C',
        AWS_ACCESS_KEY_ID: 'AKIA',
        AWS_PROFILE: 'dev',
        GITHUB_TOKEN: 'ghp',
        INPUT_REGION: 'x',
        NODE_OPTIONS: '--inspect',
      }),
    ).toEqual({ PATH: '/usr/bin', HOME: '/root', LANG: 'C.UTF-8', LC_ALL: 'C' });
  });
});

describe('runnerDefaults', () => {
  const env = runnerDefaults({
    workspace: '/ws',
    runnerTemp: '/t',
    toolCache: '/tc',
    eventPath: '/e.json',
    actionPath: '/actions/x',
    actionName: 'x',
    sha: 'b'.repeat(40),
  });

  it('sets the variables the runner sets', () => {
    expect(env).toMatchObject({
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: '/ws',
      GITHUB_SHA: 'b'.repeat(40),
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REPOSITORY: 'org/example',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: '/e.json',
      GITHUB_ACTION_PATH: '/actions/x',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_TEMP: '/t',
    });
    expect(env['GITHUB_RUN_ID']).toMatch(/^\d+$/);
  });

  it('feeds the expression context from the same values', () => {
    const context = expressionContext({ ...env, GITHUB_SHA: 'c'.repeat(40) });
    expect(context['github.sha']).toBe('c'.repeat(40));
    expect(context['github.workspace']).toBe('/ws');
    expect(context['github.token']).toBe('');
  });
});

describe('headShaOf', () => {
  it('takes the first directory with a commit', () => {
    const heads: Record<string, string | undefined> = { '/none': undefined, '/repo': 'd'.repeat(40) };
    expect(headShaOf(['/none', '/repo'], (dir) => heads[dir])).toBe('d'.repeat(40));
  });

  it('falls back to a fixed 40-hex id', () => {
    expect(headShaOf(['/none'], () => undefined)).toBe(FAKE_SHA);
    expect(headShaOf(['/bad'], () => 'not-a-sha')).toBe(FAKE_SHA);
    expect(FAKE_SHA).toMatch(/^[0-9a-f]{40}$/);
  });
});
