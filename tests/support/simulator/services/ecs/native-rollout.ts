import { nativeAt, type NativeSnapshot } from './native';
import type { DeploymentRecord, NativeState, RolloutHost } from './rollout';

/**
 * Plays a native deployment (BLUE_GREEN, LINEAR, CANARY) forward to `now`: its status, lifecycle
 * stage and traffic from the plan (native.ts), green's failed tasks, the service events, and its end:
 * SUCCESSFUL makes green the service's revision; ROLLBACK_SUCCESSFUL returns the service to blue;
 * STOPPED and ROLLBACK_FAILED leave green PRIMARY and FAILED. Returns true when something changed.
 */
export function advanceNative(
  deployment: DeploymentRecord,
  service: string,
  now: number,
  host: RolloutHost,
): boolean {
  const native = deployment.native;
  if (native === undefined || deployment.status !== 'PRIMARY' || deployment.finishedAt !== undefined)
    return false;
  const snap = nativeAt(native.plan, now - deployment.createdAt);
  let changed = stopTasks(deployment, native, snap, host);
  const before = `${deployment.serviceDeploymentStatus}/${native.stage ?? ''}/${native.production}/${native.test}`;
  Object.assign(native, { stage: snap.stage, production: snap.production, test: snap.test });
  // Green's tasks run from the end of SCALE_UP.
  const scaledUp = native.plan.spans[1];
  if (snap.failedTasks === 0 && scaledUp !== undefined && now - deployment.createdAt >= scaledUp.to) {
    Object.assign(deployment, { runningCount: deployment.desiredCount, pendingCount: 0 });
  }
  if (snap.status !== deployment.serviceDeploymentStatus) {
    changed = true;
    transition(deployment, native, snap, service, host);
  }
  const after = `${deployment.serviceDeploymentStatus}/${native.stage ?? ''}/${native.production}/${native.test}`;
  if (before !== after) deployment.updatedAt = now;
  return changed;
}

/** Green's tasks that failed since the last read, each a stopped task started by the deployment. */
function stopTasks(
  d: DeploymentRecord,
  native: NativeState,
  snap: NativeSnapshot,
  host: RolloutHost,
): boolean {
  const cause = native.plan.failure?.cause;
  const failure = cause?.by === 'circuit-breaker' ? cause.failure : native.plan.endless?.failure;
  const every = cause?.by === 'circuit-breaker' ? cause.everyMs : native.plan.endless?.everyMs;
  const from = native.plan.spans[1]?.from ?? 0;
  if (failure === undefined || every === undefined || snap.failedTasks <= native.tasksStopped) return false;
  for (let n = native.tasksStopped + 1; n <= snap.failedTasks; n++) {
    host.stoppedTask(d.createdAt + from + n * every, d, failure);
  }
  native.tasksStopped = snap.failedTasks;
  Object.assign(d, { failedTasks: snap.failedTasks, pendingCount: d.desiredCount });
  return true;
}

function transition(
  d: DeploymentRecord,
  native: NativeState,
  snap: NativeSnapshot,
  service: string,
  host: RolloutHost,
): void {
  const failure = native.plan.failure;
  const end = d.createdAt + (snap.finishedAt ?? 0);
  d.serviceDeploymentStatus = snap.status;
  if (snap.status === 'SUCCESSFUL') {
    Object.assign(d, {
      rolloutState: 'COMPLETED',
      rolloutStateReason: `ECS deployment ${d.id} completed.`,
      runningCount: d.desiredCount,
      pendingCount: 0,
      finishedAt: end,
    });
    host.event(end, `(service ${service}) (deployment ${d.id}) deployment completed.`);
    host.event(end, `(service ${service}) has reached a steady state.`);
    host.completed(d);
    return;
  }
  if (failure === undefined || snap.status === 'IN_PROGRESS' || snap.status === 'PENDING') return;
  // A read may come after several steps at once: the failure is booked once, whatever comes next.
  if (d.rolloutState !== 'FAILED') failed(d, native, service, host);
  if (snap.status === 'STOPPED') {
    native.stoppedAt = end;
    d.finishedAt = end;
  } else if (snap.status === 'ROLLBACK_SUCCESSFUL') {
    d.finishedAt = end;
    host.event(end, `(service ${service}) (deployment ${d.id}) rollback completed.`);
    host.rolledBack?.(d);
  } else if (snap.status === 'ROLLBACK_FAILED') {
    Object.assign(d, { finishedAt: end, statusReason: `The rollback failed: ${failure.reason}` });
    host.event(end, `(service ${service}) (deployment ${d.id}) rollback failed.`);
  }
}

/** The deployment failed (circuit breaker, alarm or hook): FAILED, and the rollback starts when enabled. */
function failed(d: DeploymentRecord, native: NativeState, service: string, host: RolloutHost): void {
  const failure = native.plan.failure;
  if (failure === undefined) return;
  const at = d.createdAt + failure.atMs;
  Object.assign(d, {
    rolloutState: 'FAILED',
    rolloutStateReason: failure.reason,
    statusReason: failure.reason,
    pendingCount: 0,
  });
  host.event(at, `(service ${service}) (deployment ${d.id}) deployment failed: ${failure.reason}`);
  if (failure.rollback === 'none') return;
  d.rollback = { reason: failure.reason, startedAt: at };
  host.event(at, `(service ${service}) (deployment ${d.id}) rolling back to the previous service revision.`);
}
