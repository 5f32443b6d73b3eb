import type { LifecycleStage, NativeConfig, NativePlan } from './native';
import type { EcsScenario, TaskFailure } from './scenarios';

export type DeploymentStatus = 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
/** ServiceDeploymentStatus in the API model (PENDING, ROLLBACK_REQUESTED and ROLLBACK_FAILED: native strategies here). */
export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

/** What a deployment will do, fixed when it starts. */
export type RolloutPlan =
  | { readonly kind: 'complete'; readonly seconds: number }
  | {
      readonly kind: 'fail';
      readonly every: number;
      readonly failure: TaskFailure;
      /** The deployment circuit breaker watches it (it fails after circuitBreakerThreshold failed tasks). */
      readonly circuitBreaker: boolean;
      readonly rollback: boolean;
      readonly rollbackSeconds: number;
    };

export interface DeploymentRecord {
  readonly id: string;
  readonly arn: string;
  readonly taskDefinition: string;
  readonly createdAt: number;
  readonly scenario: string;
  readonly plan: RolloutPlan;
  /** The task definition PRIMARY before this deployment: where a circuit breaker rolls back to. */
  readonly previousTaskDefinition: string | undefined;
  desiredCount: number;
  status: DeploymentStatus;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  updatedAt: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  serviceDeploymentStatus: ServiceDeploymentStatus;
  statusReason?: string;
  startedTasksEvent: boolean;
  finishedAt?: number;
  rollback?: { readonly reason: string; readonly startedAt: number };
  /** UpdateService/CreateService volumeConfigurations this deployment runs with (Deployment.volumeConfigurations). */
  volumeConfigurations?: unknown[];
  /** A deployment of a native strategy (BLUE_GREEN, LINEAR, CANARY): its plan and where it stands. */
  native?: NativeState;
}

/** What a native deployment shows beyond a rolling one (native-rollout.ts keeps it current). */
export interface NativeState {
  /** Replaced when StopServiceDeployment asks for a rollback. */
  plan: NativePlan;
  readonly config: NativeConfig;
  stage: LifecycleStage | undefined;
  production: number;
  test: number;
  /** Green's failed tasks already stopped (circuit breaker, never-stable). */
  tasksStopped: number;
  stoppedAt?: number;
}

export interface ServiceEventRecord {
  readonly id: string;
  readonly createdAt: number;
  readonly message: string;
}

export interface ContainerRecord {
  readonly name: string;
  readonly image: string;
  readonly essential: boolean;
}

/** The calls a rollout makes back into the service model. */
export interface RolloutHost {
  event(at: number, message: string): void;
  startDeployment(
    at: number,
    taskDefinition: string,
    plan: RolloutPlan,
    previous: string | undefined,
  ): DeploymentRecord;
  stoppedTask(at: number, deployment: DeploymentRecord, failure: TaskFailure): string;
  completed(deployment: DeploymentRecord): void;
  /** ECS returned the service to the revision before `deployment` (a native rollback). */
  rolledBack?(deployment: DeploymentRecord): void;
}

/** Failed tasks kept per deployment that never ends, so a long never-stable run stays small. */
const MAX_FAILED_TASKS = 60;

/**
 * The failed-task count at which the deployment circuit breaker fails a deployment: half the
 * desired task count, rounded up, at least 3 and at most 200 (ECS Developer Guide, "How the Amazon
 * ECS deployment circuit breaker detects failures", failure threshold; ECS API reference,
 * ServiceDeploymentCircuitBreaker.threshold).
 */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desiredCount * 0.5)));
}

/**
 * The rolloutStateReason of a deployment the circuit breaker failed, as ECS words it (quoted from
 * DescribeServices in aws/containers-roadmap#1488).
 */
export const CIRCUIT_BREAKER_REASON = 'ECS deployment circuit breaker: tasks failed to start.';

