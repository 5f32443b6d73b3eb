import type { ScenarioBase } from '../scenarios';
import type { TaskFailure } from './ecs-scenarios';

/**
 * The lifecycle events of an Amazon ECS deployment, in the order CodeDeploy runs them (AppSpec
 * "hooks" section for an Amazon ECS deployment: BeforeInstall, Install, AfterInstall,
 * BeforeAllowTraffic, AllowTraffic, AfterAllowTraffic).
 */
export const ECS_LIFECYCLE = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
] as const;
export type LifecycleName = (typeof ECS_LIFECYCLE)[number];

/**
 * How a CodeDeploy deployment to an ECS service plays out in virtual time, chosen per deployment
 * group. `hookSeconds` is what each hook event takes, `installSeconds` the replacement task set's
 * start, `trafficSeconds` the traffic shift.
 * - succeeded: every event succeeds, then the original task set is kept for the group's
 *   termination wait and the deployment Succeeds.
 * - hook-fails: the `failingHook` event fails (its Lambda reported Failed); the deployment Fails.
 * - alarm: `alarmAfterSeconds` after the traffic shift ends, a CloudWatch alarm of the group goes
 *   off and CodeDeploy stops the deployment (ALARM_ACTIVE).
 * - never: the replacement task set never becomes healthy: Install (or `neverEvent`) stays
 *   InProgress for ever.
 * A rollback (auto-rollback of the group, or StopDeployment with autoRollbackEnabled) is a new
 * deployment that shifts traffic back in `rollbackSeconds`. A failure belongs to the new revision:
 * a deployment back to the revision the service was seeded with (a manual rollback) plays out as
 * `healthy` (scenarioForRevision).
 */
export interface CodeDeployScenario extends ScenarioBase {
  readonly outcome: 'succeeded' | 'hook-fails' | 'alarm' | 'never';
  readonly hookSeconds: number;
  readonly installSeconds: number;
  readonly trafficSeconds: number;
  readonly failingHook?: LifecycleName;
  readonly alarmAfterSeconds?: number;
  readonly rollbackSeconds: number;
  /** While Install runs, a replacement task stops this way every `everySeconds`. */
  readonly replacementTaskFailure?: TaskFailure & { readonly everySeconds: number };
  /** The event that stays InProgress for ever (outcome `never`); Install unless given. */
  readonly neverEvent?: LifecycleName;
  /** false: a StopDeployment ends the deployment Stopped without a rollback, autoRollbackEnabled or not. */
  readonly stopRollsBack?: false;
}

const base = { hookSeconds: 5, installSeconds: 20, trafficSeconds: 10, rollbackSeconds: 15 } as const;

export const CODEDEPLOY_SCENARIOS = {
  healthy: {
    ...base,
    outcome: 'succeeded',
    description:
      'every lifecycle event succeeds; traffic shifts about 45 virtual seconds in, then the termination wait',
  },
  'hook-fails': {
    ...base,
    outcome: 'hook-fails',
    failingHook: 'AfterAllowTraffic',
    description:
      'the AfterAllowTraffic hook reports Failed; the deployment fails (rolled back when the group auto-rolls back)',
  },
  'hook-fails-before-traffic': {
    ...base,
    outcome: 'hook-fails',
    failingHook: 'BeforeAllowTraffic',
    description:
      'the BeforeAllowTraffic hook reports Failed: the deployment fails before any production traffic reaches the replacement task set',
  },
  'alarm-rollback': {
    ...base,
    outcome: 'alarm',
    alarmAfterSeconds: 3,
    description:
      'a CloudWatch alarm of the group goes off 3 s after traffic shifts; CodeDeploy stops the deployment',
  },
  'never-finishes': {
    ...base,
    outcome: 'never',
    replacementTaskFailure: {
      everySeconds: 20,
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Task failed ELB health checks in (target-group {targetGroup})',
      exitCode: 143,
    },
    description:
      'the replacement task set never becomes healthy (a task fails ELB health checks every 20 s): Install stays InProgress for ever',
  },
  'stop-without-rollback': {
    ...base,
    outcome: 'never',
    neverEvent: 'AfterAllowTraffic',
    stopRollsBack: false,
    description:
      'traffic shifts to the replacement, then the AfterAllowTraffic hook never reports; a StopDeployment (even with autoRollbackEnabled) ends it Stopped without a rollback deployment, the replacement still serving',
  },
  'stop-without-rollback-before-traffic': {
    ...base,
    outcome: 'never',
    stopRollsBack: false,
    description:
      'Install never ends (the original task set serves all traffic); a StopDeployment ends it Stopped without a rollback deployment',
  },
} as const satisfies Record<string, CodeDeployScenario>;

/** The scenario a deployment of `taskDefinition` follows: the seeded (known-good) revision deploys healthy. */
export function scenarioForRevision(
  chosen: CodeDeployScenario,
  taskDefinition: string,
  seeded: string,
): CodeDeployScenario {
  return taskDefinition === seeded
    ? { ...CODEDEPLOY_SCENARIOS.healthy, rollbackSeconds: chosen.rollbackSeconds }
    : chosen;
}

