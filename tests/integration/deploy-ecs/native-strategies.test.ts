/**
 * The bundled deploy-ecs on services ECS deploys itself blue/green, linearly or by canary
 * (deploymentConfiguration.strategy BLUE_GREEN, LINEAR, CANARY with the ECS controller): the run
 * follows the service deployment UpdateService started, by its ARN, with DescribeServiceDeployments
 * (ECS Developer Guide, "View service history using Amazon ECS service deployments"), and leaves a
 * failure to ECS's own rollback ("Amazon ECS deployment failure detection": alarms and the circuit
 * breaker roll back to the last COMPLETED deployment; "Lifecycle hooks for Amazon ECS service
 * deployments": a hook returning FAILED rolls back). Outcomes only: the virtual clock runs 30 times
 * faster than the action's polls, and nothing here counts polls.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type RunActionResult } from '../../support/harness';
import { startStack, type Stack } from '../../support/stack';

jest.setTimeout(180_000);

const SPEED = 30;
let stack: Stack;
const workspace = mkdtempSync(join(tmpdir(), 'deploy-ecs-native-'));

beforeAll(async () => {
  stack = await startStack({ simulatorSpeed: SPEED });
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(async () => {
  await stack.simulator.clearCalls();
});

const td = (name: string, revision: number) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${name}:${revision}`;

const HOOK = 'arn:aws:lambda:us-east-1:123456789012:function:smoke-test';

function blueGreen(name: string, bakeTimeInMinutes: number): Record<string, unknown> {
  return {
    strategy: 'BLUE_GREEN',
    bakeTimeInMinutes,
    deploymentCircuitBreaker: { enable: true, rollback: true },
    alarms: { enable: true, rollback: true, alarmNames: [`${name}-5xx`, `${name}-latency`] },
    lifecycleHooks: [
      {
        hookTargetArn: HOOK,
        roleArn: 'arn:aws:iam::123456789012:role/ecs-hooks',
        lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
      },
    ],
  };
}

async function seed(name: string, scenario: string, deploymentConfiguration: Record<string, unknown>) {
  await stack.simulator.choose('ecs', name, scenario);
  await stack.simulator.seed('ecs', {
    serviceName: name,
    desiredCount: 2,
    deploymentConfiguration,
    loadBalancers: [
      {
        targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}-blue/0123456789abcdef`,
        containerName: 'model',
        containerPort: 8080,
      },
    ],
    taskDefinition: {
      family: name,
      containerDefinitions: [{ name: 'model', image: `registry.local/${name}:1`, memory: 512 }],
    },
  });
}

function deployImage(name: string, extra: Record<string, string> = {}): Promise<RunActionResult> {
  return runAction({
    action: 'deploy-ecs',
    inputs: { service: name, 'container-name': 'model', image: `registry.local/${name}:2`, ...extra },
    env: stack.env,
    workspace,
    timeoutMs: 150_000,
  });
}

interface SimService {
  serviceName: string;
  taskDefinition: string;
  deployments: { status: string; taskDefinition: string; serviceDeploymentStatus: string }[];
}

async function serviceState(name: string): Promise<SimService> {
  const state = (await stack.simulator.state('ecs')) as { services: SimService[] };
  const found = state.services.find((s) => s.serviceName === name);
  if (!found) throw new Error(`no service ${name}`);
  return found;
}

async function updates(name: string): Promise<string[]> {
  const calls = await stack.simulator.calls({ service: 'ecs', operation: 'UpdateService' });
  return calls
    .filter((c) => (c.params as { service?: string }).service === name)
    .map((c) => String((c.params as { taskDefinition?: string }).taskDefinition));
}

const errorOf = (result: RunActionResult) =>
  result.annotations.find((a) => a.level === 'error')?.message ?? '';

test('BLUE_GREEN with a bake time: followed through its stages to SUCCESSFUL, the stage timeline in the summary', async () => {
  await seed('bg-healthy', 'healthy', blueGreen('bg-healthy', 10));
  const result = await deployImage('bg-healthy');
  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({
    status: 'succeeded',
    'task-definition-arn': td('bg-healthy', 2),
    'previous-task-definition-arn': td('bg-healthy', 1),
  });
  const service = await serviceState('bg-healthy');
  expect(service.taskDefinition).toBe(td('bg-healthy', 2));
  expect(service.deployments[0]).toMatchObject({ status: 'PRIMARY', serviceDeploymentStatus: 'SUCCESSFUL' });
  // The bake time (10 virtual minutes, 20 s here) is long enough for a poll to see it on any machine.
  expect(result.summary).toContain('stage: IN\\_PROGRESS BAKE\\_TIME');
  expect(result.summary).toContain('stage: SUCCESSFUL');
  expect(result.summary).toContain('BLUE\\_GREEN deployment');
  expect(result.stdout).toMatch(/100% of production traffic on the new revision/);
  // The service deployment is read by the ARN UpdateService answered with.
  const described = await stack.simulator.calls({ service: 'ecs', operation: 'DescribeServiceDeployments' });
  const arns = new Set(
    described.map((c) =>
      JSON.stringify((c.params as { serviceDeploymentArns: string[] }).serviceDeploymentArns),
    ),
  );
  expect(arns.size).toBe(1);
  expect(await updates('bg-healthy')).toEqual([td('bg-healthy', 2)]);
  const [tagged] = await stack.simulator.calls({ service: 'ecs', operation: 'TagResource' });
  expect(JSON.stringify(tagged?.params)).toContain(td('bg-healthy', 1));
});

test.each([
  ['alarm-rollback', 'CloudWatch alarm bg-alarm-rollback-5xx in ALARM', 'BAKE_TIME'],
  ['hook-fails', `lifecycle hook ${HOOK}`, 'POST_TEST_TRAFFIC_SHIFT'],
  ['crashloop', 'deployment circuit breaker: 3 tasks failed (threshold 3)', 'SCALE_UP'],
])(
  'BLUE_GREEN %s: ECS rolls back itself; rolled-back, the previous revision serving, no second rollback',
  async (scenario, cause, stage) => {
    const name = `bg-${scenario}`;
    await seed(name, scenario, blueGreen(name, 2));
    const result = await deployImage(name);
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ status: 'rolled-back', 'task-definition-arn': td(name, 2) });
    const error = errorOf(result);
    expect(error).toContain(`of ${name}:2 failed at ${stage}: ${cause}`);
    expect(error).toContain(`ECS rolled back to ${name}:1`);
    expect(result.summary).toContain(`runs ${name}:1 again`);
    const service = await serviceState(name);
    expect(service.taskDefinition).toBe(td(name, 1));
    // One UpdateService, this run's: ECS's rollback is followed, never doubled.
    expect(await updates(name)).toEqual([td(name, 2)]);
    if (scenario === 'crashloop') {
      expect(result.summary).toContain('Why it failed: stopped tasks');
      expect(result.stdout).toContain(
        '3 tasks stopped: EssentialContainerExited: Essential container in task exited; model: exit 1',
      );
    }
  },
);

test('BLUE_GREEN rollback-fails: ECS says ROLLBACK_FAILED; the run deploys the previous revision itself', async () => {
  await seed('bg-rollback-fails', 'rollback-fails', blueGreen('bg-rollback-fails', 2));
  const result = await deployImage('bg-rollback-fails');
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('rolled-back');
  const error = errorOf(result);
  expect(error).toContain("ECS's rollback failed (ROLLBACK_FAILED)");
  expect(error).toContain('rolled back to bg-rollback-fails:1');
  expect(await updates('bg-rollback-fails')).toEqual([
    td('bg-rollback-fails', 2),
    td('bg-rollback-fails', 1),
  ]);
  expect((await serviceState('bg-rollback-fails')).taskDefinition).toBe(td('bg-rollback-fails', 1));
});

test('BLUE_GREEN rollback-fails with rollback-on-failure false: failed, naming the revision to return to', async () => {
  await seed('bg-rollback-kept', 'rollback-fails', blueGreen('bg-rollback-kept', 2));
  const result = await deployImage('bg-rollback-kept', { 'rollback-on-failure': 'false' });
  expect(result.outputs.status).toBe('failed');
  expect(errorOf(result)).toContain('rollback-to: bg-rollback-kept:1');
  expect(await updates('bg-rollback-kept')).toEqual([td('bg-rollback-kept', 2)]);
});

test.each([
  [
    'LINEAR',
    { strategy: 'LINEAR', linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 5 } },
    '50%',
  ],
  [
    'CANARY',
    { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 } },
    '10%',
  ],
])(
  '%s healthy: traffic moves in steps and the run succeeds on the new revision',
  async (strategy, config, step) => {
    const name = `${strategy.toLowerCase()}-healthy`;
    await seed(name, 'healthy', { ...config, bakeTimeInMinutes: 0 });
    const result = await deployImage(name);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect((await serviceState(name)).taskDefinition).toBe(td(name, 2));
    // The step bakes 5 virtual minutes (10 s here): a poll sees it on any machine.
    expect(result.stdout).toContain(
      `PRODUCTION_TRAFFIC_SHIFT, ${step} of production traffic on the new revision`,
    );
    expect(result.summary).toContain(`${strategy} deployment`);
  },
);

test('rollback-to: previous on a BLUE_GREEN service returns it through a service deployment of that revision', async () => {
  await seed('bg-back', 'healthy', blueGreen('bg-back', 0));
  expect((await deployImage('bg-back')).outputs.status).toBe('succeeded');
  const result = await runAction({
    action: 'deploy-ecs',
    inputs: { service: 'bg-back', 'rollback-to': 'previous' },
    env: stack.env,
    workspace,
    timeoutMs: 150_000,
  });
  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({ status: 'succeeded', 'task-definition-arn': td('bg-back', 1) });
  const service = await serviceState('bg-back');
  expect(service.taskDefinition).toBe(td('bg-back', 1));
  expect(service.deployments[0]).toMatchObject({ status: 'PRIMARY', serviceDeploymentStatus: 'SUCCESSFUL' });
});

test('never-stable past timeout-minutes: the run asks ECS to roll back (StopServiceDeployment ROLLBACK) and follows it', async () => {
  await seed('bg-stuck', 'never-stable', blueGreen('bg-stuck', 0));
  const result = await deployImage('bg-stuck', { 'timeout-minutes': '0.1' });
  expect(result.outputs.status).toBe('rolled-back');
  expect(errorOf(result)).toContain('stopped it, and ECS rolled back to bg-stuck:1');
  const stops = await stack.simulator.calls({ service: 'ecs', operation: 'StopServiceDeployment' });
  expect(stops.map((c) => (c.params as { stopType?: string }).stopType)).toEqual(['ROLLBACK']);
  expect(await updates('bg-stuck')).toEqual([td('bg-stuck', 2)]);
  expect((await serviceState('bg-stuck')).taskDefinition).toBe(td('bg-stuck', 1));
});
