import {
  looksLikeProduction,
  readGitHubRun,
  recordDeployment,
  startDeploymentRecord,
  type DeploymentsApi,
  type GitHubRun,
  type NewDeployment,
  type NewDeploymentStatus,
} from '../../../packages/kit/src/github-deployment';
import { redact } from '../../../packages/kit/src/secrets';
import { recordingLog } from '../../support/fakes';

const RUN: GitHubRun = {
  apiUrl: 'https://ghe.example/api/v3',
  owner: 'acme',
  repo: 'models',
  sha: 'c0ffee',
  logUrl: 'https://ghe.example/acme/models/actions/runs/7',
};

/** A fake GitHub that keeps what was asked and can refuse any call. */
function fakeApi(refuse: Partial<Record<keyof DeploymentsApi, Error>> = {}) {
  const deployments: NewDeployment[] = [];
  const statuses: Array<[number, NewDeploymentStatus]> = [];
  const latest = new Map<number, string>([
    [41, 'success'],
    [40, 'failure'],
  ]);
  const api: DeploymentsApi = {
    async createDeployment(deployment) {
      if (refuse.createDeployment) throw refuse.createDeployment;
      deployments.push(deployment);
      return 42;
    },
    async createStatus(id, status) {
      if (refuse.createStatus) throw refuse.createStatus;
      statuses.push([id, status]);
      latest.set(id, status.state);
    },
    async listDeployments() {
      if (refuse.listDeployments) throw refuse.listDeployments;
      return [42, 41, 40];
    },
    async latestState(id) {
      return latest.get(id);
    },
  };
  return { api, deployments, statuses };
}

describe('readGitHubRun', () => {
  test('reads the API URL, the commit and the run page from the runner variables', () => {
    expect(
      readGitHubRun({
        GITHUB_API_URL: 'https://ghe.example/api/v3/',
        GITHUB_SERVER_URL: 'https://ghe.example',
        GITHUB_REPOSITORY: 'acme/models',
        GITHUB_SHA: 'c0ffee',
        GITHUB_RUN_ID: '7',
      }),
    ).toEqual(RUN);
  });

  test('falls back to github.com and names what is missing', () => {
    const run = readGitHubRun({ GITHUB_REPOSITORY: 'acme/models', GITHUB_SHA: 'c0ffee', GITHUB_RUN_ID: '7' });
    expect(run).toMatchObject({
      apiUrl: 'https://api.github.com',
      logUrl: 'https://github.com/acme/models/actions/runs/7',
    });
    expect(readGitHubRun({ GITHUB_REPOSITORY: 'models' })).toEqual({
      missing: ['GITHUB_REPOSITORY', 'GITHUB_SHA', 'GITHUB_RUN_ID'],
    });
  });
});

test.each([
  ['production', true],
  ['prod', true],
  ['prod-eu-west-1', true],
  ['Live', true],
  ['staging', false],
  ['preprod', false],
  ['prod_us', true],
  ['productivity', false],
])('looksLikeProduction(%p) is %p', (name, expected) => expect(looksLikeProduction(name)).toBe(expected));

test('a deploy: deployment of the commit, in_progress, then success with the environment URL, once', async () => {
  const { api, deployments, statuses } = fakeApi();
  const log = recordingLog();
  const record = await startDeploymentRecord(
    {
      environment: 'production',
      description: 'sample-service@sha256:ab to prod/api',
      payload: { service: 'api' },
    },
    { api, run: RUN, log },
  );
  await record.succeeded('https://api.example');
  await record.failed('late'); // an ending after the first one is ignored
  expect(deployments).toEqual([
    {
      ref: 'c0ffee',
      environment: 'production',
      description: 'sample-service@sha256:ab to prod/api',
      task: 'deploy',
      productionEnvironment: true,
      transientEnvironment: false,
      payload: { service: 'api' },
    },
  ]);
  expect(statuses).toEqual([
    [42, { state: 'in_progress', description: 'Deploying', logUrl: RUN.logUrl }],
    [
      42,
      {
        state: 'success',
        description: 'Deployed',
        logUrl: RUN.logUrl,
        environmentUrl: 'https://api.example',
      },
    ],
  ]);
  expect(log.lines).toEqual(['GitHub deployment 42 for production: in progress']);
});

