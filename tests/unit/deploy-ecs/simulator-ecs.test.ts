/** The simulator's ECS model, through its core (no HTTP): rollouts play out over virtual time. */
import { SimulatorCore } from '../../support/simulator/core';
import { VirtualClock } from '../../support/simulator/clock';
import { ServiceError } from '../../support/simulator/errors';
import { ecsService } from '../../support/simulator/services/ecs';
import {
  CIRCUIT_BREAKER_REASON,
  circuitBreakerThreshold,
} from '../../support/simulator/services/ecs/rollout';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function simulator() {
  let real = 0;
  const clock = new VirtualClock({ start: 1_000_000, realNow: () => real });
  const core = new SimulatorCore({ services: [ecsService], clock, accountId: '123456789012' });
  const call = (operation: string, input: Json): Json => {
    const routed = core.router.byTarget(`AmazonEC2ContainerServiceV20141113.${operation}`);
    if (!routed) throw new Error(`no ${operation}`);
    return routed.operation.handle({ input, region: 'us-east-1' }) as Json;
  };
  const seed = (name: string, scenario: string, desiredCount?: number) => {
    core.scenarios.choose('ecs', name, scenario);
    core.seed(
      'ecs',
      {
        serviceName: name,
        ...(desiredCount !== undefined && { desiredCount }),
        taskDefinition: { family: name, containerDefinitions: [{ name: 'model', image: `${name}:1` }] },
      },
      'us-east-1',
    );
    call('RegisterTaskDefinition', {
      family: name,
      containerDefinitions: [{ name: 'model', image: `${name}:2` }],
    });
    return call('UpdateService', { service: name, taskDefinition: `${name}:2` }).service as Json;
  };
  const describe = (name: string) =>
    (call('DescribeServices', { services: [name] }).services as Json[])[0] as Json;
  const advance = (seconds: number) => {
    real += seconds * 1000;
  };
  return { call, seed, describe, advance };
}

test('healthy: the new deployment completes after its rollout time, and the old one goes', () => {
  const sim = simulator();
  const started = sim.seed('web', 'healthy');
  expect(started.deployments.map((d: Json) => [d.status, d.rolloutState])).toEqual([
    ['PRIMARY', 'IN_PROGRESS'],
    ['ACTIVE', 'COMPLETED'],
  ]);
  sim.advance(44);
  expect(sim.describe('web').deployments[0].rolloutState).toBe('IN_PROGRESS');
  sim.advance(1);
  const done = sim.describe('web');
  expect(done.deployments).toHaveLength(1);
  expect(done.deployments[0]).toMatchObject({
    rolloutState: 'COMPLETED',
    runningCount: 1,
    taskDefinition: started.taskDefinition,
  });
  expect(done.events[0].message).toBe('(service web) has reached a steady state.');
});

test('crashloop: tasks stop with exit code 1, then the circuit breaker rolls back to the previous revision', () => {
  const sim = simulator();
  const started = sim.seed('crash', 'crashloop');
  const id = started.deployments[0].id;
  sim.advance(46);
  const failing = sim.describe('crash');
  expect(failing.taskDefinition).toMatch(/crash:1$/);
  expect(failing.deployments.find((d: Json) => d.id === id)).toMatchObject({
    status: 'ACTIVE',
    rolloutState: 'FAILED',
    failedTasks: 3,
  });
  const arns = sim.call('ListTasks', { startedBy: id, desiredStatus: 'STOPPED' }).taskArns as string[];
  expect(arns).toHaveLength(3);
  const [task] = sim.call('DescribeTasks', { tasks: arns }).tasks as Json[];
  expect(task).toMatchObject({
    stopCode: 'EssentialContainerExited',
    containers: [{ name: 'model', exitCode: 1 }],
  });
  sim.advance(30);
  const sd = sim.call('DescribeServiceDeployments', {
    serviceDeploymentArns: [started.currentServiceDeployment],
  }).serviceDeployments[0];
  expect(sd.status).toBe('ROLLBACK_SUCCESSFUL');
  expect(sim.describe('crash').deployments.map((d: Json) => [d.status, d.rolloutState])).toEqual([
    ['PRIMARY', 'COMPLETED'],
  ]);
});

