import type {
  DeploymentConfiguration,
  Service,
  ServiceDeployment,
  ServiceDeploymentBrief,
} from '@aws-sdk/client-ecs';

/**
 * Decisions for services ECS itself deploys blue/green, linearly or by canary
 * (deploymentConfiguration.strategy BLUE_GREEN, LINEAR or CANARY with the ECS deployment
 * controller). Pure: native-deployment.ts carries them out.
 */

export type NativeStrategy = 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

const NATIVE: readonly string[] = ['BLUE_GREEN', 'LINEAR', 'CANARY'];

/**
 * The service's native strategy, or undefined for a rolling one. Only the ECS controller has
 * strategies (DeploymentController in the API model: "When you create a service which uses the ECS
 * deployment controller, you can choose between the following deployment strategies").
 */
export function nativeStrategy(
  service: Pick<Service, 'deploymentController' | 'deploymentConfiguration'>,
): NativeStrategy | undefined {
  const controller = service.deploymentController?.type ?? 'ECS';
  const strategy = service.deploymentConfiguration?.strategy;
  return controller === 'ECS' && strategy !== undefined && NATIVE.includes(strategy)
    ? (strategy as NativeStrategy)
    : undefined;
}

/**
 * The waits the configuration itself asks for, added to timeout-minutes as the CodeDeploy path adds
 * its group's: the bake time after production traffic moved, and the bake between traffic steps
 * (a canary's once; a linear one's after every step but the last: "This bake time is not applied
 * after reaching 100 percent traffic", LinearConfiguration). Defaults are the API reference's.
 */
export function nativeWaitMs(config: DeploymentConfiguration | undefined): number {
  const strategy = config?.strategy;
  const bake = config?.bakeTimeInMinutes ?? 0;
  let steps = 0;
  if (strategy === 'CANARY') steps = config?.canaryConfiguration?.canaryBakeTimeInMinutes ?? 10;
  if (strategy === 'LINEAR') {
    const percent = config?.linearConfiguration?.stepPercent ?? 10;
    const between = Math.max(0, Math.ceil(100 / percent) - 1);
    steps = between * (config?.linearConfiguration?.stepBakeTimeInMinutes ?? 6);
  }
  return (bake + steps) * 60_000;
}

/**
 * The service deployment an UpdateService started, when its answer did not name it: the newest one
 * ListServiceDeployments lists, created since just before the update, other than the one current
 * before. ECS stamps createdAt with its own clock, so a minute of skew is allowed.
 */
export function pickServiceDeployment(
  listed: readonly ServiceDeploymentBrief[],
  updatedAt: number,
  before: string | undefined,
): string | undefined {
  return [...listed]
    .filter((d) => d.serviceDeploymentArn !== before && (d.createdAt?.getTime() ?? 0) >= updatedAt - 60_000)
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0]?.serviceDeploymentArn;
}

export type NativePhase =
  | { readonly phase: 'in-progress' }
  | { readonly phase: 'succeeded' }
  /** ECS failed it and is returning to the source revision (ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS). */
  | { readonly phase: 'rolling-back'; readonly why: string }
  | { readonly phase: 'rolled-back'; readonly why: string }
  /** ECS's own rollback failed (ROLLBACK_FAILED). */
  | { readonly phase: 'rollback-failed'; readonly why: string }
  /** Failed without a rollback by ECS (STOPPED; rollback not enabled, or stopped by someone). */
  | { readonly phase: 'stopped'; readonly why: string };

/**
 * Where a service deployment stands (ServiceDeploymentStatus in the API model; ECS Developer Guide,
 * "View service history using Amazon ECS service deployments": PENDING, then IN_PROGRESS,
 * STOP_REQUESTED, ROLLBACK_REQUESTED or ROLLBACK_IN_PROGRESS, ending SUCCESSFUL, STOPPED,
 * ROLLBACK_SUCCESSFUL or ROLLBACK_FAILED).
 */
