import { circuitBreakerThreshold } from './rollout';
import type { EcsScenario, TaskFailure } from './scenarios';

/**
 * ECS-native deployment strategies (deploymentConfiguration.strategy BLUE_GREEN, LINEAR, CANARY):
 * pure timing rules. A service deployment walks the lifecycle stages of ServiceDeploymentLifecycleStage
 * (botocore model ecs/2014-11-13; ECS Developer Guide, "Amazon ECS blue/green service deployments
 * workflow"): the green revision scales up, takes test traffic, then production traffic (all at once,
 * in equal steps, or a canary share then the rest), bakes with both revisions running, and the blue
 * revision is cleaned up. The circuit breaker, an alarm or a lifecycle hook fails it; ECS then shifts
 * traffic back to the blue revision, which still runs (ECS Developer Guide, "Amazon ECS deployment
 * failure detection", "Lifecycle hooks for Amazon ECS service deployments").
 */

export type NativeStrategy = 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

export type LifecycleStage =
  | 'RECONCILE_SERVICE'
  | 'PRE_SCALE_UP'
  | 'SCALE_UP'
  | 'POST_SCALE_UP'
  | 'TEST_TRAFFIC_SHIFT'
  | 'POST_TEST_TRAFFIC_SHIFT'
  | 'PRODUCTION_TRAFFIC_SHIFT'
  | 'POST_PRODUCTION_TRAFFIC_SHIFT'
  | 'BAKE_TIME'
  | 'CLEAN_UP';

export interface NativeHook {
  readonly targetType: string;
  readonly targetArn: string | undefined;
  /** DeploymentLifecycleHookStage values, PRE_PRODUCTION_TRAFFIC_SHIFT included. */
  readonly stages: readonly string[];
}

/** What the service's deploymentConfiguration says, with the API reference's defaults. */
export interface NativeConfig {
  readonly strategy: NativeStrategy;
  readonly bakeMinutes: number;
  /** LinearConfiguration: default 10 % a step, 6 minutes between steps. */
  readonly stepPercent: number;
  readonly stepBakeMinutes: number;
  /** CanaryConfiguration: default 5 %, 10 minutes. */
  readonly canaryPercent: number;
  readonly canaryBakeMinutes: number;
  readonly alarmNames: readonly string[];
  readonly hooks: readonly NativeHook[];
}

type Json = Record<string, unknown>;

const STRATEGIES: readonly string[] = ['BLUE_GREEN', 'LINEAR', 'CANARY'];

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** The native strategy of a deploymentConfiguration; undefined for ROLLING (or none). */
export function nativeConfig(configuration: Json | undefined): NativeConfig | undefined {
  const strategy = configuration?.strategy;
  if (typeof strategy !== 'string' || !STRATEGIES.includes(strategy)) return undefined;
  const linear = (configuration?.linearConfiguration ?? {}) as Json;
  const canary = (configuration?.canaryConfiguration ?? {}) as Json;
  const alarms = (configuration?.alarms ?? {}) as Json;
  const hooks = Array.isArray(configuration?.lifecycleHooks) ? (configuration.lifecycleHooks as Json[]) : [];
  return {
    strategy: strategy as NativeStrategy,
    bakeMinutes: num(configuration?.bakeTimeInMinutes, 0),
    stepPercent: num(linear.stepPercent, 10),
    stepBakeMinutes: num(linear.stepBakeTimeInMinutes, 6),
    canaryPercent: num(canary.canaryPercent, 5),
    canaryBakeMinutes: num(canary.canaryBakeTimeInMinutes, 10),
    alarmNames:
      alarms.enable === true && Array.isArray(alarms.alarmNames) ? (alarms.alarmNames as string[]) : [],
    hooks: hooks.map((h) => ({
      targetType: typeof h.targetType === 'string' ? h.targetType : 'AWS_LAMBDA',
      targetArn: typeof h.hookTargetArn === 'string' ? h.hookTargetArn : undefined,
      stages: Array.isArray(h.lifecycleStages) ? (h.lifecycleStages as string[]) : [],
    })),
  };
}