// ECS Developer Guide, "How the Amazon ECS deployment circuit breaker detects failures" (failure
// threshold) and ECS API reference, ServiceDeploymentCircuitBreaker.threshold: half the desired task
// count, rounded up, at least 3 and at most 200.
test.each([
  [0, 3],
  [1, 3],
  [6, 3],
  [7, 4],
  [10, 5],
  [399, 200],
  [400, 200],
  [1000, 200],
])('the circuit breaker of a deployment of %i tasks fails it at %i failed tasks', (desired, threshold) => {
  expect(circuitBreakerThreshold(desired)).toBe(threshold);
});

test('crashloop of 10 tasks: the circuit breaker trips at the 5th failed task, with ECS’s rollout state reason', () => {
  const sim = simulator();
  const started = sim.seed('wide', 'crashloop', 10);
  const id = started.deployments[0].id;
  sim.advance(4 * 15);
  expect(sim.describe('wide').deployments[0]).toMatchObject({
    id,
    rolloutState: 'IN_PROGRESS',
    failedTasks: 4,
  });
  sim.advance(15);
  const failed = (sim.describe('wide').deployments as Json[]).find((d) => d.id === id);
  // The reason ECS gives a deployment its circuit breaker failed (as quoted in aws/containers-roadmap#1488).
  expect(failed).toMatchObject({
    rolloutState: 'FAILED',
    failedTasks: 5,
    rolloutStateReason: CIRCUIT_BREAKER_REASON,
  });
  expect(CIRCUIT_BREAKER_REASON).toBe('ECS deployment circuit breaker: tasks failed to start.');
  const [sd] = sim.call('DescribeServiceDeployments', {
    serviceDeploymentArns: [started.currentServiceDeployment],
  }).serviceDeployments as Json[];
  expect(sd).toMatchObject({
    status: 'ROLLBACK_IN_PROGRESS',
    statusReason: CIRCUIT_BREAKER_REASON,
    deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 5, threshold: 5 },
  });
});

test('image-pull-failure: the circuit breaker fails the deployment and leaves it PRIMARY; a known-good revision then rolls out', () => {
  const sim = simulator();
  sim.seed('pull', 'image-pull-failure');
  sim.advance(60);
  const failed = sim.describe('pull').deployments[0];
  expect(failed).toMatchObject({ status: 'PRIMARY', rolloutState: 'FAILED' });
  const [task = {}] = sim.call('DescribeTasks', {
    tasks: sim.call('ListTasks', { startedBy: failed.id, desiredStatus: 'STOPPED' }).taskArns,
  }).tasks as Json[];
  expect(task.stoppedReason).toContain('CannotPullContainerError');
  expect(task.stoppedReason).toContain('failed to resolve ref pull:2');
  sim.call('UpdateService', { service: 'pull', taskDefinition: 'pull:1' });
  sim.advance(30);
  expect(sim.describe('pull').deployments[0]).toMatchObject({
    rolloutState: 'COMPLETED',
    taskDefinition: expect.stringMatching(/pull:1$/),
  });
});

test('throttling answers ThrottlingException in bursts while a rollout is in progress', () => {
  const sim = simulator();
  sim.seed('busy', 'throttling');
  const answers = Array.from({ length: 12 }, () => {
    try {
      sim.describe('busy');
      return 'ok';
    } catch (err) {
      return (err as ServiceError).code;
    }
  });
  expect(answers.filter((a) => a === 'ThrottlingException')).toHaveLength(9);
});