/** The plan of a deployment of `taskDefinition` under `scenario`: known-good revisions always roll out. */
export function planRollout(scenario: EcsScenario, knownGood: boolean): RolloutPlan {
  if (knownGood) return { kind: 'complete', seconds: scenario.rollbackSeconds };
  if (scenario.rollout === 'complete' || scenario.failure === undefined) {
    return { kind: 'complete', seconds: scenario.rolloutSeconds };
  }
  return {
    kind: 'fail',
    every: scenario.taskFailureSeconds,
    failure: scenario.failure,
    circuitBreaker: scenario.rollout === 'circuit-breaker',
    rollback: scenario.circuitBreakerRollback,
    rollbackSeconds: scenario.rollbackSeconds,
  };
}

function complete(deployment: DeploymentRecord, at: number, service: string, host: RolloutHost): void {
  Object.assign(deployment, {
    rolloutState: 'COMPLETED',
    rolloutStateReason: `ECS deployment ${deployment.id} completed.`,
    runningCount: deployment.desiredCount,
    pendingCount: 0,
    updatedAt: at,
    finishedAt: at,
    serviceDeploymentStatus: 'SUCCESSFUL',
  });
  host.event(at, `(service ${service}) (deployment ${deployment.id}) deployment completed.`);
  host.event(at, `(service ${service}) has reached a steady state.`);
  host.completed(deployment);
}

function trip(
  deployment: DeploymentRecord,
  at: number,
  service: string,
  host: RolloutHost,
  plan: Extract<RolloutPlan, { kind: 'fail' }>,
): void {
  const reason = CIRCUIT_BREAKER_REASON;
  Object.assign(deployment, {
    rolloutState: 'FAILED',
    rolloutStateReason: reason,
    updatedAt: at,
    pendingCount: 0,
  });
  host.event(
    at,
    `(service ${service}) (deployment ${deployment.id}) deployment failed: tasks failed to start.`,
  );
  if (!plan.rollback || deployment.previousTaskDefinition === undefined) {
    Object.assign(deployment, { serviceDeploymentStatus: 'STOPPED', statusReason: reason, finishedAt: at });
    return;
  }
  const back = host.startDeployment(
    at,
    deployment.previousTaskDefinition,
    { kind: 'complete', seconds: plan.rollbackSeconds },
    undefined,
  );
  Object.assign(deployment, {
    status: 'ACTIVE',
    serviceDeploymentStatus: 'ROLLBACK_IN_PROGRESS',
    statusReason: reason,
    rollback: { reason, startedAt: at },
  });
  host.event(at, `(service ${service}) rolling back to deployment ${back.id}.`);
}

/**
 * Plays a PRIMARY deployment forward to `now`: tasks it started and stopped, and its end. Returns
 * true when something changed (a rollback deployment may then need playing too).
 */
export function advanceDeployment(
  deployment: DeploymentRecord,
  service: string,
  now: number,
  host: RolloutHost,
): boolean {
  if (deployment.status !== 'PRIMARY' || deployment.rolloutState !== 'IN_PROGRESS') return false;
  const { plan, createdAt } = deployment;
  if (plan.kind === 'complete') {
    const startAt = createdAt + Math.min(10, plan.seconds / 3) * 1000;
    let changed = false;
    if (!deployment.startedTasksEvent && now >= startAt) {
      deployment.startedTasksEvent = true;
      host.event(startAt, `(service ${service}) has started ${deployment.desiredCount} tasks.`);
      changed = true;
    }
    const doneAt = createdAt + plan.seconds * 1000;
    if (now < doneAt) return changed;
    complete(deployment, doneAt, service, host);
    return true;
  }
  let changed = false;
  for (;;) {
    const next = deployment.failedTasks + 1;
    const at = createdAt + next * plan.every * 1000;
    if (at > now || (!plan.circuitBreaker && next > MAX_FAILED_TASKS)) return changed;
    const task = host.stoppedTask(at, deployment, plan.failure);
    host.event(at - plan.every * 500, `(service ${service}) has started 1 tasks: (task ${task}).`);
    Object.assign(deployment, { failedTasks: next, updatedAt: at, pendingCount: deployment.desiredCount });
    changed = true;
    if (plan.circuitBreaker && next >= circuitBreakerThreshold(deployment.desiredCount)) {
      trip(deployment, at, service, host, plan);
      return true;
    }
  }
}
