/**
 * GitHub's cancel of a running deploy (SIGINT, SIGTERM 7.5 s later, then a kill: actions/runner
 * src/Runner.Sdk/ProcessInvoker.cs), done by the harness to the bundled deploy-ecs while it
 * follows a rollout that never settles on the scenario simulator.
 */
import { runAction } from '../../support/harness';
import { startGitHubApi, type GitHubApiStandIn } from '../../support/github-api';
import { startStack, type Stack } from '../../support/stack';
import { gitHubEnv, latestDeployment, statusesOf, TOKEN } from './github-run';

jest.setTimeout(180_000);

const ENVIRONMENT = 'staging-cancel';
let stack: Stack;
let api: GitHubApiStandIn;

beforeAll(async () => {
  [stack, api] = await Promise.all([startStack({ simulatorSpeed: 15 }), startGitHubApi({ token: TOKEN })]);
  await stack.simulator.seed('ecs', {
    serviceName: 'cancel-template',
    taskDefinition: {
      family: 'cancel-model',
      containerDefinitions: [{ name: 'model', image: 'registry.local/model:1', memory: 512 }],
    },
  });
  await stack.simulator.choose('ecs', 'cancel-me', 'never-stable');
  await stack.simulator.seed('ecs', { serviceName: 'cancel-me', taskDefinition: 'cancel-model:1' });
});
afterAll(async () => {
  await Promise.all([stack?.stop(), api?.close()]);
});

test('a cancel mid-rollout reports what is in flight within 5 s, with outputs, summary and the record ended', async () => {
  const result = await runAction({
    action: 'deploy-ecs',
    inputs: {
      service: 'cancel-me',
      'container-name': 'model',
      image: 'registry.local/model:2',
      'github-token': TOKEN,
      'github-environment': ENVIRONMENT,
    },
    env: { ...stack.env, ...gitHubEnv(api) },
    cancel: { whenLine: /Follow deployment/ },
    timeoutMs: 120_000,
  });
  const main = result.stages.find((stage) => stage.stage === 'main');
  expect(main?.cancelToExitMs).toBeLessThan(5_000);
  expect(main?.signal).toBeNull(); // it left on its own, before SIGTERM
  expect(result.exitCode).toBe(1);

  expect(result.outputs.status).toBe('cancelled');
  expect(result.outputs['deployment-id']).toMatch(/^ecs-svc\//);
  expect(result.outputs['task-definition-arn']).toMatch(/:task-definition\/cancel-model:2$/);
  expect(result.stdout).toContain('Received SIGINT: the run is being cancelled; no new change is started');
  expect(result.annotations).toContainEqual(
    expect.objectContaining({ level: 'error', message: 'Cancelled by the runner (SIGINT)' }),
  );
  expect(result.stdout).toMatch(
    /Deployment ecs-svc\/\S+ of cancel-model:2 on default\/cancel-me was in progress; ECS goes on with it\./,
  );
  expect(result.stdout).toContain('To undo it, run with rollback-to: cancel-model:1');
  expect(result.summary).toContain(
    '## ⚠️ deploy-ecs cancelled: default/cancel-me: Cancelled by the runner (SIGINT)',
  );
  expect(result.summary).toContain('Left in flight');
  // No rollback was started after the signal: the service still runs the new revision's deployment.
  expect(result.stdout).not.toContain('rolling back');

  const [first, last] = statusesOf(latestDeployment(api, ENVIRONMENT));
  expect(first?.[0]).toBe('in_progress');
  expect(last?.[0]).toBe('error');
  expect(last?.[1]).toBe('Cancelled: Cancelled by the runner (SIGINT)');
});