test('RegisterTaskDefinition refuses read-only fields and fills in ECS defaults', () => {
  const sim = simulator();
  expect(() =>
    sim.call('RegisterTaskDefinition', {
      family: 'x',
      revision: 3,
      containerDefinitions: [{ name: 'a', image: 'a:1' }],
    }),
  ).toThrow('Unexpected read-only field(s) in the request: revision');
  const { taskDefinition } = sim.call('RegisterTaskDefinition', {
    family: 'x',
    containerDefinitions: [{ name: 'a', image: 'a:1' }],
  });
  expect(taskDefinition.containerDefinitions[0]).toMatchObject({ essential: true, cpu: 0, environment: [] });
});

describe('RunTask', () => {
  const register = (sim: ReturnType<typeof simulator>) =>
    sim.call('RegisterTaskDefinition', {
      family: 'job',
      containerDefinitions: [
        { name: 'score', image: 'score:1' },
        { name: 'sidecar', image: 'side:1', essential: false },
      ],
    });

  test.each([
    [
      'a launch type beside a capacity provider strategy',
      { launchType: 'FARGATE', capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] },
      'Specifying both a launchType and capacityProviderStrategy is not supported.',
    ],
    [
      'an override for a container the task definition lacks',
      { overrides: { containerOverrides: [{ name: 'scorer', command: ['x'] }] } },
      'Override for container named scorer is not a container in the TaskDefinition.',
    ],
  ])('refuses %s', (_what, input, message) => {
    const sim = simulator();
    register(sim);
    expect(() => sim.call('RunTask', { taskDefinition: 'job', ...input })).toThrow(message);
  });

  test.each([
    [
      [
        { capacityProvider: 'FARGATE_SPOT', weight: 4 },
        { capacityProvider: 'FARGATE', weight: 1 },
      ],
      'FARGATE_SPOT',
      'FARGATE',
    ],
    [
      [
        { capacityProvider: 'gpu-asg', weight: 1 },
        { capacityProvider: 'FARGATE', base: 1, weight: 1 },
      ],
      'FARGATE',
      'FARGATE',
    ],
    [[{ capacityProvider: 'gpu-asg', weight: 1 }], 'gpu-asg', 'EC2'],
  ])('strategy %j places the task on %s (%s)', (strategy, provider, launchType) => {
    const sim = simulator();
    register(sim);
    const [task] = sim.call('RunTask', { taskDefinition: 'job', capacityProviderStrategy: strategy }).tasks;
    expect(task).toMatchObject({ capacityProviderName: provider, launchType });
  });

  test('DescribeTasks shows the overrides, the network interface, and the tags only with include TAGS', () => {
    const sim = simulator();
    register(sim);
    const overrides = { containerOverrides: [{ name: 'score', environment: [{ name: 'A', value: '' }] }] };
    const [started] = sim.call('RunTask', {
      taskDefinition: 'job',
      launchType: 'FARGATE',
      overrides,
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0123456789abcdef0'] } },
      tags: [{ key: 'job', value: 'nightly' }],
    }).tasks;
    const described = (include?: string[]) =>
      sim.call('DescribeTasks', { tasks: [started.taskArn], ...(include && { include }) }).tasks[0];
    expect(described()).toMatchObject({ overrides: { ...overrides, inferenceAcceleratorOverrides: [] } });
    expect(described().attachments[0].details).toContainEqual({
      name: 'subnetId',
      value: 'subnet-0123456789abcdef0',
    });
    expect(described()).not.toHaveProperty('tags');
    expect(described(['TAGS']).tags).toEqual([{ key: 'job', value: 'nightly' }]);
  });

  // ECS API reference, ListTasks and DescribeTasks: "stopped tasks appear in the returned results
  // for at least one hour". The simulator keeps them exactly one hour after stoppedAt.
  test('a stopped task carries stoppedAt and is listed and described for one hour after it stopped, then gone', () => {
    const sim = simulator();
    register(sim);
    const [started] = sim.call('RunTask', { taskDefinition: 'job' }).tasks;
    const stopped = () => sim.call('ListTasks', { desiredStatus: 'STOPPED' }).taskArns as string[];
    const describe = () => sim.call('DescribeTasks', { tasks: [started.taskArn] });
    expect(started).not.toHaveProperty('stoppedAt');
    sim.advance(45); // the healthy scenario's task exits 0 after 45 s
    const [task] = describe().tasks as Json[];
    expect(task).toMatchObject({ lastStatus: 'STOPPED', stoppedAt: new Date(1_000_000 + 45_000) });
    expect(stopped()).toEqual([started.taskArn]);
    sim.advance(3600);
    expect(stopped()).toEqual([started.taskArn]);
    expect(describe().tasks).toHaveLength(1);
    sim.advance(1);
    expect(stopped()).toEqual([]);
    expect(describe()).toEqual({ tasks: [], failures: [{ arn: started.taskArn, reason: 'MISSING' }] });
  });
});

