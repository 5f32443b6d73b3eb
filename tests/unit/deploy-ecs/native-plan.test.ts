/**
 * The decisions for services ECS deploys itself (deploymentConfiguration.strategy BLUE_GREEN, LINEAR,
 * CANARY): which services, how long to wait, which service deployment to follow, its phase from
 * ServiceDeploymentStatus (botocore model ecs/2014-11-13; ECS Developer Guide, "View service history
 * using Amazon ECS service deployments"), why it failed, and whether this run rolls back.
 */
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import {
  failureCause,
  nativePhase,
  nativeRecovery,
  nativeStrategy,
  nativeWaitMs,
  pickServiceDeployment,
  progressLine,
} from '../../../actions/deploy-ecs/src/native-plan';

describe('nativeStrategy', () => {
  test.each([
    [{ deploymentConfiguration: { strategy: 'BLUE_GREEN' } }, 'BLUE_GREEN'],
    [{ deploymentController: { type: 'ECS' }, deploymentConfiguration: { strategy: 'LINEAR' } }, 'LINEAR'],
    [{ deploymentConfiguration: { strategy: 'CANARY' } }, 'CANARY'],
    [{ deploymentConfiguration: { strategy: 'ROLLING' } }, undefined],
    [{ deploymentConfiguration: {} }, undefined],
    [{}, undefined],
    // Strategies belong to the ECS controller; CODE_DEPLOY services go through CodeDeploy.
    [
      { deploymentController: { type: 'CODE_DEPLOY' }, deploymentConfiguration: { strategy: 'BLUE_GREEN' } },
      undefined,
    ],
    [
      { deploymentController: { type: 'EXTERNAL' }, deploymentConfiguration: { strategy: 'CANARY' } },
      undefined,
    ],
  ] as const)('%j → %s', (service, expected) => {
    expect(nativeStrategy(service as never)).toBe(expected);
  });
});

describe('nativeWaitMs: the configured bake times, added to timeout-minutes', () => {
  const min = 60_000;
  test.each([
    ['rolling', { strategy: 'ROLLING' }, 0],
    ['blue/green, 15 minutes of bake', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 15 }, 15 * min],
    ['canary defaults: 10 minutes', { strategy: 'CANARY' }, 10 * min],
    [
      'canary 3 + bake 5',
      { strategy: 'CANARY', bakeTimeInMinutes: 5, canaryConfiguration: { canaryBakeTimeInMinutes: 3 } },
      8 * min,
    ],
    ['linear defaults: 9 steps of 6 minutes before 100 %', { strategy: 'LINEAR' }, 54 * min],
    [
      'linear 25 % × 2 minutes: 3 bakes',
      { strategy: 'LINEAR', linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 2 } },
      6 * min,
    ],
    [
      'linear 30 %: steps at 30, 60, 90, then 100',
      { strategy: 'LINEAR', linearConfiguration: { stepPercent: 30, stepBakeTimeInMinutes: 1 } },
      3 * min,
    ],
    ['undefined', undefined, 0],
  ] as const)('%s', (_what, config, expected) => {
    expect(nativeWaitMs(config as never)).toBe(expected);
  });
});

describe('pickServiceDeployment', () => {
  const at = (s: number) => new Date(1_700_000_000_000 + s * 1000);
  const brief = (arn: string, s: number) => ({ serviceDeploymentArn: arn, createdAt: at(s) });
  const updatedAt = at(100).getTime();
  test.each([
    ['the newest since the update', [brief('old', 10), brief('new', 101)], 'old', 'new'],
    ['not the one current before', [brief('before', 100)], 'before', undefined],
    ['a minute of clock skew', [brief('skewed', 45)], undefined, 'skewed'],
    ['older than that is history', [brief('history', 30)], undefined, undefined],
    ['newest first whatever the order', [brief('a', 101), brief('b', 103), brief('c', 102)], undefined, 'b'],
    ['none listed', [], undefined, undefined],
  ])('%s', (_what, listed, before, expected) => {
    expect(pickServiceDeployment(listed, updatedAt, before)).toBe(expected);
  });
});

