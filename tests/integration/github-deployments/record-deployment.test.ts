/**
 * The kit's GitHub deployment recording, run under Node 24 as the actions run, against the local
 * stand-in for GitHub's deployments endpoints (GITHUB_API_URL points at it).
 */
import * as path from 'node:path';
import { runCommand, type CommandResult } from '../../support/run-command';
import { node24Path } from '../../support/harness/node-binary';
import { REPO_ROOT } from '../../support/harness/repo-root';
import { startGitHubApi, type GitHubApiStandIn } from '../../support/github-api';

const TOKEN = 'ghs_standInToken0123456789';
const DRIVER = path.join(__dirname, 'driver.ts');
const LOG_URL = 'https://github.example/acme/models/actions/runs/4242';

interface Scenario {
  environment: string;
  ending: 'succeeded' | 'failed' | 'rolledBack';
  environmentUrl?: string;
  rollback?: boolean;
  production?: boolean;
}

async function deploy(api: GitHubApiStandIn, scenario: Scenario): Promise<CommandResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    GITHUB_API_URL: api.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: 'acme/models',
    GITHUB_SHA: 'c0ffee0000000000000000000000000000000001',
    GITHUB_RUN_ID: '4242',
    'INPUT_GITHUB-TOKEN': TOKEN,
    DRIVER_SCENARIO: JSON.stringify(scenario),
  };
  return runCommand(node24Path(REPO_ROOT), ['--import', 'tsx', DRIVER], { cwd: REPO_ROOT, env });
}

let api: GitHubApiStandIn;
beforeEach(async () => {
  api = await startGitHubApi({ token: TOKEN });
});
afterEach(async () => {
  await api.close();
});

test('a deploy that succeeds: deployment for the commit, in_progress, then success with both URLs', async () => {
  const { code, stdout } = await deploy(api, {
    environment: 'staging',
    ending: 'succeeded',
    environmentUrl: 'http://staging.example/v2/health/ready',
  });
  expect(code).toBe(0);
  expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    'POST /repos/acme/models/deployments',
    'POST /repos/acme/models/deployments/1001/statuses',
    'POST /repos/acme/models/deployments/1001/statuses',
  ]);
  expect(api.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
  expect(api.requests[0]?.body).toEqual({
    ref: 'c0ffee0000000000000000000000000000000001',
    environment: 'staging',
    description: 'sample-service to staging',
    task: 'deploy',
    auto_merge: false,
    required_contexts: [],
    production_environment: false,
    transient_environment: false,
    payload: { image: 'registry.example/sample-service@sha256:0f' },
  });
  expect(api.requests[1]?.body).toEqual({ state: 'in_progress', description: 'Deploying', log_url: LOG_URL });
  expect(api.requests[2]?.body).toEqual({
    state: 'success',
    description: 'Deployed',
    log_url: LOG_URL,
    environment_url: 'http://staging.example/v2/health/ready',
  });
  // The token is masked before first use and printed nowhere else.
  const lines = stdout.split('\n');
  expect(lines[0]).toBe(`::add-mask::${TOKEN}`);
  expect(lines.slice(1).some((line) => line.includes(TOKEN))).toBe(false);
});

test('a deploy that fails and is rolled back ends in failure, saying so', async () => {
  const { code } = await deploy(api, { environment: 'staging', ending: 'rolledBack' });
  expect(code).toBe(0);
  const [deployment] = api.store.list('acme/models', 'staging');
  expect(deployment?.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
  expect(deployment?.statuses[1]?.description).toBe('Rolled back: tasks stopped: essential container exited');
});

test('a rollback-to run in production marks the deployment it replaced inactive', async () => {
  const bad = api.store.create('acme/models', {
    ref: 'bad',
    environment: 'production',
    production_environment: true,
  });
  api.store.addStatus(bad, { state: 'success' });
  const older = api.store.create('acme/models', {
    ref: 'old',
    environment: 'production',
    production_environment: true,
  });
  api.store.addStatus(older, { state: 'failure' });

  const { code } = await deploy(api, { environment: 'production', ending: 'succeeded', rollback: true });
  expect(code).toBe(0);
  const [rollback] = api.store.list('acme/models', 'production');
  expect(rollback?.production_environment).toBe(true);
  expect(rollback?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
  expect(bad.statuses.map((s) => s.state)).toEqual(['success', 'inactive']);
  // Only deployments that were running are retired.
  expect(older.statuses.map((s) => s.state)).toEqual(['failure']);
});

test.each([
  ['create-deployment', 500],
  ['create-status', 403],
  // The HTTP client answers 404 with no error of its own; the port must still count it a failure.
  ['create-status', 404],
] as const)('GitHub answering %s with %d warns and the deploy still succeeds', async (route, status) => {
  api.fail(route, status);
  const { code, stdout } = await deploy(api, { environment: 'staging', ending: 'succeeded' });
  expect(code).toBe(0);
  expect(stdout).toMatch(/^::warning::Could not (create a GitHub deployment|set GitHub deployment 1001)/m);
  expect(stdout).toContain(`recorded: ${route === 'create-deployment' ? 'none' : '1001'}`);
});