/** One stretch of a deployment: a lifecycle stage with green's share of traffic at its end. */
export interface StageSpan {
  readonly stage: LifecycleStage;
  /** Milliseconds after the deployment was created. */
  readonly from: number;
  readonly to: number;
  /** Green's share of production traffic once the span ends (0 to 100). */
  readonly production: number;
  readonly test: number;
}

export type FailureCause =
  | {
      readonly by: 'circuit-breaker';
      readonly failure: TaskFailure;
      readonly everyMs: number;
      readonly threshold: number;
    }
  | { readonly by: 'alarm'; readonly alarm: string }
  | { readonly by: 'hook'; readonly hook: NativeHook; readonly stage: string }
  /** StopServiceDeployment with stopType ROLLBACK. */
  | { readonly by: 'stop' };

export interface NativeFailure {
  readonly atMs: number;
  readonly cause: FailureCause;
  readonly reason: string;
  /** succeeds: ROLLBACK_SUCCESSFUL; fails: ROLLBACK_FAILED; none: STOPPED (rollback not enabled). */
  readonly rollback: 'succeeds' | 'fails' | 'none';
}

export interface NativePlan {
  readonly strategy: NativeStrategy;
  readonly spans: readonly StageSpan[];
  /** Tasks keep failing in SCALE_UP and it never ends (never-stable). */
  readonly endless?: { readonly failure: TaskFailure; readonly everyMs: number };
  readonly failure?: NativeFailure;
}

/** PENDING lasts this long before the first stage. */
export const PENDING_MS = 1_000;
/** ROLLBACK_REQUESTED lasts this long, then ROLLBACK_IN_PROGRESS shifts traffic back for ROLLBACK_MS. */
export const ROLLBACK_REQUESTED_MS = 2_000;
export const ROLLBACK_MS = 15_000;
const SHORT_MS = 2_000;
const SHIFT_MS = 5_000;

/** The traffic steps to 100 %: one for blue/green, a canary then the rest, or equal steps. */
function productionSteps(config: NativeConfig): { weight: number; bakeMs: number }[] {
  if (config.strategy === 'BLUE_GREEN') return [{ weight: 100, bakeMs: 0 }];
  if (config.strategy === 'CANARY') {
    return [
      { weight: config.canaryPercent, bakeMs: config.canaryBakeMinutes * 60_000 },
      { weight: 100, bakeMs: 0 },
    ];
  }
  const steps: { weight: number; bakeMs: number }[] = [];
  // "This bake time is not applied after reaching 100 percent traffic" (LinearConfiguration).
  for (let weight = config.stepPercent; weight < 100; weight += config.stepPercent) {
    steps.push({ weight: Math.round(weight * 10) / 10, bakeMs: config.stepBakeMinutes * 60_000 });
  }
  steps.push({ weight: 100, bakeMs: 0 });
  return steps;
}

/** The stages in order, from the end of PENDING. */
export function stageSpans(config: NativeConfig, scaleUpMs: number): StageSpan[] {
  const spans: StageSpan[] = [];
  let at = PENDING_MS;
  const add = (stage: LifecycleStage, ms: number, production: number, test: number) => {
    spans.push({ stage, from: at, to: at + ms, production, test });
    at += ms;
  };
  add('PRE_SCALE_UP', SHORT_MS, 0, 0);
  add('SCALE_UP', scaleUpMs, 0, 0);
  add('POST_SCALE_UP', SHORT_MS, 0, 0);
  add('TEST_TRAFFIC_SHIFT', SHIFT_MS, 0, 100);
  add('POST_TEST_TRAFFIC_SHIFT', SHORT_MS, 0, 100);
  for (const step of productionSteps(config)) {
    add('PRODUCTION_TRAFFIC_SHIFT', SHIFT_MS + step.bakeMs, step.weight, 100);
  }
  add('POST_PRODUCTION_TRAFFIC_SHIFT', SHORT_MS, 100, 100);
  add('BAKE_TIME', config.bakeMinutes * 60_000, 100, 100);
  add('CLEAN_UP', SHIFT_MS, 100, 100);
  return spans;
}

/** Where a hook at `stage` runs: PRE_PRODUCTION_TRAFFIC_SHIFT before the first production shift. */
function hookSpan(spans: readonly StageSpan[], stage: string): StageSpan | undefined {
  const at = stage === 'PRE_PRODUCTION_TRAFFIC_SHIFT' ? 'POST_TEST_TRAFFIC_SHIFT' : stage;
  return spans.find((s) => s.stage === at);
}