test('UpdateService keeps propagateTags and enableECSManagedTags and starts no deployment for them', () => {
  const sim = simulator();
  sim.seed('web', 'healthy');
  sim.advance(60);
  const before = sim.describe('web').deployments.map((d: Json) => d.id);
  sim.call('UpdateService', { service: 'web', propagateTags: 'SERVICE', enableECSManagedTags: true });
  const after = sim.describe('web');
  expect(after).toMatchObject({ propagateTags: 'SERVICE', enableECSManagedTags: true });
  expect(after.deployments.map((d: Json) => d.id)).toEqual(before);
});

// UpdateService.volumeConfigurations: "if this configuration differs from the existing one, it
// triggers a new deployment"; ServiceVolumeConfiguration.name "must match the volume name from the
// Volume object in the task definition" (ECS API model); Deployment.volumeConfigurations shows it.
describe('volumeConfigurations', () => {
  const volume = (sizeInGiB: number) => [
    { name: 'data', managedEBSVolume: { roleArn: 'arn:aws:iam::123456789012:role/ebs', sizeInGiB } },
  ];
  function withVolume() {
    const sim = simulator();
    sim.seed('ebs', 'healthy');
    sim.advance(60);
    for (const revision of [3, 4]) {
      sim.call('RegisterTaskDefinition', {
        family: 'ebs',
        volumes: [{ name: 'data', configuredAtLaunch: true }],
        containerDefinitions: [{ name: 'model', image: `ebs:${revision}` }],
      });
    }
    sim.call('UpdateService', { service: 'ebs', taskDefinition: 'ebs:3', volumeConfigurations: volume(10) });
    sim.advance(60);
    return sim;
  }

  test('kept on the deployment; a new one starts a deployment, the same one does not, none keeps it', () => {
    const sim = withVolume();
    const primary = () => sim.describe('ebs').deployments.find((d: Json) => d.status === 'PRIMARY');
    expect(primary().volumeConfigurations).toEqual(volume(10));
    const before = primary().id;
    sim.call('UpdateService', { service: 'ebs', volumeConfigurations: volume(10) });
    expect(primary().id).toBe(before);
    sim.call('UpdateService', { service: 'ebs', volumeConfigurations: volume(20) });
    expect(primary().id).not.toBe(before);
    expect(primary().volumeConfigurations).toEqual(volume(20));
    sim.advance(60);
    sim.call('UpdateService', { service: 'ebs', taskDefinition: 'ebs:4' });
    expect(primary().volumeConfigurations).toEqual(volume(20));
  });

  test('a name that is not the task definition’s volume configured at launch is refused', () => {
    const sim = withVolume();
    expect(() =>
      sim.call('UpdateService', {
        service: 'ebs',
        volumeConfigurations: [{ name: 'scratch', managedEBSVolume: { roleArn: 'arn:aws:iam::1:role/x' } }],
      }),
    ).toThrow(ServiceError);
  });
});