test('a failed deploy that was rolled back ends in failure saying so, with a description GitHub accepts', async () => {
  const { api, statuses } = fakeApi();
  const record = await startDeploymentRecord(
    { environment: 'staging', description: 'x' },
    { api, run: RUN, log: recordingLog() },
  );
  await record.rolledBack(`circuit breaker: ${'tasks failed to start '.repeat(10)}`);
  const [, ending] = statuses[1] ?? [];
  expect(ending?.state).toBe('failure');
  expect(ending?.description.startsWith('Rolled back: circuit breaker: tasks failed to start')).toBe(true);
  expect(ending?.description).toHaveLength(140);
});

test('a rollback-to that succeeds marks the deployments still shown as running inactive, not itself', async () => {
  const { api, statuses } = fakeApi();
  const record = await startDeploymentRecord(
    { environment: 'production', description: 'rollback', rollback: true },
    { api, run: RUN, log: recordingLog() },
  );
  await record.succeeded();
  expect(statuses.map(([id, s]) => `${id} ${s.state} ${s.description}`)).toEqual([
    '42 in_progress Rolling back',
    '42 success Rolled back',
    '41 inactive Replaced by rollback (deployment 42)',
  ]);
});

describe('GitHub failing never fails the deploy', () => {
  test('no deployment created: a warning, and the record records nothing after', async () => {
    const { api, statuses } = fakeApi({
      createDeployment: new Error('Resource not accessible by integration'),
    });
    const log = recordingLog();
    const record = await startDeploymentRecord(
      { environment: 'staging', description: 'x' },
      { api, run: RUN, log },
    );
    await record.succeeded('https://x');
    expect(record.recording).toBe(false);
    expect(statuses).toEqual([]);
    expect(log.lines).toEqual([
      'warning: Could not create a GitHub deployment for staging: Resource not accessible by integration',
    ]);
  });

  test('statuses refused: a warning each, no throw', async () => {
    const { api } = fakeApi({ createStatus: new Error('Bad credentials') });
    const log = recordingLog();
    const record = await startDeploymentRecord(
      { environment: 'staging', description: 'x' },
      { api, run: RUN, log },
    );
    await expect(record.failed('tasks stopped')).resolves.toBeUndefined();
    expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([
      'warning: Could not set GitHub deployment 42 to in_progress: Bad credentials',
      'warning: Could not set GitHub deployment 42 to failure: Bad credentials',
    ]);
  });

  test('the deployments of a rollback cannot be listed: a warning, the rollback still succeeded', async () => {
    const { api, statuses } = fakeApi({ listDeployments: new Error('502 Bad Gateway') });
    const log = recordingLog();
    const record = await startDeploymentRecord(
      { environment: 'production', description: 'x', rollback: true },
      { api, run: RUN, log },
    );
    await record.succeeded();
    expect(statuses.map(([, s]) => s.state)).toEqual(['in_progress', 'success']);
    expect(log.lines).toContain(
      'warning: Could not mark the replaced GitHub deployments inactive: 502 Bad Gateway',
    );
  });
});

describe('recordDeployment', () => {
  const env = { GITHUB_REPOSITORY: 'acme/models', GITHUB_SHA: 'c0ffee', GITHUB_RUN_ID: '7' };

  test('without a token or an environment it records nothing and connects to nothing', async () => {
    const connect = jest.fn();
    for (const inputs of [
      { token: '', environment: 'staging', description: 'x' },
      { token: 'ghs_x', environment: ' ', description: 'x' },
    ]) {
      const record = await recordDeployment(inputs, env, recordingLog(), connect);
      expect(record.recording).toBe(false);
    }
    expect(connect).not.toHaveBeenCalled();
  });

  test('masks the token before it connects, and connects with the run read from the environment', async () => {
    const { api } = fakeApi();
    const connect = jest.fn((token: string) => {
      expect(redact(`token ${token}`)).toBe('token ***');
      return api;
    });
    const record = await recordDeployment(
      { token: 'ghs_unitSecret', environment: 'staging', description: 'x' },
      env,
      recordingLog(),
      connect,
    );
    expect(record.id).toBe(42);
    expect(connect).toHaveBeenCalledWith(
      'ghs_unitSecret',
      expect.objectContaining({ owner: 'acme', sha: 'c0ffee' }),
    );
  });

  test('outside a workflow run it warns and records nothing', async () => {
    const log = recordingLog();
    const record = await recordDeployment(
      { token: 'ghs_y', environment: 'staging', description: 'x' },
      {},
      log,
      () => {
        throw new Error('not reached');
      },
    );
    expect(record.recording).toBe(false);
    expect(log.lines).toEqual([
      'warning: No GitHub deployment recorded: GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_RUN_ID not set (not in a workflow run?)',
    ]);
  });
});
