/**
 * The bundled deploy-ecs against the scenario simulator: every rollout scenario, rollback-to, run-task
 * and bad inputs. The simulator's clock runs 15 times faster than the action's polls.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type RunActionResult } from '../../support/harness';
import { startStack, type Stack } from '../../support/stack';
import { renderSummary } from '../../support/rendered-summary';

jest.setTimeout(180_000);

const SPEED = 15;
const MUTATING = [
  'RegisterTaskDefinition',
  'UpdateService',
  'TagResource',
  'UntagResource',
  'RunTask',
  'CreateService',
];

interface SimDeployment {
  id: string;
  status: string;
  taskDefinition: string;
  rolloutState: string;
}
interface SimService {
  serviceName: string;
  taskDefinition: string;
  throttled: number;
  deployments: SimDeployment[];
}

let stack: Stack;
const workspace = mkdtempSync(join(tmpdir(), 'deploy-ecs-it-'));

beforeAll(async () => {
  stack = await startStack({ simulatorSpeed: SPEED });
});
afterAll(async () => {
  await stack?.stop();
});

async function seedService(name: string, scenario: string): Promise<void> {
  await stack.simulator.choose('ecs', name, scenario);
  await stack.simulator.seed('ecs', {
    serviceName: name,
    taskDefinition: {
      family: name,
      containerDefinitions: [
        {
          name: 'model',
          image: `registry.local/${name}:1`,
          memory: 512,
          environment: [{ name: 'MODE', value: 'serve' }],
        },
        { name: 'log-router', image: 'registry.local/fluent-bit:2', essential: false, memory: 64 },
      ],
    },
  });
}

async function serviceState(name: string): Promise<SimService> {
  const state = (await stack.simulator.state('ecs')) as { services: SimService[] };
  const found = state.services.find((s) => s.serviceName === name);
  if (!found) throw new Error(`no service ${name} in the simulator`);
  return found;
}

function primaryOf(service: SimService): SimDeployment {
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (!primary) throw new Error(`service ${service.serviceName} has no PRIMARY deployment`);
  return primary;
}

const td = (name: string, revision: number) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${name}:${revision}`;

function deploy(inputs: Record<string, string>): Promise<RunActionResult> {
  return runAction({ action: 'deploy-ecs', inputs, env: stack.env, workspace, timeoutMs: 120_000 });
}

function deployImage(
  name: string,
  tag: string,
  extra: Record<string, string> = {},
): Promise<RunActionResult> {
  return deploy({
    service: name,
    'container-name': 'model',
    image: `registry.local/${name}:${tag}`,
    ...extra,
  });
}

function errorsOf(result: RunActionResult): string[] {
  return result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
}

test('healthy: succeeds on the new revision, records the previous one, and says so in the summary', async () => {
  await seedService('healthy-web', 'healthy');
  const result = await deployImage('healthy-web', '2', { 'environment-variables': 'THRESHOLD=0.7\nEMPTY=' });
  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({
    status: 'succeeded',
    'task-definition-arn': td('healthy-web', 2),
    'previous-task-definition-arn': td('healthy-web', 1),
  });
  const service = await serviceState('healthy-web');
  expect(primaryOf(service)).toMatchObject({
    taskDefinition: td('healthy-web', 2),
    rolloutState: 'COMPLETED',
  });
  expect(result.outputs['deployment-id']).toBe(primaryOf(service).id);
  expect(result.stdout).toContain('event: (service healthy-web) has reached a steady state.');
  expect(result.summary).toContain('| model | registry.local/healthy-web:1 | registry.local/healthy-web:2 |');
  expect(result.summary).toContain('healthy-web:1 → healthy-web:2');
  const [tagCall] = await stack.simulator.calls({ service: 'ecs', operation: 'TagResource' });
  expect(JSON.stringify(tagCall?.params)).toContain(td('healthy-web', 1));
  const [registered] = await stack.simulator.calls({ service: 'ecs', operation: 'RegisterTaskDefinition' });
  expect(JSON.stringify(registered?.params)).toContain('{"name":"EMPTY","value":""}');
});

test('running the same step again registers nothing and deploys nothing', async () => {
  await seedService('steady-web', 'healthy');
  const first = await deployImage('steady-web', '2');
  expect(first.outputs.status).toBe('succeeded');
  await stack.simulator.clearCalls();
  const again = await deployImage('steady-web', '2');
  expect(again.exitCode).toBe(0);
  expect(again.outputs).toMatchObject({ status: 'succeeded', 'task-definition-arn': td('steady-web', 2) });
  expect(again.stdout).toContain('nothing new registered');
  const calls = await stack.simulator.calls({ service: 'ecs' });
  expect(calls.filter((c) => MUTATING.includes(c.operation))).toEqual([]);
});

test('slow: followed until it completes', async () => {
  await seedService('slow-web', 'slow');
  await stack.simulator.clock({ speed: 120 });
  try {
    const result = await deployImage('slow-web', '2');
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
  } finally {
    await stack.simulator.clock({ speed: SPEED });
  }
});

test.each([
  [
    'crashloop',
    'EssentialContainerExited: Essential container in task exited; model: exit 1',
    ['EssentialContainerExited', 'model: exit 1'],
    'ECS rolled back to crashloop:1',
  ],
  [
    'rollback-by-circuit-breaker',
    'EssentialContainerExited: Essential container in task exited; model: exit 137 (OutOfMemoryError: Container killed due to memory usage)',
    ['model: exit 137 (OutOfMemoryError: Container killed due to memory usage)'],
    'ECS rolled back to rollback-by-circuit-breaker:1',
  ],
  [
    'image-pull-failure',
    'TaskFailedToStart: CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref registry.local/image-pull-failure:2: not found',
    [
      'TaskFailedToStart',
      'model: no exit code (CannotPullContainerError: failed to resolve ref registry.local/image-pull-failure:2: not found)',
    ],
    '; rolled back to image-pull-failure:1',
  ],
])(
  '%s: fails with the stopped tasks’ reasons and leaves the previous revision running',
  async (scenario, reason, cells, verdict) => {
    await seedService(scenario, scenario);
    const result = await deployImage(scenario, '2');
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({
      status: 'rolled-back',
      'task-definition-arn': td(scenario, 2),
      'previous-task-definition-arn': td(scenario, 1),
    });
    const [error] = errorsOf(result);
    expect(error).toContain(`Deployment ${result.outputs['deployment-id']} of ${scenario}:2 failed`);
    expect(error).toContain(verdict);
    expect(result.stdout).toMatch(
      new RegExp(`\\d tasks? stopped: ${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    expect(result.summary).toContain('Why it failed: stopped tasks');
    for (const cell of cells) expect(result.summary).toContain(cell);
    // ❌ and the reason first: where the service is now and why, then the error, above every table.
    const shown = renderSummary(result.summary);
    expect(shown.headline).toContain(
      `❌ deploy-ecs rolled back: default/${scenario} runs ${scenario}:1 again; ${scenario}:2 failed: `,
    );
    expect(shown.headline).toContain(cells[0]);
    expect(shown.quote).toContain(verdict);
    expect(shown.quoteAt).toBeLessThan(shown.tableAt);
    expect(shown.tableHeaders.flat()).not.toContain('');
    const service = await serviceState(scenario);
    expect(primaryOf(service)).toMatchObject({ taskDefinition: td(scenario, 1), rolloutState: 'COMPLETED' });
  },
);

test('never-stable: the deadline fails with what the service was doing, then rolls back', async () => {
  await seedService('never-web', 'never-stable');
  const result = await deployImage('never-web', '2', { 'timeout-minutes': '0.15' });
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('rolled-back');
  const [error] = errorsOf(result);
  expect(error).toMatch(
    /Timed out after 0\.15 minutes waiting for deployment ecs-svc\/\d+ to complete; last seen: IN_PROGRESS: 0\/1 running/,
  );
  expect(error).toContain('rolled back to never-web:1');
  expect(result.stdout).toContain(
    'ServiceSchedulerInitiated: Task failed container health checks; model: exit 143',
  );
  expect(primaryOf(await serviceState('never-web'))).toMatchObject({
    taskDefinition: td('never-web', 1),
    rolloutState: 'COMPLETED',
  });
});

test('rollback-on-failure false leaves the failed revision and says failed', async () => {
  await seedService('no-rollback-web', 'image-pull-failure');
  const result = await deployImage('no-rollback-web', '2', { 'rollback-on-failure': 'false' });
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('failed');
  expect(primaryOf(await serviceState('no-rollback-web'))).toMatchObject({
    taskDefinition: td('no-rollback-web', 2),
    rolloutState: 'FAILED',
  });
});

test('throttling bursts: backs off and still ends with the true outcome', async () => {
  await seedService('throttled-web', 'throttling');
  // Virtual time all but stops until the action has met several throttled reads, so how many it
  // meets no longer depends on how loaded the machine is; then the rollout is let finish.
  await stack.simulator.clock({ speed: 0.001 });
  try {
    const running = deployImage('throttled-web', '2');
    await throttledAtLeast('throttled-web', 5);
    await stack.simulator.clock({ speed: SPEED, advanceSeconds: 180 });
    const result = await running;
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
  } finally {
    await stack.simulator.clock({ speed: SPEED });
  }
});

/** Polls the simulator (real time, integration only) until `name` has answered `count` throttles. */
async function throttledAtLeast(name: string, count: number): Promise<void> {
  const deadline = Date.now() + 90_000;
  while ((await serviceState(name)).throttled < count) {
    if (Date.now() > deadline) throw new Error(`${name} was throttled fewer than ${count} times in 90 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('a service that does not name its service deployment is followed through its deployments list', async () => {
  await seedService('listed-web', 'deployments-list-only');
  const result = await deployImage('listed-web', '2');
  expect(result.exitCode).toBe(0);
  expect(result.outputs.status).toBe('succeeded');
  const calls = await stack.simulator.calls({ service: 'ecs', operation: 'DescribeServiceDeployments' });
  expect(calls.filter((c) => JSON.stringify(c.params).includes('listed-web'))).toEqual([]);
});

test('rollback-to previous after two deployments returns the service to the first', async () => {
  await seedService('twice-web', 'healthy');
  expect((await deployImage('twice-web', '2')).outputs.status).toBe('succeeded');
  expect((await deployImage('twice-web', '3')).outputs.status).toBe('succeeded');
  const result = await deploy({ service: 'twice-web', 'rollback-to': 'previous' });
  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({
    status: 'succeeded',
    'task-definition-arn': td('twice-web', 2),
    'previous-task-definition-arn': td('twice-web', 3),
  });
  expect(primaryOf(await serviceState('twice-web'))).toMatchObject({
    taskDefinition: td('twice-web', 2),
    rolloutState: 'COMPLETED',
  });
});

test('run-task: a job that exits 1 fails the step with its exit code, and the service is not touched', async () => {
  await seedService('migrate', 'crashloop');
  await stack.simulator.clearCalls();
  const result = await deploy({
    service: 'migrate',
    'container-name': 'model',
    image: 'registry.local/migrate:2',
    'run-task': 'true',
    'run-task-launch-type': 'EC2',
  });
  expect(result.exitCode).toBe(1);
  expect(result.outputs).toMatchObject({ status: 'failed', 'run-task-exit-code': '1' });
  expect(errorsOf(result)[0]).toMatch(/run-task: task \w+ exited with code 1/);
  expect(await stack.simulator.calls({ service: 'ecs', operation: 'UpdateService' })).toEqual([]);
});

test('run-task without a service: a batch job that exits 0', async () => {
  const file = join(workspace, 'batch.json');
  writeFileSync(
    file,
    JSON.stringify({
      family: 'score-batch',
      containerDefinitions: [{ name: 'score', image: 'registry.local/score:1', memory: 256 }],
    }),
  );
  const result = await deploy({ 'task-definition': file, 'run-task': 'true', 'run-task-launch-type': 'EC2' });
  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({ status: 'succeeded', 'run-task-exit-code': '0' });
});

describe('bad inputs fail before any call that changes AWS', () => {
  const files = {
    json: [
      'bad.json',
      '{\n  "family": "web",\n  "containerDefinitions": [\n    { "name": "model" \n  ]\n}\n',
    ],
    yaml: ['bad.yaml', 'family: web\ncontainerDefinitions:\n  - name: model\n   image: x:1\n'],
    good: [
      'good.json',
      JSON.stringify({ family: 'inputs-web', containerDefinitions: [{ name: 'model', image: 'x:1' }] }),
    ],
  } as const;
  const path = (key: keyof typeof files) => {
    const [name, text] = files[key];
    writeFileSync(join(workspace, name), text);
    return name;
  };

  beforeAll(async () => {
    await seedService('inputs-web', 'healthy');
  });

  test.each<[string, () => Record<string, string>, string]>([
    [
      'missing file',
      () => ({ 'task-definition': 'missing.json' }),
      "Input 'task-definition' must name an existing file",
    ],
    [
      'invalid JSON',
      () => ({ 'task-definition': path('json') }),
      "Input 'task-definition' is not valid JSON or YAML at line 5",
    ],
    [
      'invalid YAML',
      () => ({ 'task-definition': path('yaml') }),
      "Input 'task-definition' is not valid JSON or YAML at line 4",
    ],
    [
      'unknown container in a file',
      () => ({ 'task-definition': path('good'), 'container-name': 'modle', image: 'x:2' }),
      "Input 'container-name' names 'modle', not in the task definition; its containers are: model",
    ],
    [
      'unknown container in the service’s task definition',
      () => ({ service: 'inputs-web', 'container-name': 'sidecar', image: 'x:2' }),
      'its containers are: model, log-router',
    ],
    [
      'image without a tag or digest',
      () => ({ service: 'inputs-web', image: 'registry.local/model' }),
      "Input 'image' must name a tag or a digest",
    ],
    [
      'rollback-to with task-definition',
      () => ({ service: 'inputs-web', 'task-definition': path('good'), 'rollback-to': 'previous' }),
      "Input 'rollback-to' cannot be combined with task-definition",
    ],
  ])('%s', async (_name, inputs, message) => {
    await stack.simulator.clearCalls();
    const result = await deploy(inputs());
    expect(result.exitCode).toBe(1);
    expect(errorsOf(result).join('\n')).toContain(message);
    const calls = await stack.simulator.calls({ service: 'ecs' });
    expect(calls.filter((c) => MUTATING.includes(c.operation))).toEqual([]);
  });
});
