/**
 * The bundled deploy-ecs against the scenario simulator, recording GitHub deployments at the local
 * stand-in for GitHub's REST API (GITHUB_API_URL points at it).
 */
import { runAction, type RunActionResult } from '../../support/harness';
import { startGitHubApi, type GitHubApiStandIn } from '../../support/github-api';
import { startStack, type Stack } from '../../support/stack';
import { gitHubEnv, latestDeployment, REPOSITORY, statusesOf, TOKEN } from './github-run';

jest.setTimeout(180_000);

const ENVIRONMENT = 'production-ecs';
const URL = 'https://api.acme.example/v1/health';

let stack: Stack;
let api: GitHubApiStandIn;

/** The revision every service starts on: one container, `model`. */
const FIRST_REVISION = 'gh-model:1';

beforeAll(async () => {
  [stack, api] = await Promise.all([startStack({ simulatorSpeed: 15 }), startGitHubApi({ token: TOKEN })]);
  await stack.simulator.seed('ecs', {
    serviceName: 'gh-template',
    taskDefinition: {
      family: 'gh-model',
      containerDefinitions: [{ name: 'model', image: 'registry.local/model:1', memory: 512 }],
    },
  });
});
afterAll(async () => {
  await Promise.all([stack?.stop(), api?.close()]);
});

/** A service on the first revision, whose next rollout plays `scenario`. */
async function serviceOn(name: string, scenario: string): Promise<void> {
  await stack.simulator.choose('ecs', name, scenario);
  await stack.simulator.seed('ecs', { serviceName: name, taskDefinition: FIRST_REVISION });
}

function deploy(name: string, extra: Record<string, string> = {}): Promise<RunActionResult> {
  return runAction({
    action: 'deploy-ecs',
    inputs: {
      service: name,
      'container-name': 'model',
      image: `registry.local/${name}:2`,
      'github-token': TOKEN,
      'github-environment': ENVIRONMENT,
      'environment-url': URL,
      ...extra,
    },
    env: { ...stack.env, ...gitHubEnv(api) },
    timeoutMs: 120_000,
  });
}

test('healthy: in progress while it rolls out, then success with the environment URL', async () => {
  await serviceOn('gh-healthy', 'healthy');
  const result = await deploy('gh-healthy');

  expect(result.exitCode).toBe(0);
  expect(result.outputs.status).toBe('succeeded');
  const deployment = latestDeployment(api, ENVIRONMENT);
  expect(deployment).toMatchObject({
    // The commit the run is for, as the runner sets GITHUB_SHA.
    ref: expect.stringMatching(/^[0-9a-f]{40}$/),
    task: 'deploy',
    description: 'registry.local/gh-healthy:2 to default/gh-healthy',
    production_environment: true,
    payload: { cluster: 'default', service: 'gh-healthy', image: 'registry.local/gh-healthy:2' },
  });
  expect(statusesOf(deployment)).toEqual([
    ['in_progress', 'Deploying', ''],
    ['success', 'Deployed', URL],
  ]);
  expect(api.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
  expect(api.requests.every((r) => r.path.startsWith(`/repos/${REPOSITORY}/deployments`))).toBe(true);
  expect(result.stdout).toContain(`GitHub deployment ${deployment.id} for ${ENVIRONMENT}: in progress`);
  expect(result.masked).toContain(TOKEN);
  expect(result.stdout).not.toContain(TOKEN);
});

test('a failed rollout the action rolls back: failure, saying it was rolled back and why', async () => {
  await serviceOn('gh-pull-failure', 'image-pull-failure');
  const result = await deploy('gh-pull-failure');

  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('rolled-back');
  const [progress, end] = statusesOf(latestDeployment(api, ENVIRONMENT));
  expect(progress).toEqual(['in_progress', 'Deploying', '']);
  expect(end?.[0]).toBe('failure');
  expect(end?.[1]).toMatch(/^Rolled back: \d tasks? stopped: TaskFailedToStart: CannotPullContainerError/);
});

test('GitHub failing never fails the deploy: a warning, and the deploy succeeds', async () => {
  await serviceOn('gh-outage', 'healthy');
  api.fail('create-deployment', 502);
  const result = await deploy('gh-outage');

  expect(result.exitCode).toBe(0);
  expect(result.outputs.status).toBe('succeeded');
  expect(result.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
    expect.stringMatching(/^Could not create a GitHub deployment for production-ecs: /),
  ]);
});