/** When the scenario's alarm fires: half-way through the bake time, or as production traffic finishes moving. */
function alarmAt(spans: readonly StageSpan[]): number {
  const bake = spans.find((s) => s.stage === 'BAKE_TIME');
  if (bake !== undefined && bake.to > bake.from) return (bake.from + bake.to) / 2;
  return spans.filter((s) => s.stage === 'PRODUCTION_TRAFFIC_SHIFT').at(-1)?.to ?? 0;
}

/**
 * The plan of a native deployment under `scenario`. A known-good revision (a rollback) always goes
 * through. Circuit breaker scenarios fail green's tasks in SCALE_UP; `alarm-rollback`,
 * `rollback-fails` and `hook-fails` need an alarm or a hook configured on the service, else they go
 * through as healthy (ECS cannot detect what nothing watches).
 */
export function planNative(
  config: NativeConfig,
  scenario: EcsScenario,
  knownGood: boolean,
  desiredCount: number,
): NativePlan {
  const scaleUp = (knownGood ? scenario.rollbackSeconds : scenario.rolloutSeconds) * 1000;
  const spans = stageSpans(config, scaleUp);
  const base = { strategy: config.strategy, spans };
  if (knownGood) return base;
  const scaleUpSpan = spans[1] as StageSpan;
  const everyMs = scenario.taskFailureSeconds * 1000;
  if (scenario.rollout === 'never' && scenario.failure !== undefined) {
    return { ...base, endless: { failure: scenario.failure, everyMs } };
  }
  if (scenario.rollout === 'circuit-breaker' && scenario.failure !== undefined) {
    const threshold = circuitBreakerThreshold(desiredCount);
    return {
      ...base,
      failure: {
        atMs: scaleUpSpan.from + threshold * everyMs,
        cause: { by: 'circuit-breaker', failure: scenario.failure, everyMs, threshold },
        reason: 'ECS deployment circuit breaker: tasks failed to start.',
        rollback: scenario.circuitBreakerRollback ? 'succeeds' : 'none',
      },
    };
  }
  const native = scenario.native;
  const alarm = config.alarmNames[0];
  if ((native === 'alarm' || native === 'alarm-rollback-fails') && alarm !== undefined) {
    return {
      ...base,
      failure: {
        atMs: alarmAt(spans),
        cause: { by: 'alarm', alarm },
        reason: `CloudWatch alarm ${alarm} went into ALARM.`,
        rollback: native === 'alarm' ? 'succeeds' : 'fails',
      },
    };
  }
  const hook = config.hooks.find((h) => h.stages.some((s) => hookSpan(spans, s) !== undefined));
  const stage = hook?.stages.find((s) => hookSpan(spans, s) !== undefined);
  if (native === 'hook' && hook !== undefined && stage !== undefined) {
    return {
      ...base,
      failure: {
        atMs: hookSpan(spans, stage)?.to ?? 0,
        cause: { by: 'hook', hook, stage },
        reason: `Lifecycle hook ${hook.targetArn ?? hook.targetType} at ${stage} returned FAILED.`,
        rollback: 'succeeds',
      },
    };
  }
  return base;
}

export type NativeStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

/** A native deployment `elapsed` ms after it was created. */
export interface NativeSnapshot {
  readonly status: NativeStatus;
  readonly stage: LifecycleStage | undefined;
  readonly production: number;
  readonly test: number;
  /** ms after creation; set once it ended. */
  readonly finishedAt: number | undefined;
  readonly failedTasks: number;
}

export function totalMs(plan: NativePlan): number {
  return plan.spans.at(-1)?.to ?? PENDING_MS;
}

/** Green's tasks that failed by `elapsed` (circuit breaker scenarios and never-stable). */
export function failedTasksAt(plan: NativePlan, elapsed: number): number {
  const scaleUp = plan.spans[1];
  if (scaleUp === undefined) return 0;
  const cause = plan.failure?.cause;
  const every = cause?.by === 'circuit-breaker' ? cause.everyMs : plan.endless?.everyMs;
  if (every === undefined) return 0;
  const count = Math.max(0, Math.floor((elapsed - scaleUp.from) / every));
  return cause?.by === 'circuit-breaker' ? Math.min(count, cause.threshold) : count;
}

