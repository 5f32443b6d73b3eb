/**
 * The simulator's ECS-native deployment strategies (BLUE_GREEN, LINEAR, CANARY): the stage plan as a
 * table, and service deployments played out over virtual time through the core (no HTTP). Stages
 * and statuses are ServiceDeploymentLifecycleStage and ServiceDeploymentStatus of the botocore model
 * (ecs/2014-11-13); the flow is the ECS Developer Guide's ("Amazon ECS blue/green service
 * deployments workflow", "Amazon ECS deployment failure detection", "Lifecycle hooks for Amazon ECS
 * service deployments", "View service history using Amazon ECS service deployments").
 */
import { SimulatorCore } from '../../support/simulator/core';
import { VirtualClock } from '../../support/simulator/clock';
import { ecsService } from '../../support/simulator/services/ecs';
import { nativeConfig, stageSpans } from '../../support/simulator/services/ecs/native';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('stage plan', () => {
  const production = (config: Json) =>
    stageSpans(nativeConfig(config)!, 30_000)
      .filter((s) => s.stage === 'PRODUCTION_TRAFFIC_SHIFT')
      .map((s) => [s.production, s.to - s.from]);

  test.each([
    ['BLUE_GREEN: all production traffic in one shift', { strategy: 'BLUE_GREEN' }, [[100, 5_000]]],
    [
      'LINEAR 25 % every 2 minutes: no bake after 100 % (LinearConfiguration)',
      { strategy: 'LINEAR', linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 2 } },
      [
        [25, 125_000],
        [50, 125_000],
        [75, 125_000],
        [100, 5_000],
      ],
    ],
    [
      'CANARY 10 % for 3 minutes, then the rest',
      { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 } },
      [
        [10, 185_000],
        [100, 5_000],
      ],
    ],
    [
      'CANARY defaults: 5 % for 10 minutes',
      { strategy: 'CANARY' },
      [
        [5, 605_000],
        [100, 5_000],
      ],
    ],
  ])('%s', (_what, config, expected) => {
    expect(production(config)).toEqual(expected);
  });

  test('the stages run in the documented order, bake time before clean-up', () => {
    const stages = stageSpans(nativeConfig({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 2 })!, 30_000);
    expect(stages.map((s) => s.stage)).toEqual([
      'PRE_SCALE_UP',
      'SCALE_UP',
      'POST_SCALE_UP',
      'TEST_TRAFFIC_SHIFT',
      'POST_TEST_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'POST_PRODUCTION_TRAFFIC_SHIFT',
      'BAKE_TIME',
      'CLEAN_UP',
    ]);
    expect(stages.find((s) => s.stage === 'BAKE_TIME')).toMatchObject({ production: 100 });
    expect(stages.at(-2)!.to - stages.at(-2)!.from).toBe(120_000);
  });

  test.each([[{ strategy: 'ROLLING' }], [undefined], [{ strategy: 'nonsense' }]])(
    'no native plan for %j',
    (config) => {
      expect(nativeConfig(config)).toBeUndefined();
    },
  );
});

const BLUE_GREEN = {
  strategy: 'BLUE_GREEN',
  bakeTimeInMinutes: 1,
  alarms: { enable: true, rollback: true, alarmNames: ['web-5xx'] },
  lifecycleHooks: [
    {
      hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:smoke',
      roleArn: 'arn:aws:iam::123456789012:role/hooks',
      lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
    },
  ],
};