export function nativePhase(sd: ServiceDeployment): NativePhase {
  const why = failureCause(sd);
  switch (sd.status) {
    case 'SUCCESSFUL':
      return { phase: 'succeeded' };
    case 'ROLLBACK_REQUESTED':
    case 'ROLLBACK_IN_PROGRESS':
      return { phase: 'rolling-back', why };
    case 'ROLLBACK_SUCCESSFUL':
      return { phase: 'rolled-back', why };
    case 'ROLLBACK_FAILED':
      return { phase: 'rollback-failed', why };
    case 'STOPPED':
      return { phase: 'stopped', why };
    default:
      // PENDING, IN_PROGRESS, STOP_REQUESTED (it goes on stopping), and any status to come.
      return { phase: 'in-progress' };
  }
}

/**
 * Why ECS failed the deployment, most specific first: the alarms that went into ALARM, a lifecycle
 * hook that failed or timed out, the circuit breaker's count; else ECS's own words.
 */
export function failureCause(sd: ServiceDeployment): string {
  const triggered = sd.alarms?.triggeredAlarmNames ?? [];
  if (sd.alarms?.status === 'TRIGGERED' || triggered.length > 0) {
    return triggered.length > 0
      ? `CloudWatch alarm ${triggered.join(', ')} in ALARM`
      : 'a CloudWatch alarm went into ALARM';
  }
  const hook = sd.lifecycleHookDetails?.find((h) => h.status === 'FAILED' || h.status === 'TIMED_OUT');
  if (hook !== undefined) {
    const target = hook.targetArn ?? hook.targetType ?? 'hook';
    return `lifecycle hook ${target} ${hook.status === 'TIMED_OUT' ? 'timed out' : 'returned FAILED'}`;
  }
  const breaker = sd.deploymentCircuitBreaker;
  if (breaker?.status === 'TRIGGERED') {
    return `deployment circuit breaker: ${breaker.failureCount ?? '?'} tasks failed (threshold ${breaker.threshold ?? '?'})`;
  }
  return (sd.rollback?.reason ?? sd.statusReason ?? 'the deployment failed').replace(/\.$/, '');
}

/** What a run does once a native deployment ended without success. */
export type NativeRecovery =
  /** ECS rolls back itself (or did): follow it, never a second rollback. */
  | { readonly kind: 'follow-ecs' }
  /** ECS did not return the service to the previous revision: this run deploys it (plan.rollBackTo). */
  | { readonly kind: 'redeploy'; readonly to: string }
  /**
   * At the deadline, still going: StopServiceDeployment with stopType ROLLBACK, so ECS returns to the
   * source revision itself ("You can use this option even if you didn't configure the service
   * deployment for the rollback option": StopServiceDeployment in the API model).
   */
  | { readonly kind: 'stop-with-rollback'; readonly to: string }
  | { readonly kind: 'none' };

export function nativeRecovery(facts: {
  /** How it ended; at the deadline, the phase last seen. */
  readonly phase:
    | Exclude<NativePhase, { phase: 'in-progress' | 'succeeded' }>
    | { readonly phase: 'deadline'; readonly during: NativePhase['phase'] | undefined };
  /** The ServicePlan's rollBackTo: rollback-on-failure and a revision registered by this run. */
  readonly rollBackTo: string | undefined;
}): NativeRecovery {
  const phase = facts.phase;
  if (phase.phase === 'rolling-back' || phase.phase === 'rolled-back') return { kind: 'follow-ecs' };
  // ECS still rolling back at the deadline: a second rollback would race its own.
  if (phase.phase === 'deadline' && phase.during === 'rolling-back') return { kind: 'none' };
  if (facts.rollBackTo === undefined) return { kind: 'none' };
  if (phase.phase === 'deadline') return { kind: 'stop-with-rollback', to: facts.rollBackTo };
  return { kind: 'redeploy', to: facts.rollBackTo };
}

/** One line per change worth printing: status, lifecycle stage and green's share of traffic. */
export function progressLine(sd: ServiceDeployment): string {
  const target = sd.targetServiceRevision;
  const weight = target?.requestedProductionTrafficWeight;
  const stage = sd.lifecycleStage === undefined ? '' : ` ${sd.lifecycleStage}`;
  const traffic = weight === undefined ? '' : `, ${weight}% of production traffic on the new revision`;
  const tasks =
    target === undefined
      ? ''
      : ` (${target.runningTaskCount ?? 0}/${target.requestedTaskCount ?? 0} running)`;
  return `${sd.status ?? 'UNKNOWN'}${stage}${traffic}${tasks}`;
}