/** A rollback shifts traffic back to the original task set; its hooks are not run again. */
export function rollbackScenario(of: CodeDeployScenario): CodeDeployScenario {
  return {
    description: 'rollback',
    outcome: 'succeeded',
    hookSeconds: 0,
    installSeconds: 0,
    trafficSeconds: of.rollbackSeconds,
    rollbackSeconds: of.rollbackSeconds,
  };
}

export interface Step {
  readonly name: LifecycleName;
  readonly start: number;
  /** Undefined: never ends. */
  readonly end: number | undefined;
  readonly fails: boolean;
}

export interface Schedule {
  readonly steps: readonly Step[];
  /** When the alarm goes off (alarm scenario). */
  readonly alarmAt: number | undefined;
  /** When the original task set is terminated after the wait; undefined when the run never gets there. */
  readonly terminateAt: number | undefined;
}

/** The times of every event, from the deployment's start, in milliseconds. */
export function scheduleOf(s: CodeDeployScenario, startedAt: number, waitSeconds: number): Schedule {
  let at = startedAt;
  const steps: Step[] = [];
  for (const name of ECS_LIFECYCLE) {
    const seconds =
      name === 'Install' ? s.installSeconds : name === 'AllowTraffic' ? s.trafficSeconds : s.hookSeconds;
    const never = s.outcome === 'never' && name === (s.neverEvent ?? 'Install');
    const end = never || at === undefined ? undefined : at + seconds * 1000;
    steps.push({ name, start: at, end, fails: s.outcome === 'hook-fails' && s.failingHook === name });
    if (end === undefined) break;
    at = end;
  }
  const shifted = steps.find((step) => step.name === 'AllowTraffic')?.end;
  const finished =
    steps.length === ECS_LIFECYCLE.length && steps.every((step) => step.end !== undefined && !step.fails);
  return {
    steps,
    alarmAt:
      s.outcome === 'alarm' && shifted !== undefined
        ? shifted + (s.alarmAfterSeconds ?? 0) * 1000
        : undefined,
    terminateAt: finished ? at + waitSeconds * 1000 : undefined,
  };
}

export type EventStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped';

export interface EventView {
  readonly name: LifecycleName;
  readonly status: EventStatus;
  readonly start?: number;
  readonly end?: number;
  readonly failed: boolean;
}

export type Interruption =
  | { readonly kind: 'hook'; readonly at: number; readonly event: LifecycleName }
  | { readonly kind: 'alarm'; readonly at: number }
  | { readonly kind: 'stop'; readonly at: number };

export interface Progress {
  readonly events: readonly EventView[];
  /** Traffic reached the replacement task set. */
  readonly trafficShifted: boolean;
  /** Every event succeeded and the termination wait began at this time. */
  readonly waitStartedAt: number | undefined;
  readonly succeededAt: number | undefined;
  readonly interruption: Interruption | undefined;
}

/** Where a schedule stands at `now`; `stopAt` is when StopDeployment was called, if it was. */
export function progressAt(schedule: Schedule, now: number, stopAt?: number): Progress {
  const hook = schedule.steps.find((s) => s.fails && s.end !== undefined && s.end <= now);
  const candidates: Interruption[] = [];
  if (hook?.end !== undefined) candidates.push({ kind: 'hook', at: hook.end, event: hook.name });
  if (schedule.alarmAt !== undefined && schedule.alarmAt <= now)
    candidates.push({ kind: 'alarm', at: schedule.alarmAt });
  if (stopAt !== undefined && stopAt <= now) candidates.push({ kind: 'stop', at: stopAt });
  const done = schedule.terminateAt !== undefined && schedule.terminateAt <= now;
  const interruption = candidates
    .filter((c) => !done || c.at < (schedule.terminateAt ?? 0))
    .sort((a, b) => a.at - b.at)[0];
  const until = interruption?.at ?? now;
  const events = eventsAt(schedule, until, interruption !== undefined);
  const last = schedule.steps.at(-1);
  const allDone = schedule.steps.length === ECS_LIFECYCLE.length && last?.end !== undefined;
  const waitStartedAt = allDone && !last.fails && last.end! <= until ? last.end : undefined;
  const traffic = schedule.steps.find((s) => s.name === 'AllowTraffic')?.end;
  return {
    events,
    trafficShifted: traffic !== undefined && traffic <= until,
    waitStartedAt,
    succeededAt: interruption === undefined && done ? schedule.terminateAt : undefined,
    interruption,
  };
}

function eventsAt(schedule: Schedule, until: number, interrupted: boolean): EventView[] {
  return ECS_LIFECYCLE.map((name): EventView => {
    const step = schedule.steps.find((s) => s.name === name);
    if (step === undefined || step.start > until || (step.start === until && interrupted)) {
      return { name, status: interrupted ? 'Skipped' : 'Pending', failed: false };
    }
    if (step.end !== undefined && step.end <= until) {
      return {
        name,
        status: step.fails ? 'Failed' : 'Succeeded',
        start: step.start,
        end: step.end,
        failed: step.fails,
      };
    }
    // An event cut short by an alarm or a stop ends with the deployment.
    return interrupted
      ? { name, status: 'Failed', start: step.start, end: until, failed: true }
      : { name, status: 'InProgress', start: step.start, failed: false };
  });
}