function simulator() {
  let real = 0;
  const clock = new VirtualClock({ start: 1_000_000, realNow: () => real });
  const core = new SimulatorCore({ services: [ecsService], clock, accountId: '123456789012' });
  const call = (operation: string, input: Json): Json => {
    const routed = core.router.byTarget(`AmazonEC2ContainerServiceV20141113.${operation}`);
    if (!routed) throw new Error(`no ${operation}`);
    return routed.operation.handle({ input, region: 'us-east-1' }) as Json;
  };
  const deploy = (name: string, scenario: string, configuration: Json = BLUE_GREEN): string => {
    core.scenarios.choose('ecs', name, scenario);
    core.seed(
      'ecs',
      {
        serviceName: name,
        desiredCount: 2,
        deploymentConfiguration: configuration,
        taskDefinition: { family: name, containerDefinitions: [{ name: 'model', image: `${name}:1` }] },
      },
      'us-east-1',
    );
    call('RegisterTaskDefinition', {
      family: name,
      containerDefinitions: [{ name: 'model', image: `${name}:2` }],
    });
    const service = call('UpdateService', { service: name, taskDefinition: `${name}:2` }).service as Json;
    return service.currentServiceDeployment as string;
  };
  const sd = (arn: string): Json =>
    (call('DescribeServiceDeployments', { serviceDeploymentArns: [arn] }).serviceDeployments as Json[])[0]!;
  const service = (name: string): Json =>
    (call('DescribeServices', { services: [name] }).services as Json[])[0]!;
  /** Advances virtual time second by second, noting each new status and stage. */
  const playOut = (arn: string, seconds: number): string[] => {
    const seen: string[] = [];
    for (let s = 0; s <= seconds; s++) {
      const d = sd(arn);
      const line = `${d.status}${d.lifecycleStage ? ` ${d.lifecycleStage}` : ''}`;
      if (seen.at(-1) !== line) seen.push(line);
      real += 1000;
    }
    return seen;
  };
  return { call, deploy, sd, service, playOut };
}

test('BLUE_GREEN healthy: PENDING, every stage in order with the bake time, then SUCCESSFUL on the new revision', () => {
  const sim = simulator();
  const arn = sim.deploy('web', 'healthy');
  expect(sim.sd(arn)).toMatchObject({ status: 'PENDING' });
  expect(sim.sd(arn).startedAt).toBeUndefined();
  expect(sim.playOut(arn, 150)).toEqual([
    'PENDING',
    'IN_PROGRESS PRE_SCALE_UP',
    'IN_PROGRESS SCALE_UP',
    'IN_PROGRESS POST_SCALE_UP',
    'IN_PROGRESS TEST_TRAFFIC_SHIFT',
    'IN_PROGRESS POST_TEST_TRAFFIC_SHIFT',
    'IN_PROGRESS PRODUCTION_TRAFFIC_SHIFT',
    'IN_PROGRESS POST_PRODUCTION_TRAFFIC_SHIFT',
    'IN_PROGRESS BAKE_TIME',
    'IN_PROGRESS CLEAN_UP',
    'SUCCESSFUL CLEAN_UP',
  ]);
  const done = sim.sd(arn);
  expect(done).toMatchObject({
    deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 },
    targetServiceRevision: { requestedProductionTrafficWeight: 100, runningTaskCount: 2 },
    sourceServiceRevisions: [{ requestedProductionTrafficWeight: 0 }],
    alarms: { status: 'MONITORING_COMPLETE', alarmNames: ['web-5xx'] },
    deploymentCircuitBreaker: { status: 'MONITORING_COMPLETE', failureCount: 0, threshold: 3 },
  });
  expect(done.targetServiceRevision.arn).toContain(':service-revision/default/web/');
  expect(sim.service('web').taskDefinition).toContain('web:2');
  const listed = sim.call('ListServiceDeployments', { service: 'web' }).serviceDeployments as Json[];
  expect(listed[0]).toMatchObject({ serviceDeploymentArn: arn, status: 'SUCCESSFUL' });
  expect(listed[0]!.targetServiceRevisionArn).toBe(done.targetServiceRevision.arn);
});

test('alarm-rollback: the alarm fires in the bake time; ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL; blue serves again', () => {
  const sim = simulator();
  const arn = sim.deploy('alarmed', 'alarm-rollback');
  const statuses = sim.playOut(arn, 150).map((line) => line.split(' ')[0]);
  expect([...new Set(statuses)]).toEqual([
    'PENDING',
    'IN_PROGRESS',
    'ROLLBACK_REQUESTED',
    'ROLLBACK_IN_PROGRESS',
    'ROLLBACK_SUCCESSFUL',
  ]);
  const ended = sim.sd(arn);
  expect(ended).toMatchObject({
    alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['web-5xx'] },
    rollback: { reason: 'CloudWatch alarm web-5xx went into ALARM.' },
    deploymentCircuitBreaker: { status: 'MONITORING_COMPLETE' },
  });
  expect(ended.rollback.serviceRevisionArn).toBe(ended.sourceServiceRevisions[0].arn);
  expect(sim.service('alarmed').taskDefinition).toContain('alarmed:1');
});

