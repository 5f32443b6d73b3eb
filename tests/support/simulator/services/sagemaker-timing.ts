import type { ScenarioBase } from '../scenarios';

/**
 * How a SageMaker endpoint's creation or update plays out, in virtual seconds from its start.
 * - outcome `in-service`: the new fleet passes its ping health check after `provisionSeconds`, then
 *   traffic shifts step by step (blue/green), each step baking for its wait interval.
 * - outcome `ping-fails`: the new fleet never passes the ping health check; after `provisionSeconds`
 *   a creation ends Failed, an update ends InService on the previous configuration, both with
 *   {@link PING_FAILURE}.
 * - outcome `alarm-during-bake`: an alarm of AutoRollbackConfiguration goes into ALARM
 *   `alarmAfterSeconds` into the first baking period; the endpoint is RollingBack for
 *   `rollbackSeconds`, then InService on the previous configuration. Without alarms nothing watches
 *   the bake and the update completes (AWS: "If you do not have any CloudWatch alarms set up ...
 *   the auto-rollback functionality does not work").
 * - `capacityError`: CreateEndpoint and UpdateEndpoint answer ResourceLimitExceeded.
 * - `invocation`: how the container of a configuration deployed under this scenario answers
 *   InvokeEndpoint: `answers` (200), or `server-error` (it answers 500, which the runtime returns as
 *   ModelError, HTTP 424).
 */
export interface SageMakerScenario extends ScenarioBase {
  readonly outcome: 'in-service' | 'ping-fails' | 'alarm-during-bake';
  readonly provisionSeconds: number;
  readonly alarmAfterSeconds: number;
  readonly rollbackSeconds: number;
  readonly capacityError: boolean;
  readonly invocation: 'answers' | 'server-error';
}

const healthy = {
  outcome: 'in-service',
  provisionSeconds: 240,
  alarmAfterSeconds: 60,
  rollbackSeconds: 90,
  capacityError: false,
  invocation: 'answers',
} as const;

export const SAGEMAKER_SCENARIOS = {
  healthy: {
    ...healthy,
    description: 'the new fleet passes its ping check after 4 virtual minutes, then shifts traffic',
  },
  slow: {
    ...healthy,
    provisionSeconds: 1200,
    description: 'the new fleet takes 20 virtual minutes to pass its ping check',
  },
  'ping-fails': {
    ...healthy,
    outcome: 'ping-fails',
    provisionSeconds: 480,
    description: 'the container never passes the ping health check; after 8 minutes the deployment fails',
  },
  'alarm-during-bake': {
    ...healthy,
    outcome: 'alarm-during-bake',
    description:
      'an auto-rollback alarm fires 60 s into the first bake; RollingBack 90 s, then the previous config InService',
  },
  'capacity-error': {
    ...healthy,
    capacityError: true,
    description: 'CreateEndpoint and UpdateEndpoint answer ResourceLimitExceeded for the instance type',
  },
  'invocation-fails': {
    ...healthy,
    invocation: 'server-error',
    description:
      'the rollout goes well, but the container answers 500 to /invocations: InvokeEndpoint answers ModelError',
  },
  'update-while-updating': {
    ...healthy,
    provisionSeconds: 3600,
    description:
      'the fleet takes 60 virtual minutes, so a second UpdateEndpoint meets the first one in progress',
  },
} satisfies Record<string, SageMakerScenario>;

/** The FailureReason of an endpoint whose container fails the ping health check, as AWS words it. */
export const PING_FAILURE =
  'The primary container for production variant {variant} did not pass the ping health check. Please check CloudWatch logs for this endpoint.';

/** One traffic-shifting step of a blue/green update: the share of traffic on the new fleet, then a bake. */
export interface TrafficStep {
  readonly percent: number;
  readonly bakeSeconds: number;
}

/** What a rollout was asked to do, read from the request once when it starts. */
export interface RolloutPlan {
  readonly kind: 'create' | 'update';
  readonly variant: string;
  readonly steps: readonly TrafficStep[];
  readonly terminationWaitSeconds: number;
  /** MaximumExecutionTimeoutInSeconds: past it the update rolls back. */
  readonly maximumExecutionSeconds?: number;
  readonly alarms: readonly string[];
}

export type EndpointStatus = 'Creating' | 'Updating' | 'RollingBack' | 'InService' | 'Failed';
export type VariantStatus = 'Creating' | 'ActivatingTraffic' | 'Baking';

/** A stretch of a rollout during which DescribeEndpoint answers the same. */
export interface RolloutSegment {
  readonly from: number;
  readonly status: EndpointStatus;
  /** While the rollout runs: what the new fleet is doing, and its share of traffic. */
  readonly variantStatus?: VariantStatus;
  readonly trafficPercent?: number;
  /** Terminal segments: whether the new configuration is the endpoint's now. */
  readonly deployed?: boolean;
  readonly failureReason?: string;
  /** A line of the endpoint's CloudWatch log when the segment starts. */
  readonly log: string;
}

interface CapacitySize {
  readonly Type?: unknown;
  readonly Value?: unknown;
}

/** A CapacitySize as a share of the new fleet: INSTANCE_COUNT over the fleet's size, or CAPACITY_PERCENT. */
export function capacityPercent(size: CapacitySize | undefined, instanceCount: number): number {
  const value = Number(size?.Value ?? 100);
  const percent = size?.Type === 'INSTANCE_COUNT' ? (value / Math.max(instanceCount, 1)) * 100 : value;
  return Math.min(100, Math.max(1, percent));
}

