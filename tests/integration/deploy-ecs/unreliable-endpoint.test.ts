/**
 * The bundled deploy-ecs when the ECS endpoint loses an answer or stops answering. The fault proxy
 * sits in front of the scenario simulator, so the ECS calls the simulator answers can be faulted.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type RunActionResult } from '../../support/harness';
import { startStack, type Stack } from '../../support/stack';

jest.setTimeout(180_000);

const SPEED = 15;

interface SimDeployment {
  id: string;
  status: string;
  taskDefinition: string;
  rolloutState: string;
}

let stack: Stack;
const workspace = mkdtempSync(join(tmpdir(), 'deploy-ecs-faults-it-'));

beforeAll(async () => {
  stack = await startStack({ simulatorSpeed: SPEED, faultsInFront: true });
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(async () => {
  await stack.faults.configure({ rate: 0, rules: [], resetStats: true });
});

async function seedService(name: string): Promise<void> {
  await stack.simulator.choose('ecs', name, 'healthy');
  await stack.simulator.seed('ecs', {
    serviceName: name,
    taskDefinition: {
      family: name,
      containerDefinitions: [{ name: 'model', image: `registry.local/${name}:1`, memory: 512 }],
    },
  });
}

async function deploymentsOf(name: string): Promise<SimDeployment[]> {
  const state = (await stack.simulator.state('ecs')) as {
    services: { serviceName: string; deployments: SimDeployment[] }[];
  };
  const service = state.services.find((s) => s.serviceName === name);
  if (!service) throw new Error(`no service ${name} in the simulator`);
  return service.deployments;
}

const td = (name: string, revision: number): string =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${name}:${revision}`;

function deployImage(
  name: string,
  extra: Record<string, string>,
  timeoutMs: number,
): Promise<RunActionResult> {
  return runAction({
    action: 'deploy-ecs',
    inputs: { service: name, 'container-name': 'model', image: `registry.local/${name}:2`, ...extra },
    env: stack.env,
    workspace,
    timeoutMs,
  });
}

test('a lost UpdateService answer: the retried call finds the deployment started, and the action verifies it', async () => {
  await seedService('lost-web');
  await stack.simulator.clearCalls();
  await stack.faults.configure({
    rules: [{ kind: 'lost-answer', match: { service: 'ecs', operation: 'UpdateService' }, count: 1 }],
    resetStats: true,
  });

  const result = await deployImage('lost-web', {}, 120_000);

  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({
    status: 'succeeded',
    'task-definition-arn': td('lost-web', 2),
    'previous-task-definition-arn': td('lost-web', 1),
  });
  // The first UpdateService took effect, its answer was lost and the SDK sent it again.
  const faults = await stack.faults.read();
  expect(faults.stats.faults['lost-answer']).toBe(1);
  expect(await stack.simulator.calls({ service: 'ecs', operation: 'UpdateService' })).toHaveLength(2);
  // ECS starts no second deployment for an UpdateService that changes nothing (forceNewDeployment
  // defaults to false: ECS API reference, UpdateService); the action follows the one that runs.
  const deployments = await deploymentsOf('lost-web');
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  expect(primary).toMatchObject({ taskDefinition: td('lost-web', 2), rolloutState: 'COMPLETED' });
  expect(deployments.filter((d) => d.taskDefinition === td('lost-web', 2))).toHaveLength(1);
  expect(result.outputs['deployment-id']).toBe(primary?.id);
});

// CreateDeployment has no idempotency token (CodeDeploy API model); a group runs one deployment at a
// time, so the SDK's retry of a call whose answer was lost is refused with
// DeploymentLimitExceededException naming the deployment the first call created.
test('a lost CreateDeployment answer: the retry is refused, the action adopts the deployment of its AppSpec; one deployment', async () => {
  const name = 'lost-bg';
  await stack.simulator.seed('ecs', {
    serviceName: name,
    deploymentController: { type: 'CODE_DEPLOY' },
    loadBalancers: [
      {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/b/0',
        containerName: 'model',
        containerPort: 8080,
      },
    ],
    taskDefinition: {
      family: name,
      containerDefinitions: [{ name: 'model', image: `registry.local/${name}:1`, memory: 512 }],
    },
  });
  await stack.simulator.seed('codedeploy', { service: name, terminationWaitMinutes: 0 });
  await stack.simulator.clearCalls();
  await stack.faults.configure({
    rules: [
      { kind: 'lost-answer', match: { service: 'codedeploy', operation: 'CreateDeployment' }, count: 1 },
    ],
    resetStats: true,
  });

  const result = await deployImage(name, {}, 120_000);

  expect(result.exitCode).toBe(0);
  expect(result.outputs.status).toBe('succeeded');
  expect((await stack.faults.read()).stats.faults['lost-answer']).toBe(1);
  expect(await stack.simulator.calls({ service: 'codedeploy', operation: 'CreateDeployment' })).toHaveLength(
    2,
  );
  const state = (await stack.simulator.state('codedeploy')) as {
    deployments: { deploymentId: string; status: string }[];
  };
  expect(state.deployments).toEqual([
    expect.objectContaining({
      deploymentId: result.outputs['codedeploy-deployment-id'],
      status: 'Succeeded',
    }),
  ]);
});

// timeout-minutes 0.1 is the smallest the input takes. The allowance covers starting Node, the calls
// before the deadline starts and one per-call deadline with its retries ending after it.
const TIMEOUT_MINUTES = 0.1;
const ALLOWANCE_MS = 30_000;
const BOUND_MS = TIMEOUT_MINUTES * 60_000 + ALLOWANCE_MS;

// Measured with the bundle of 53f34a6 (no per-call deadline): the first poll's DescribeServices is
// never answered and the action waits on it for ever, its own 6 s deadline never checked; the harness
// ended it at 56 s, and at 240 s in a longer run, with no other request sent (the SDK has no request
// timeout by default, so nothing fails and nothing is retried).
// With the kit's per-call deadline (CALL_DEADLINE_MS, 30 s) the silent call ends, and with it the run.
test('an ECS endpoint that stops answering: the action ends within timeout-minutes and an allowance', async () => {
  await seedService('silent-web');
  // The first DescribeServices (reading the service) is answered; every one after it, the polls
  // following the deployment, is read and never answered.
  await stack.faults.configure({
    rules: [{ kind: 'never-answer', match: { service: 'ecs', operation: 'DescribeServices' }, after: 1 }],
    resetStats: true,
  });

  const started = Date.now();
  const result = await deployImage(
    'silent-web',
    { 'timeout-minutes': String(TIMEOUT_MINUTES), 'rollback-on-failure': 'false' },
    BOUND_MS + 20_000,
  );
  const elapsed = Date.now() - started;

  expect(result.stages.find((s) => s.timedOut)).toBeUndefined();
  expect(elapsed).toBeLessThan(BOUND_MS);
  expect(result.exitCode).toBe(1);
  const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(errors.join('\n')).toMatch(/DescribeServices|Timed out after 0\.1 minutes/);
  expect((await stack.faults.read()).stats.faults['never-answer']).toBeGreaterThanOrEqual(1);
});

// aws-max-attempts is read by the kit's client factory in every action (action.yml declares it).
test.each([
  ['1', 1, 1],
  ['3', 0, 3],
])(
  'aws-max-attempts %s: two 503s on reading the service end in exit code %s, after %s attempt(s)',
  async (attempts, exitCode, seen) => {
    await seedService(`attempts-web-${attempts}`);
    await stack.simulator.clearCalls();
    await stack.faults.configure({
      rules: [{ kind: 'unavailable', match: { service: 'ecs', operation: 'DescribeServices' }, count: 2 }],
      resetStats: true,
    });
    const result = await deployImage(`attempts-web-${attempts}`, { 'aws-max-attempts': attempts }, 60_000);

    expect(result.exitCode).toBe(exitCode);
    const faults = await stack.faults.read();
    expect(faults.stats.faults.unavailable).toBe(Math.min(seen, 2));
    if (exitCode === 1) {
      const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      expect(errors).toEqual([expect.stringMatching(/^ECS DescribeServices failed after 1 attempt: /)]);
    }
  },
);

test('a lost RunTask answer: the SDK resends it with the same client token, and one task runs', async () => {
  const file = join(workspace, 'lost-batch.json');
  writeFileSync(
    file,
    JSON.stringify({
      family: 'lost-batch',
      containerDefinitions: [{ name: 'score', image: 'registry.local/score:1', memory: 256 }],
    }),
  );
  await stack.simulator.clearCalls();
  await stack.faults.configure({
    rules: [{ kind: 'lost-answer', match: { service: 'ecs', operation: 'RunTask' }, count: 1 }],
    resetStats: true,
  });
  const result = await runAction({
    action: 'deploy-ecs',
    inputs: { 'task-definition': file, 'run-task': 'true', 'run-task-launch-type': 'EC2' },
    env: stack.env,
    workspace,
    timeoutMs: 60_000,
  });

  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({ status: 'succeeded', 'run-task-exit-code': '0' });
  expect((await stack.faults.read()).stats.faults['lost-answer']).toBe(1);
  const runs = await stack.simulator.calls({ service: 'ecs', operation: 'RunTask' });
  expect(runs).toHaveLength(2);
  const tokens = runs.map((call) => (call.params as { clientToken?: string }).clientToken);
  expect(tokens[0]).toMatch(/^[\x21-\x7e]{1,64}$/);
  expect(tokens[1]).toBe(tokens[0]);
  const ecs = new ECSClient({
    endpoint: stack.endpoints.simulator,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const stopped = await ecs.send(
    new ListTasksCommand({ startedBy: 'deploy-suite', desiredStatus: 'STOPPED' }),
  );
  const running = await ecs.send(new ListTasksCommand({ startedBy: 'deploy-suite' }));
  expect([...(stopped.taskArns ?? []), ...(running.taskArns ?? [])]).toHaveLength(1);
  ecs.destroy();
});
