import { ServiceError } from '../../errors';
import { advanceNative } from './native-rollout';
import {
  advanceDeployment,
  type DeploymentRecord,
  type NativeState,
  type RolloutHost,
  type RolloutPlan,
} from './rollout';
import { clusterName, serviceName, type EcsStore, type ServiceRecord } from './state';
import { failedTask } from './tasks';

/**
 * Deployments over virtual time: started by CreateService/UpdateService (see services.ts), played
 * forward whenever the service is read (no timers), superseded by a newer one.
 */

export function startDeployment(
  store: EcsStore,
  service: ServiceRecord,
  at: number,
  taskDefinition: string,
  plan: RolloutPlan,
  previous: string | undefined,
  native?: NativeState,
): DeploymentRecord {
  for (const other of service.deployments) {
    if (other.status !== 'PRIMARY') continue;
    other.status = 'ACTIVE';
    if (other.rolloutState === 'IN_PROGRESS') {
      Object.assign(other, {
        serviceDeploymentStatus: 'STOPPED',
        statusReason: 'Superseded by a newer deployment.',
        finishedAt: at,
      });
    }
  }
  const id = store.nextId();
  const deployment: DeploymentRecord = {
    id: `ecs-svc/${id}`,
    arn: `arn:aws:ecs:${service.arn.split(':')[3]}:${store.context.accountId}:service-deployment/${service.cluster}/${service.name}/${id}`,
    taskDefinition,
    createdAt: at,
    updatedAt: at,
    scenario: store.context.scenarioFor(service.name).name,
    plan,
    previousTaskDefinition: previous,
    desiredCount: service.desiredCount,
    status: 'PRIMARY',
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: `ECS deployment ecs-svc/${id} in progress.`,
    runningCount: 0,
    pendingCount: service.desiredCount,
    failedTasks: 0,
    serviceDeploymentStatus: 'IN_PROGRESS',
    startedTasksEvent: false,
    ...(native !== undefined && { native, serviceDeploymentStatus: 'PENDING' as const }),
  };
  // A deployment of a revision that ran before (a circuit breaker's rollback) runs with that
  // revision's volume configuration; UpdateService and CreateService set their own (services.ts).
  const volumes = (
    service.deployments.find((d) => d.taskDefinition === taskDefinition) ??
    service.deployments.find((d) => d.status === 'ACTIVE')
  )?.volumeConfigurations;
  if (volumes !== undefined) deployment.volumeConfigurations = volumes;
  service.deployments.unshift(deployment);
  return deployment;
}

/** A completed deployment makes its task definition known-good and ends the older ones. */
function completed(service: ServiceRecord, deployment: DeploymentRecord): void {
  service.knownGood.add(deployment.taskDefinition);
  for (const other of service.deployments) {
    if (other === deployment || other.status === 'INACTIVE') continue;
    other.status = 'INACTIVE';
    if (other.serviceDeploymentStatus === 'ROLLBACK_IN_PROGRESS') {
      Object.assign(other, {
        serviceDeploymentStatus: 'ROLLBACK_SUCCESSFUL',
        finishedAt: deployment.finishedAt,
      });
    }
  }
}

export function hostFor(store: EcsStore, service: ServiceRecord): RolloutHost {
  return {
    event: (at, message) => {
      service.events.unshift({ id: `${service.name}-${store.nextId()}`, createdAt: at, message });
      service.events.sort((a, b) => b.createdAt - a.createdAt);
    },
    startDeployment: (at, taskDefinition, plan, previous) =>
      startDeployment(store, service, at, taskDefinition, plan, previous),
    stoppedTask: (at, deployment, failure) => {
      const base = {
        clusterArn: service.clusterArn,
        taskDefinitionArn: deployment.taskDefinition,
        startedBy: deployment.id,
        group: `service:${service.name}`,
        launchType: service.launchType,
        createdAt: at,
      };
      return (
        failedTask(store, at, base, failure, at - 5_000)
          .arn.split('/')
          .pop() ?? ''
      );
    },
    completed: (deployment) => completed(service, deployment),
    rolledBack: (deployment) => rolledBack(service, deployment),
  };
}

/** A native rollback: blue, still running, is the service's PRIMARY again; green goes. */
function rolledBack(service: ServiceRecord, deployment: DeploymentRecord): void {
  const blue = service.deployments.find(
    (d) =>
      d !== deployment && d.status === 'ACTIVE' && d.taskDefinition === deployment.previousTaskDefinition,
  );
  deployment.status = 'INACTIVE';
  if (blue !== undefined) blue.status = 'PRIMARY';
}

/** Plays every deployment of the service forward to now (a circuit breaker rollback starts one more). */
export function settle(store: EcsStore, service: ServiceRecord): void {
  const host = hostFor(store, service);
  let changed = true;
  while (changed) {
    changed = false;
    for (const deployment of [...service.deployments].reverse()) {
      const advance = deployment.native === undefined ? advanceDeployment : advanceNative;
      if (advance(deployment, service.name, store.now(), host)) changed = true;
    }
  }
}

export function settleAll(store: EcsStore): void {
  for (const service of store.services.values()) settle(store, service);
}

export function primary(service: ServiceRecord): DeploymentRecord {
  const found = service.deployments.find((d) => d.status === 'PRIMARY');
  if (!found) throw new Error(`service ${service.name} has no PRIMARY deployment`);
  return found;
}

/** The service, played forward to now; undefined when there is none. */
export function findService(store: EcsStore, cluster: unknown, name: unknown): ServiceRecord | undefined {
  const service = store.services.get(`${clusterName(cluster)}/${serviceName(name)}`);
  if (service) settle(store, service);
  return service;
}

export function requireService(store: EcsStore, cluster: unknown, name: unknown): ServiceRecord {
  const service = findService(store, cluster, name);
  if (!service) throw new ServiceError('ServiceNotFoundException', 'Service not found.');
  return service;
}

/** The scenario's throttling of reads while a deployment is in progress. */
export function throttle(store: EcsStore, service: ServiceRecord): void {
  const limit = store.scenario(service.name).throttle;
  const rolling = service.deployments.some(
    (d) => d.rolloutState === 'IN_PROGRESS' || d.serviceDeploymentStatus === 'ROLLBACK_IN_PROGRESS',
  );
  if (!limit || !rolling) return;
  const n = service.reads++;
  if (n % limit.period < limit.burst) {
    service.throttled++;
    throw new ServiceError('ThrottlingException', 'Rate exceeded');
  }
}
