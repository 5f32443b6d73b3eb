import type { Deployment, Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import { primaryDeployment } from './plan';

/** The deployment this run started (or found running), and what it replaced. */
export interface TrackedDeployment {
  /** `ecs-svc/…`: the id in the service's deployments list, and `startedBy` of its tasks. */
  id: string;
  taskDefinition: string;
  /** The task definition PRIMARY before; a return to it that this run did not ask for is a rollback. */
  previousTaskDefinition: string | undefined;
  /** Set when the service names its service deployment (ListServiceDeployments/DescribeServiceDeployments). */
  serviceDeploymentArn?: string;
}

export type DeploymentView =
  | { phase: 'in-progress'; status: string }
  | { phase: 'succeeded'; status: string }
  | { phase: 'failed'; status: string; reason: string }
  /** The circuit breaker (or alarms) failed the deployment and is returning to the previous revision. */
  | { phase: 'rolling-back'; status: string; reason: string; rollbackTaskDefinition: string | undefined }
  | { phase: 'rolled-back'; status: string; reason: string; rollbackTaskDefinition: string | undefined }
  /** Another deployment took over; this one's outcome will never be known. */
  | { phase: 'superseded'; status: string; reason: string };

export type Phase = DeploymentView['phase'];

/** Phases after which nothing about this deployment will change. */
export const FINAL_PHASES: readonly Phase[] = ['succeeded', 'failed', 'rolled-back', 'superseded'];

const CIRCUIT_BREAKER = 'the deployment failed and ECS rolled back';

/**
 * Where the tracked deployment stands, from one DescribeServices answer and, when the service names
 * it, one DescribeServiceDeployments answer. Success needs this deployment to be the PRIMARY one,
 * on this task definition, with every desired task running: never another deployment's success.
 */
export function viewDeployment(
  tracked: TrackedDeployment,
  service: Service,
  serviceDeployment?: ServiceDeployment,
): DeploymentView {
  const deployments = service.deployments ?? [];
  const ours = deployments.find((d) => d.id === tracked.id);
  const primary = primaryDeployment(service);
  const status = describe(ours ?? primary, ours === undefined ? 'not listed any more' : undefined);
  if (serviceDeployment?.status !== undefined) {
    return fromServiceDeployment(tracked, serviceDeployment, primary, ours, status);
  }
  if (ours?.status === 'PRIMARY') {
    if (ours.rolloutState === 'COMPLETED') {
      return isRunning(ours, tracked) ? { phase: 'succeeded', status } : { phase: 'in-progress', status };
    }
    if (ours.rolloutState === 'FAILED') {
      return { phase: 'failed', status, reason: ours.rolloutStateReason ?? 'the deployment failed' };
    }
    return { phase: 'in-progress', status };
  }
  return replaced(tracked, primary, ours, status);
}

function fromServiceDeployment(
  tracked: TrackedDeployment,
  sd: ServiceDeployment,
  primary: Deployment | undefined,
  ours: Deployment | undefined,
  status: string,
): DeploymentView {
  const reason = sd.rollback?.reason ?? sd.statusReason ?? ours?.rolloutStateReason ?? '';
  const text = `${status} [service deployment ${sd.status}]`;
  const back = primary?.taskDefinition === tracked.taskDefinition ? undefined : primary?.taskDefinition;
  switch (sd.status) {
    case 'SUCCESSFUL':
      if (primary?.id === tracked.id && isRunning(primary, tracked))
        return { phase: 'succeeded', status: text };
      return primary?.id === tracked.id
        ? { phase: 'in-progress', status: text }
        : replaced(tracked, primary, ours, text);
    case 'ROLLBACK_REQUESTED':
    case 'ROLLBACK_IN_PROGRESS':
      return {
        phase: 'rolling-back',
        status: text,
        reason: reason || CIRCUIT_BREAKER,
        rollbackTaskDefinition: back,
      };
    case 'ROLLBACK_SUCCESSFUL':
      return {
        phase: 'rolled-back',
        status: text,
        reason: reason || CIRCUIT_BREAKER,
        rollbackTaskDefinition: back,
      };
    case 'ROLLBACK_FAILED':
      return {
        phase: 'failed',
        status: text,
        reason: `the rollback failed too${reason ? `: ${reason}` : ''}`,
      };
    case 'STOPPED':
    case 'STOP_REQUESTED':
      if (primary !== undefined && primary.id !== tracked.id) return replaced(tracked, primary, ours, text);
      return { phase: 'failed', status: text, reason: reason || 'the deployment was stopped' };
    default:
      return { phase: 'in-progress', status: text };
  }
}

/** This deployment is no longer PRIMARY: rolled back to the previous revision, or superseded. */
function replaced(
  tracked: TrackedDeployment,
  primary: Deployment | undefined,
  ours: Deployment | undefined,
  status: string,
): DeploymentView {
  const failed = ours?.rolloutState === 'FAILED';
  const backToPrevious =
    primary !== undefined &&
    primary.taskDefinition !== tracked.taskDefinition &&
    primary.taskDefinition === tracked.previousTaskDefinition;
  if (
    primary !== undefined &&
    (failed || backToPrevious) &&
    primary.taskDefinition !== tracked.taskDefinition
  ) {
    const reason = (failed ? ours?.rolloutStateReason : undefined) ?? CIRCUIT_BREAKER;
    const done = primary.rolloutState === 'COMPLETED' && isRunning(primary);
    return {
      phase: done ? 'rolled-back' : 'rolling-back',
      status,
      reason,
      rollbackTaskDefinition: primary.taskDefinition,
    };
  }
  const by = primary
    ? `deployment ${primary.id ?? '?'} of ${shortName(primary.taskDefinition)}`
    : 'no deployment';
  return { phase: 'superseded', status, reason: `deployment ${tracked.id} was replaced by ${by}` };
}

function isRunning(deployment: Deployment, tracked?: TrackedDeployment): boolean {
  if (tracked !== undefined && deployment.taskDefinition !== tracked.taskDefinition) return false;
  return (deployment.runningCount ?? 0) >= (deployment.desiredCount ?? 0);
}

/** `IN_PROGRESS: 1/2 running, 1 pending, 3 failed (reason)`: what the deadline message quotes. */
export function describe(deployment: Deployment | undefined, note?: string): string {
  if (deployment === undefined) return note ?? 'no deployment listed';
  const counts = `${deployment.runningCount ?? 0}/${deployment.desiredCount ?? 0} running, ${deployment.pendingCount ?? 0} pending, ${deployment.failedTasks ?? 0} failed`;
  const state = deployment.rolloutState ?? deployment.status ?? 'UNKNOWN';
  return `${note ? `${note}; PRIMARY is ${deployment.id ?? '?'} ` : ''}${state}: ${counts} (${shortName(deployment.taskDefinition)})`;
}

/** `web:7` for a task definition ARN. */
export function shortName(taskDefinition: string | undefined): string {
  if (taskDefinition === undefined) return '?';
  const at = taskDefinition.lastIndexOf('task-definition/');
  return at >= 0 ? taskDefinition.slice(at + 16) : taskDefinition;
}