function spanAt(plan: NativePlan, at: number): StageSpan | undefined {
  if (at < (plan.spans[0]?.from ?? 0)) return undefined;
  return plan.spans.find((s) => at >= s.from && at < s.to) ?? plan.spans.at(-1);
}

/** Weights while a span runs: production moves from the previous span's share to this one's. */
function weightsAt(plan: NativePlan, at: number): { production: number; test: number } {
  const index = plan.spans.findIndex((s) => at >= s.from && at < s.to);
  if (index < 0) return { production: 100, test: 100 };
  const span = plan.spans[index] as StageSpan;
  const before = plan.spans[index - 1];
  const moving = at - span.from < SHIFT_MS && span.stage.endsWith('TRAFFIC_SHIFT');
  return moving && before !== undefined
    ? { production: before.production, test: before.test }
    : { production: span.production, test: span.test };
}

export function nativeAt(plan: NativePlan, elapsed: number): NativeSnapshot {
  const failedTasks = failedTasksAt(plan, elapsed);
  const failure = plan.failure;
  // A stop request may come while it is still PENDING: the failure comes first.
  if (elapsed < PENDING_MS && (failure === undefined || elapsed < failure.atMs))
    return {
      status: 'PENDING',
      stage: undefined,
      production: 0,
      test: 0,
      finishedAt: undefined,
      failedTasks,
    };
  if (plan.endless !== undefined && failure === undefined) {
    return {
      status: 'IN_PROGRESS',
      stage: 'SCALE_UP',
      production: 0,
      test: 0,
      finishedAt: undefined,
      failedTasks,
    };
  }
  if (failure === undefined || elapsed < failure.atMs) {
    const end = totalMs(plan);
    if (elapsed >= end)
      return {
        status: 'SUCCESSFUL',
        stage: 'CLEAN_UP',
        production: 100,
        test: 100,
        finishedAt: end,
        failedTasks,
      };
    return {
      status: 'IN_PROGRESS',
      stage: spanAt(plan, elapsed)?.stage,
      ...weightsAt(plan, elapsed),
      finishedAt: undefined,
      failedTasks,
    };
  }
  // The stage it failed in: a hook fails as its stage ends, not in the next one.
  const stage = spanAt(plan, failure.atMs - 1)?.stage;
  const was = weightsAt(plan, failure.atMs - 1);
  if (failure.rollback === 'none')
    return { status: 'STOPPED', stage, ...was, finishedAt: failure.atMs, failedTasks };
  const requested = failure.atMs + ROLLBACK_REQUESTED_MS;
  if (elapsed < requested)
    return { status: 'ROLLBACK_REQUESTED', stage, ...was, finishedAt: undefined, failedTasks };
  const done = requested + ROLLBACK_MS;
  // Rolling back shifts production and test traffic back to blue; lifecycleStage keeps naming the
  // stage the deployment failed in (the simulator's choice: AWS does not document the stage shown then).
  if (elapsed < done)
    return {
      status: 'ROLLBACK_IN_PROGRESS',
      stage,
      production: 0,
      test: 0,
      finishedAt: undefined,
      failedTasks,
    };
  if (failure.rollback === 'fails')
    return { status: 'ROLLBACK_FAILED', stage, ...was, finishedAt: done, failedTasks };
  return { status: 'ROLLBACK_SUCCESSFUL', stage, production: 0, test: 0, finishedAt: done, failedTasks };
}

/**
 * The plan once StopServiceDeployment (stopType ROLLBACK) asked to stop it `elapsed` ms after it was
 * created: "PENDING/IN_PROGRESS - The service deployment moves to the ROLLBACK_REQUESTED state, and
 * then the rollback operation starts" (ECS Developer Guide, "Stopping Amazon ECS service deployments").
 */
export function stoppedPlan(plan: NativePlan, elapsed: number): NativePlan {
  return {
    strategy: plan.strategy,
    spans: plan.spans,
    failure: {
      atMs: elapsed,
      cause: { by: 'stop' },
      reason: 'Service deployment rolled back because of a StopServiceDeployment request.',
      rollback: 'succeeds',
    },
  };
}
