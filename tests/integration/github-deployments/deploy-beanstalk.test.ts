/**
 * The bundled deploy-beanstalk against the Elastic Beanstalk simulator, recording GitHub
 * deployments at the local stand-in for GitHub's REST API (GITHUB_API_URL points at it).
 */
import { BeanstalkStack, ENV } from '../deploy-beanstalk/beanstalk-stack';
import { startGitHubApi, type GitHubApiStandIn } from '../../support/github-api';
import { gitHubEnv, latestDeployment, statusesOf, TOKEN } from './github-run';

jest.setTimeout(90_000);

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1.4.0';
const ENVIRONMENT = 'production-beanstalk';

let sim: BeanstalkStack;
let api: GitHubApiStandIn;

beforeAll(async () => {
  [sim, api] = await Promise.all([BeanstalkStack.start(), startGitHubApi({ token: TOKEN })]);
}, 60_000);
afterAll(async () => {
  await Promise.all([sim?.stop(), api?.close()]);
});

function deploy(extra: Record<string, string> = {}) {
  return sim.deploy(
    {
      image: IMAGE,
      'version-label': 'v1',
      'github-token': TOKEN,
      'github-environment': ENVIRONMENT,
      ...extra,
    },
    gitHubEnv(api),
  );
}

test('healthy: in progress, then success with the environment URL', async () => {
  await sim.fresh('healthy');
  const result = await deploy();

  expect(result.exitCode).toBe(0);
  const url = `http://${ENV}.us-east-1.elasticbeanstalk.com`;
  expect(result.outputs).toMatchObject({ status: 'succeeded', 'environment-url': url });
  const deployment = latestDeployment(api, ENVIRONMENT);
  expect(deployment).toMatchObject({
    description: `v1 to insurance/${ENV}`,
    payload: { application: 'insurance', environment: ENV, 'version-label': 'v1' },
  });
  expect(statusesOf(deployment)).toEqual([
    ['in_progress', 'Deploying', ''],
    ['success', 'Deployed', url],
  ]);
  expect(result.stdout).not.toContain(TOKEN);
});

test('deploy-fails: rolled back to the version before, recorded as a failure saying so', async () => {
  await sim.fresh('deploy-fails');
  const result = await deploy();

  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('rolled-back');
  expect(statusesOf(latestDeployment(api, ENVIRONMENT))).toEqual([
    ['in_progress', 'Deploying', ''],
    [
      'failure',
      "Rolled back: event: Instance deployment failed. For details, see 'eb-engine.log'. (i-0aaaaaaaaaaaaaaa1)",
      '',
    ],
  ]);
});

test('a version only (no environment-name): nothing is recorded', async () => {
  await sim.fresh('healthy');
  const before = api.requests.length;
  const result = await deploy({ 'environment-name': '', 'version-label': 'v-only' });

  expect(result.exitCode).toBe(0);
  expect(result.outputs.status).toBe('succeeded');
  expect(api.requests.length).toBe(before);
});
