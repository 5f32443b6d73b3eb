import type { ScenarioBase } from '../../scenarios';

/** How a task of a failing deployment stops; `{image}` in a text is replaced by the container's image. */
export interface TaskFailure {
  readonly stopCode: string;
  readonly stoppedReason: string;
  /** The essential container's exit code; absent when the container never started. */
  readonly exitCode?: number;
  readonly containerReason?: string;
}

/**
 * How an ECS service rolls out a task definition it has not run successfully before. A task
 * definition that already completed on the service (the one it was created with, or a later one)
 * always rolls out healthy in `rollbackSeconds`: rollbacks to a known-good revision work.
 * - complete: steady state after `rolloutSeconds`.
 * - circuit-breaker: a task stops every `taskFailureSeconds` with `failure`; at the circuit
 *   breaker's threshold (half the desired count, 3 to 200: `circuitBreakerThreshold` in rollout.ts)
 *   the deployment's rolloutState turns FAILED, and with `circuitBreakerRollback` a new PRIMARY
 *   deployment of the previous task definition starts.
 * - never: tasks keep stopping with `failure`, the rollout stays IN_PROGRESS for ever.
 * Tasks started by RunTask follow the scenario chosen for their family: they exit 0 after
 * `rolloutSeconds`, or stop with `failure` after `taskFailureSeconds` (never: they keep running).
 */
export interface EcsScenario extends ScenarioBase {
  readonly rollout: 'complete' | 'circuit-breaker' | 'never';
  readonly rolloutSeconds: number;
  readonly failure?: TaskFailure;
  readonly taskFailureSeconds: number;
  readonly circuitBreakerRollback: boolean;
  readonly rollbackSeconds: number;
  /** The service names its current service deployment (ARN), so ListServiceDeployments/DescribeServiceDeployments apply. */
  readonly reportsServiceDeployments: boolean;
  /**
   * While a deployment is in progress, reads of the service (DescribeServices, service deployments)
   * answer ThrottlingException `burst` times in every `period` calls: more in a row than the SDK retries.
   */
  readonly throttle?: { readonly burst: number; readonly period: number };
  /**
   * How a deployment of a native strategy (BLUE_GREEN, LINEAR, CANARY) fails besides the circuit
   * breaker (native.ts): the service's first alarm goes into ALARM during the bake time (ECS rolls
   * back, or its rollback fails), or its first lifecycle hook returns FAILED. A ROLLING service, or
   * one with no alarm or hook to fail, rolls out as healthy.
   */
  readonly native?: 'alarm' | 'alarm-rollback-fails' | 'hook';
}

const healthy = {
  rollout: 'complete',
  rolloutSeconds: 45,
  taskFailureSeconds: 15,
  circuitBreakerRollback: true,
  rollbackSeconds: 30,
  reportsServiceDeployments: true,
} as const;

export const ECS_SCENARIOS = {
  healthy: { ...healthy, description: 'reaches a steady state 45 virtual seconds after a deployment starts' },
  slow: { ...healthy, rolloutSeconds: 600, description: 'reaches a steady state after 10 virtual minutes' },
  crashloop: {
    ...healthy,
    rollout: 'circuit-breaker',
    failure: {
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      exitCode: 1,
    },
    description:
      'tasks exit with code 1 every 15 s; after 3 the circuit breaker fails the deployment and rolls back',
  },
  'image-pull-failure': {
    ...healthy,
    rollout: 'circuit-breaker',
    circuitBreakerRollback: false,
    failure: {
      stopCode: 'TaskFailedToStart',
      stoppedReason:
        'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {image}: not found',
      containerReason: 'CannotPullContainerError: failed to resolve ref {image}: not found',
    },
    description:
      'tasks fail to start (CannotPullContainerError); the circuit breaker fails the deployment without rolling back',
  },
  'rollback-by-circuit-breaker': {
    ...healthy,
    rollout: 'circuit-breaker',
    failure: {
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      exitCode: 137,
      containerReason: 'OutOfMemoryError: Container killed due to memory usage',
    },
    description:
      'tasks are killed for memory (exit 137); the circuit breaker rolls back to the previous task definition',
  },
  'never-stable': {
    ...healthy,
    rollout: 'never',
    taskFailureSeconds: 20,
    failure: {
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Task failed container health checks',
      exitCode: 143,
    },
    description:
      'tasks fail health checks every 20 s; the rollout stays IN_PROGRESS for ever (for deadlines)',
  },
  throttling: {
    ...healthy,
    rolloutSeconds: 180,
    throttle: { burst: 9, period: 12 },
    description:
      'steady after 3 virtual minutes; meanwhile 9 of every 12 reads of the service answer ThrottlingException',
  },
  'deployments-list-only': {
    ...healthy,
    reportsServiceDeployments: false,
    description:
      'healthy; the service does not name its service deployment (only the deployments list tells)',
  },
  'alarm-rollback': {
    ...healthy,
    native: 'alarm',
    description:
      'native strategies: the first alarm goes into ALARM half-way through the bake time; ECS rolls back to the blue revision',
  },
  'rollback-fails': {
    ...healthy,
    native: 'alarm-rollback-fails',
    description:
      'native strategies: the first alarm goes into ALARM during the bake time and ECS’s rollback ends ROLLBACK_FAILED, green left serving',
  },
  'hook-fails': {
    ...healthy,
    native: 'hook',
    description:
      'native strategies: the first lifecycle hook returns FAILED at the end of its stage; ECS rolls back to the blue revision',
  },
} as const satisfies Record<string, EcsScenario>;