test('crashloop: green’s tasks fail in SCALE_UP; the circuit breaker TRIGGERED at its threshold rolls back', () => {
  const sim = simulator();
  const arn = sim.deploy('crashing', 'crashloop');
  sim.playOut(arn, 90);
  expect(sim.sd(arn)).toMatchObject({
    status: 'ROLLBACK_SUCCESSFUL',
    lifecycleStage: 'SCALE_UP',
    deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 },
    statusReason: 'ECS deployment circuit breaker: tasks failed to start.',
  });
  expect(sim.service('crashing').taskDefinition).toContain('crashing:1');
  const stopped = sim.call('ListTasks', { desiredStatus: 'STOPPED' }).taskArns as string[];
  expect(stopped).toHaveLength(3);
});

test.each([
  ['rollback-fails', 'ROLLBACK_FAILED', 'fails:2'],
  ['image-pull-failure', 'STOPPED', 'fails:2'],
])('%s ends %s and leaves green PRIMARY', (scenario, status, serving) => {
  const sim = simulator();
  const arn = sim.deploy('fails', scenario);
  sim.playOut(arn, 150);
  const ended = sim.sd(arn);
  expect(ended.status).toBe(status);
  expect(ended.finishedAt).toBeDefined();
  expect(sim.service('fails').taskDefinition).toContain(serving);
});

test('hook-fails: the hook at POST_TEST_TRAFFIC_SHIFT returns FAILED; ECS rolls back', () => {
  const sim = simulator();
  const arn = sim.deploy('hooked', 'hook-fails');
  const seen = sim.playOut(arn, 120);
  expect(seen).toContain('IN_PROGRESS POST_TEST_TRAFFIC_SHIFT');
  expect(seen).not.toContain('IN_PROGRESS PRODUCTION_TRAFFIC_SHIFT');
  expect(sim.sd(arn)).toMatchObject({
    status: 'ROLLBACK_SUCCESSFUL',
    lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    lifecycleHookDetails: [
      {
        targetType: 'AWS_LAMBDA',
        targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:smoke',
        status: 'FAILED',
      },
    ],
  });
});

test('LINEAR: production traffic moves in equal steps with the step bake time between', () => {
  const sim = simulator();
  const arn = sim.deploy('linear', 'healthy', {
    strategy: 'LINEAR',
    linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 1 },
  });
  const weights: number[] = [];
  for (let s = 0; s < 160; s++) {
    const w = sim.sd(arn).targetServiceRevision.requestedProductionTrafficWeight as number;
    if (weights.at(-1) !== w) weights.push(w);
    sim.playOut(arn, 0);
  }
  expect(weights).toEqual([0, 50, 100]);
  expect(sim.sd(arn).status).toBe('SUCCESSFUL');
});

test('StopServiceDeployment with ROLLBACK: a never-ending deployment goes ROLLBACK_REQUESTED, then back to blue; an ended one is a conflict', () => {
  const sim = simulator();
  const arn = sim.deploy('stuck', 'never-stable');
  sim.playOut(arn, 60);
  expect(sim.sd(arn)).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' });
  expect(sim.call('StopServiceDeployment', { serviceDeploymentArn: arn, stopType: 'ROLLBACK' })).toEqual({
    serviceDeploymentArn: arn,
  });
  expect(sim.sd(arn).status).toBe('ROLLBACK_REQUESTED');
  sim.playOut(arn, 30);
  expect(sim.sd(arn)).toMatchObject({
    status: 'ROLLBACK_SUCCESSFUL',
    rollback: { reason: expect.stringContaining('StopServiceDeployment') },
  });
  expect(sim.service('stuck').taskDefinition).toContain('stuck:1');
  expect(() =>
    sim.call('StopServiceDeployment', { serviceDeploymentArn: arn, stopType: 'ROLLBACK' }),
  ).toThrow('cannot be stopped');
});
