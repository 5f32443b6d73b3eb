import {
  PING_FAILURE,
  SAGEMAKER_SCENARIOS,
  capacityPercent,
  rolloutTimeline,
  segmentAt,
  trafficSteps,
  type RolloutPlan,
} from '../../support/simulator/services/sagemaker-timing';

// Traffic shifting modes and baking: SageMaker developer guide, "Blue/Green Deployments"
// (deployment-guardrails-blue-green), "Use canary traffic shifting", "Use linear traffic shifting",
// "Use all at once traffic shifting"; field names from the botocore model sagemaker/2017-07-24.
describe('SageMaker traffic steps', () => {
  it.each([
    ['no blue/green policy: everything at once, no bake', undefined, 1, [{ percent: 100, bakeSeconds: 0 }]],
    [
      'ALL_AT_ONCE bakes WaitIntervalInSeconds once',
      { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 300 },
      2,
      [{ percent: 100, bakeSeconds: 300 }],
    ],
    [
      'CANARY of 25 %: the canary bakes, then the rest moves',
      { Type: 'CANARY', WaitIntervalInSeconds: 600, CanarySize: { Type: 'CAPACITY_PERCENT', Value: 25 } },
      4,
      [
        { percent: 25, bakeSeconds: 600 },
        { percent: 100, bakeSeconds: 0 },
      ],
    ],
    [
      'CANARY of 1 instance out of 4 is 25 %',
      { Type: 'CANARY', WaitIntervalInSeconds: 60, CanarySize: { Type: 'INSTANCE_COUNT', Value: 1 } },
      4,
      [
        { percent: 25, bakeSeconds: 60 },
        { percent: 100, bakeSeconds: 0 },
      ],
    ],
    [
      'LINEAR steps of 25 % bake after each step but the last',
      { Type: 'LINEAR', WaitIntervalInSeconds: 120, LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 25 } },
      4,
      [
        { percent: 25, bakeSeconds: 120 },
        { percent: 50, bakeSeconds: 120 },
        { percent: 75, bakeSeconds: 120 },
        { percent: 100, bakeSeconds: 0 },
      ],
    ],
    [
      'LINEAR steps of 1 instance out of 3',
      { Type: 'LINEAR', WaitIntervalInSeconds: 30, LinearStepSize: { Type: 'INSTANCE_COUNT', Value: 1 } },
      3,
      [
        { percent: 33, bakeSeconds: 30 },
        { percent: 67, bakeSeconds: 30 },
        { percent: 100, bakeSeconds: 0 },
      ],
    ],
  ])('%s', (_case, routing, instances, steps) => {
    expect(trafficSteps(routing, instances)).toEqual(steps);
  });

  it.each([
    [{ Type: 'CAPACITY_PERCENT', Value: 10 }, 5, 10],
    [{ Type: 'INSTANCE_COUNT', Value: 2 }, 8, 25],
    [{ Type: 'INSTANCE_COUNT', Value: 9 }, 2, 100],
    [undefined, 3, 100],
  ])('capacity %j of %i instances is %i %%', (size, instances, percent) => {
    expect(capacityPercent(size, instances)).toBe(percent);
  });
});

function plan(overrides: Partial<RolloutPlan> = {}): RolloutPlan {
  return {
    kind: 'update',
    variant: 'AllTraffic',
    steps: [
      { percent: 25, bakeSeconds: 600 },
      { percent: 100, bakeSeconds: 0 },
    ],
    terminationWaitSeconds: 120,
    alarms: ['sample-service-5xx'],
    ...overrides,
  };
}

const summary = (timeline: ReturnType<typeof rolloutTimeline>) =>
  timeline.map(({ from, status, trafficPercent, deployed }) => [from, status, trafficPercent, deployed]);