describe('nativePhase and failureCause', () => {
  const breaker = { status: 'TRIGGERED' as const, failureCount: 3, threshold: 3 };
  test.each<[string, ServiceDeployment, string, string | undefined]>([
    ['PENDING', { status: 'PENDING' }, 'in-progress', undefined],
    ['IN_PROGRESS', { status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' }, 'in-progress', undefined],
    ['STOP_REQUESTED goes on stopping', { status: 'STOP_REQUESTED' }, 'in-progress', undefined],
    ['SUCCESSFUL', { status: 'SUCCESSFUL' }, 'succeeded', undefined],
    [
      'ROLLBACK_REQUESTED by an alarm',
      { status: 'ROLLBACK_REQUESTED', alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['api-5xx'] } },
      'rolling-back',
      'CloudWatch alarm api-5xx in ALARM',
    ],
    [
      'ROLLBACK_IN_PROGRESS by the circuit breaker',
      { status: 'ROLLBACK_IN_PROGRESS', deploymentCircuitBreaker: breaker },
      'rolling-back',
      'deployment circuit breaker: 3 tasks failed (threshold 3)',
    ],
    [
      'ROLLBACK_SUCCESSFUL after a hook failed',
      {
        status: 'ROLLBACK_SUCCESSFUL',
        lifecycleHookDetails: [
          { status: 'SUCCEEDED', targetArn: 'ok' },
          { status: 'FAILED', targetArn: 'arn:fn:smoke' },
        ],
      },
      'rolled-back',
      'lifecycle hook arn:fn:smoke returned FAILED',
    ],
    [
      'a PAUSE hook that timed out',
      { status: 'ROLLBACK_SUCCESSFUL', lifecycleHookDetails: [{ status: 'TIMED_OUT', targetType: 'PAUSE' }] },
      'rolled-back',
      'lifecycle hook PAUSE timed out',
    ],
    [
      'ROLLBACK_FAILED: ECS’s words when nothing more specific is known',
      { status: 'ROLLBACK_FAILED', statusReason: 'Rollback could not start tasks.' },
      'rollback-failed',
      'Rollback could not start tasks',
    ],
    [
      'STOPPED by the circuit breaker without rollback',
      { status: 'STOPPED', deploymentCircuitBreaker: breaker },
      'stopped',
      'deployment circuit breaker: 3 tasks failed (threshold 3)',
    ],
    ['STOPPED with nothing said', { status: 'STOPPED' }, 'stopped', 'the deployment failed'],
    [
      'the rollback reason before the status reason',
      { status: 'ROLLBACK_SUCCESSFUL', rollback: { reason: 'Rolled back by user.' }, statusReason: 'other' },
      'rolled-back',
      'Rolled back by user',
    ],
  ])('%s', (_what, sd, phase, why) => {
    const got = nativePhase(sd);
    expect(got.phase).toBe(phase);
    if (why !== undefined) expect(got).toMatchObject({ why });
  });
});

describe('nativeRecovery: ECS’s rollback is never doubled; the plan’s rollback otherwise', () => {
  const failed = (phase: 'rolling-back' | 'rolled-back' | 'rollback-failed' | 'stopped') => ({
    phase,
    why: 'x',
  });
  test.each([
    ['ECS rolled back', failed('rolled-back'), 'web:1', { kind: 'follow-ecs' }],
    ['ECS rolling back', failed('rolling-back'), 'web:1', { kind: 'follow-ecs' }],
    [
      'ECS’s rollback failed: redeploy',
      failed('rollback-failed'),
      'web:1',
      { kind: 'redeploy', to: 'web:1' },
    ],
    [
      'ECS’s rollback failed, rollback-on-failure false',
      failed('rollback-failed'),
      undefined,
      { kind: 'none' },
    ],
    ['stopped without rollback: redeploy', failed('stopped'), 'web:1', { kind: 'redeploy', to: 'web:1' }],
    [
      'deadline while in progress: ask ECS to roll back',
      { phase: 'deadline', during: 'in-progress' },
      'web:1',
      { kind: 'stop-with-rollback', to: 'web:1' },
    ],
    [
      'deadline, rollback-on-failure false',
      { phase: 'deadline', during: 'in-progress' },
      undefined,
      { kind: 'none' },
    ],
    [
      'deadline while ECS rolls back: leave it to ECS',
      { phase: 'deadline', during: 'rolling-back' },
      'web:1',
      { kind: 'none' },
    ],
    ['deadline before any answer', { phase: 'deadline', during: undefined }, undefined, { kind: 'none' }],
  ] as const)('%s', (_what, phase, rollBackTo, expected) => {
    expect(nativeRecovery({ phase: phase as never, rollBackTo })).toEqual(expected);
  });
});

test.each<[ServiceDeployment, string]>([
  [{ status: 'PENDING' }, 'PENDING'],
  [
    {
      status: 'IN_PROGRESS',
      lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
      targetServiceRevision: {
        requestedProductionTrafficWeight: 10,
        runningTaskCount: 2,
        requestedTaskCount: 2,
      },
    },
    'IN_PROGRESS PRODUCTION_TRAFFIC_SHIFT, 10% of production traffic on the new revision (2/2 running)',
  ],
])('progressLine %#', (sd, line) => {
  expect(progressLine(sd)).toBe(line);
});

test('failureCause reads an alarm status without names', () => {
  expect(failureCause({ alarms: { status: 'TRIGGERED' } })).toBe('a CloudWatch alarm went into ALARM');
});