/**
 * The traffic steps of a TrafficRoutingConfig ("Traffic shifting modes", SageMaker developer guide,
 * deployment-guardrails-blue-green): ALL_AT_ONCE moves everything, then bakes; CANARY moves the
 * canary, bakes, then moves the rest; LINEAR moves a step at a time, baking after each. Without a
 * blue/green policy everything moves at once without a bake.
 */
export function trafficSteps(
  routing: Record<string, unknown> | undefined,
  instanceCount: number,
): TrafficStep[] {
  if (!routing) return [{ percent: 100, bakeSeconds: 0 }];
  const bake = Number(routing['WaitIntervalInSeconds'] ?? 0);
  if (routing['Type'] === 'CANARY') {
    const canary = capacityPercent(routing['CanarySize'] as CapacitySize, instanceCount);
    return canary >= 100
      ? [{ percent: 100, bakeSeconds: bake }]
      : [
          { percent: canary, bakeSeconds: bake },
          { percent: 100, bakeSeconds: 0 },
        ];
  }
  if (routing['Type'] === 'LINEAR') {
    const step = capacityPercent(routing['LinearStepSize'] as CapacitySize, instanceCount);
    // A tolerance keeps 3 steps of 33.3 % from becoming 4 through floating-point error.
    const count = Math.ceil(100 / step - 1e-9);
    return Array.from({ length: count }, (_, i) => ({
      percent: Math.min(100, Math.round(step * (i + 1))),
      bakeSeconds: i === count - 1 ? 0 : bake,
    }));
  }
  return [{ percent: 100, bakeSeconds: bake }];
}

function fill(text: string, plan: RolloutPlan): string {
  return text.replace('{variant}', plan.variant);
}

/** The segments of a rollout that goes well: provision, each traffic step and its bake, termination wait. */
function shiftingSegments(scenario: SageMakerScenario, plan: RolloutPlan): RolloutSegment[] {
  const running = plan.kind === 'create' ? 'Creating' : 'Updating';
  const segments: RolloutSegment[] = [
    {
      from: 0,
      status: running,
      variantStatus: 'Creating',
      trafficPercent: 0,
      log: `${plan.variant}: starting the new fleet`,
    },
  ];
  let at = scenario.provisionSeconds;
  if (plan.kind === 'update') {
    for (const step of plan.steps) {
      segments.push({
        from: at,
        status: running,
        variantStatus: 'Baking',
        trafficPercent: step.percent,
        log: `${plan.variant}: ${step.percent}% of traffic on the new fleet; baking ${step.bakeSeconds} s`,
      });
      at += step.bakeSeconds;
    }
    if (plan.terminationWaitSeconds > 0) {
      segments.push({
        from: at,
        status: running,
        variantStatus: 'Baking',
        trafficPercent: 100,
        log: `${plan.variant}: waiting ${plan.terminationWaitSeconds} s before terminating the old fleet`,
      });
      at += plan.terminationWaitSeconds;
    }
  }
  segments.push({
    from: at,
    status: 'InService',
    deployed: true,
    log: `${plan.variant}: deployment complete`,
  });
  return segments;
}

/** Cuts a rollout at `at` and rolls it back: RollingBack, then the previous configuration InService. */
function rolledBackAt(
  segments: readonly RolloutSegment[],
  at: number,
  scenario: SageMakerScenario,
  reason: string,
): RolloutSegment[] {
  return [
    ...segments.filter((segment) => segment.from < at),
    { from: at, status: 'RollingBack', trafficPercent: 0, failureReason: reason, log: reason },
    {
      from: at + scenario.rollbackSeconds,
      status: 'InService',
      deployed: false,
      failureReason: reason,
      log: 'rollback complete',
    },
  ];
}

/**
 * The whole rollout as segments, first at 0, the last one terminal. Pure: DescribeEndpoint and the
 * endpoint's log both read it at the current virtual time.
 */
export function rolloutTimeline(scenario: SageMakerScenario, plan: RolloutPlan): RolloutSegment[] {
  const reason = fill(PING_FAILURE, plan);
  if (scenario.outcome === 'ping-fails') {
    return [
      {
        from: 0,
        status: plan.kind === 'create' ? 'Creating' : 'Updating',
        variantStatus: 'Creating',
        trafficPercent: 0,
        log: `${plan.variant}: starting the new fleet`,
      },
      {
        from: scenario.provisionSeconds,
        status: plan.kind === 'create' ? 'Failed' : 'InService',
        deployed: false,
        failureReason: reason,
        log: reason,
      },
    ];
  }
  const segments = shiftingSegments(scenario, plan);
  const firstBake = segments.find((segment) => segment.variantStatus === 'Baking');
  if (scenario.outcome === 'alarm-during-bake' && plan.alarms.length > 0 && firstBake) {
    const at = firstBake.from + scenario.alarmAfterSeconds;
    const end = segments[segments.length - 1]?.from ?? at;
    if (at < end) {
      const alarm = `Rolling back: alarm ${plan.alarms[0]} is in ALARM during the baking period`;
      return rolledBackAt(segments, at, scenario, alarm);
    }
  }
  const end = segments[segments.length - 1]?.from ?? 0;
  const limit = plan.maximumExecutionSeconds;
  if (plan.kind === 'update' && limit !== undefined && end > limit) {
    return rolledBackAt(
      segments,
      limit,
      scenario,
      `Rolling back: the update did not finish within MaximumExecutionTimeoutInSeconds (${limit} s)`,
    );
  }
  return segments;
}

/** The segment in force `elapsedSeconds` into a rollout. */
export function segmentAt(timeline: readonly RolloutSegment[], elapsedSeconds: number): RolloutSegment {
  let current = timeline[0] as RolloutSegment;
  for (const segment of timeline) if (segment.from <= elapsedSeconds) current = segment;
  return current;
}