describe('SageMaker rollout timeline', () => {
  const ping = PING_FAILURE.replace('{variant}', 'AllTraffic');

  it.each([
    [
      'healthy creation: Creating until the fleet passes its ping check',
      'healthy',
      { kind: 'create' },
      [
        [0, 'Creating', 0, undefined],
        [240, 'InService', undefined, true],
      ],
    ],
    [
      'healthy canary update: provision, canary bake, the rest, termination wait',
      'healthy',
      {},
      [
        [0, 'Updating', 0, undefined],
        [240, 'Updating', 25, undefined],
        [840, 'Updating', 100, undefined],
        [840, 'Updating', 100, undefined],
        [960, 'InService', undefined, true],
      ],
    ],
    [
      'slow update without policy: 20 minutes, then InService',
      'slow',
      { steps: [{ percent: 100, bakeSeconds: 0 }], terminationWaitSeconds: 0 },
      [
        [0, 'Updating', 0, undefined],
        [1200, 'Updating', 100, undefined],
        [1200, 'InService', undefined, true],
      ],
    ],
    [
      'ping failure on creation: Failed',
      'ping-fails',
      { kind: 'create' },
      [
        [0, 'Creating', 0, undefined],
        [480, 'Failed', undefined, false],
      ],
    ],
    [
      'ping failure on update: InService on the previous configuration',
      'ping-fails',
      {},
      [
        [0, 'Updating', 0, undefined],
        [480, 'InService', undefined, false],
      ],
    ],
    [
      'alarm 60 s into the canary bake: RollingBack 90 s, then the previous configuration',
      'alarm-during-bake',
      {},
      [
        [0, 'Updating', 0, undefined],
        [240, 'Updating', 25, undefined],
        [300, 'RollingBack', 0, undefined],
        [390, 'InService', undefined, false],
      ],
    ],
    [
      'alarm scenario without alarms: nothing watches the bake, the update completes',
      'alarm-during-bake',
      { alarms: [] },
      [
        [0, 'Updating', 0, undefined],
        [240, 'Updating', 25, undefined],
        [840, 'Updating', 100, undefined],
        [840, 'Updating', 100, undefined],
        [960, 'InService', undefined, true],
      ],
    ],
    [
      'an update longer than MaximumExecutionTimeoutInSeconds rolls back at the limit',
      'slow',
      { maximumExecutionSeconds: 900 },
      [
        [0, 'Updating', 0, undefined],
        [900, 'RollingBack', 0, undefined],
        [990, 'InService', undefined, false],
      ],
    ],
  ] as const)('%s', (_case, scenario, overrides, expected) => {
    expect(summary(rolloutTimeline(SAGEMAKER_SCENARIOS[scenario], plan(overrides)))).toEqual(expected);
  });

  it('gives the ping failure in AWS wording, naming the variant', () => {
    const timeline = rolloutTimeline(
      SAGEMAKER_SCENARIOS['ping-fails'],
      plan({ kind: 'create', variant: 'blue' }),
    );
    expect(timeline[1]?.failureReason).toBe(
      'The primary container for production variant blue did not pass the ping health check. Please check CloudWatch logs for this endpoint.',
    );
    expect(rolloutTimeline(SAGEMAKER_SCENARIOS['ping-fails'], plan())[1]?.failureReason).toBe(ping);
  });

  it('names the alarm that caused a rollback', () => {
    const timeline = rolloutTimeline(SAGEMAKER_SCENARIOS['alarm-during-bake'], plan());
    expect(timeline.find((s) => s.status === 'RollingBack')?.failureReason).toContain('sample-service-5xx');
  });

  it.each([
    [0, 'Creating'],
    [239.9, 'Creating'],
    [240, 'InService'],
    [10_000, 'InService'],
  ])('%d s into a healthy creation the endpoint is %s', (elapsed, status) => {
    const timeline = rolloutTimeline(SAGEMAKER_SCENARIOS.healthy, plan({ kind: 'create' }));
    expect(segmentAt(timeline, elapsed).status).toBe(status);
  });
});
