/**
 * The bundled deploy-sagemaker against the simulator's SageMaker, recording GitHub deployments at
 * the local stand-in for GitHub's REST API (GITHUB_API_URL points at it), as deploy-ecs and
 * deploy-beanstalk do.
 */
import { startGitHubApi, type GitHubApiStandIn } from '../../support/github-api';
import { IMAGE_1, IMAGE_2, SageMakerStack } from '../deploy-sagemaker/sagemaker-stack';
import { gitHubEnv, latestDeployment, statusesOf, TOKEN } from './github-run';

jest.setTimeout(90_000);

const ENVIRONMENT = 'production-sagemaker';
const URL = 'https://models.example.com/charges';

let sim: SageMakerStack;
let api: GitHubApiStandIn;

beforeAll(async () => {
  [sim, api] = await Promise.all([SageMakerStack.start(), startGitHubApi({ token: TOKEN })]);
}, 60_000);
afterAll(async () => {
  await Promise.all([sim?.stop(), api?.close()]);
});

function deploy(extra: Record<string, string> = {}) {
  return sim.deploy(
    'charges',
    { 'github-token': TOKEN, 'github-environment': ENVIRONMENT, 'environment-url': URL, ...extra },
    gitHubEnv(api),
  );
}

test('healthy create: in progress, then success with environment-url', async () => {
  await sim.fresh('charges');
  const result = await deploy({ image: IMAGE_1 });

  expect(result.exitCode).toBe(0);
  expect(result.outputs.status).toBe('succeeded');
  const deployment = latestDeployment(api, ENVIRONMENT);
  expect(deployment).toMatchObject({
    description: 'sample-service@sha256:11111111… to charges',
    payload: {
      endpoint: 'charges',
      'endpoint-config': result.outputs['endpoint-config-name'],
      model: result.outputs['model-name'],
      image: IMAGE_1,
    },
  });
  expect(statusesOf(deployment)).toEqual([
    ['in_progress', 'Deploying', ''],
    ['success', 'Deployed', URL],
  ]);
  expect(result.stdout).not.toContain(TOKEN);
});

test("ping-fails on update: SageMaker's rollback recorded as a failure saying so, with the reason", async () => {
  await sim.fresh('charges');
  expect((await deploy({ image: IMAGE_1 })).outputs.status).toBe('succeeded');
  await sim.choose('charges', 'ping-fails');
  const result = await deploy({ image: IMAGE_2 });

  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('rolled-back');
  const [start, end] = statusesOf(latestDeployment(api, ENVIRONMENT));
  expect(start).toEqual(['in_progress', 'Deploying', '']);
  expect(end?.[0]).toBe('failure');
  expect(end?.[1]).toMatch(
    /^Rolled back: FailureReason: The primary container for production variant AllTraffic did not pass the ping/,
  );
});

// As deploy-ecs's and deploy-beanstalk's rollback-to: task deploy:rollback, and on success the
// deployments it replaced become inactive (the kit's recorder).
test('rollback-to previous: a deploy:rollback deployment, in progress then success with environment-url', async () => {
  await sim.fresh('charges');
  const first = await deploy({ image: IMAGE_1 });
  const second = await deploy({ image: IMAGE_2 });
  expect(second.outputs.status).toBe('succeeded');
  const result = await deploy({
    image: '',
    'execution-role-arn': '',
    'instance-type': '',
    'instance-count': '',
    'rollback-to': 'previous',
  });

  expect(result.exitCode).toBe(0);
  expect(result.outputs.status).toBe('succeeded');
  const target = first.outputs['endpoint-config-name'] ?? '';
  const deployment = latestDeployment(api, ENVIRONMENT);
  expect(deployment).toMatchObject({
    task: 'deploy:rollback',
    description: `Roll back charges to ${target}`,
    payload: { endpoint: 'charges', 'endpoint-config': target, model: first.outputs['model-name'] },
  });
  expect(statusesOf(deployment)).toEqual([
    ['in_progress', 'Rolling back', ''],
    ['success', 'Rolled back', URL],
  ]);
  expect(result.stdout).not.toContain(TOKEN);
});

test('a refused input records nothing', async () => {
  await sim.fresh('charges');
  const before = api.requests.length;
  const result = await deploy({ image: IMAGE_1, 'instance-type': 'm5.large' });

  expect(result.exitCode).toBe(1);
  expect(api.requests.length).toBe(before);
});
