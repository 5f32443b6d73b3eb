import { circuitBreakerThreshold, type DeploymentRecord, type NativeState } from './rollout';
import type { EcsStore, Json, ServiceRecord, TaskRecord } from './state';
import { primary } from './updates';

/** The wire shapes of services, deployments, service deployments and tasks, as ECS answers them. */

export function deploymentView(d: DeploymentRecord): Json {
  return {
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinition,
    desiredCount: d.desiredCount,
    pendingCount: d.pendingCount,
    runningCount: d.runningCount,
    failedTasks: d.failedTasks,
    createdAt: new Date(d.createdAt),
    updatedAt: new Date(d.updatedAt),
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
    ...(d.volumeConfigurations !== undefined && { volumeConfigurations: d.volumeConfigurations }),
  };
}

export function serviceView(store: EcsStore, service: ServiceRecord): Json {
  if (service.deploymentController === 'CODE_DEPLOY') return blueGreenView(store, service);
  return rollingView(store, service);
}

/**
 * A CODE_DEPLOY service lists task sets, the PRIMARY one serving traffic (ECS API reference,
 * Service.taskSets: "a set of Amazon ECS tasks in either an CodeDeploy or an EXTERNAL
 * deployment"); its task definition is the PRIMARY task set's.
 */
function blueGreenView(store: EcsStore, service: ServiceRecord): Json {
  const own = rollingView(store, service);
  const taskSets = store.link.codedeploy?.taskSets(service.cluster, service.name) ?? [
    {
      id: 'ecs-svc/1000000000000000001',
      status: 'PRIMARY',
      taskDefinition: own.taskDefinition,
      computedDesiredCount: service.desiredCount,
      runningCount: service.desiredCount,
      pendingCount: 0,
      stabilityStatus: 'STEADY_STATE',
    },
  ];
  const serving = taskSets.find((set) => set.status === 'PRIMARY');
  const { currentServiceDeployment: _none, ...rest } = own;
  return { ...rest, taskDefinition: serving?.taskDefinition, taskSets, deployments: [] };
}

/** A service's settings as DescribeServices shows them once set. */
function settingsView(service: ServiceRecord): Json {
  return {
    ...(service.networkConfiguration !== undefined && { networkConfiguration: service.networkConfiguration }),
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: service.deploymentController },
    ...(service.loadBalancers.length > 0 && { loadBalancers: service.loadBalancers }),
    ...(service.propagateTags !== undefined && { propagateTags: service.propagateTags }),
    ...(service.enableECSManagedTags !== undefined && { enableECSManagedTags: service.enableECSManagedTags }),
  };
}

function rollingView(store: EcsStore, service: ServiceRecord): Json {
  const current = primary(service);
  const listed = service.deployments.filter((d) => d.status !== 'INACTIVE');
  const scenario = store.scenario(service.name);
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.clusterArn,
    status: 'ACTIVE',
    desiredCount: service.desiredCount,
    runningCount: listed.reduce((sum, d) => sum + d.runningCount, 0),
    pendingCount: listed.reduce((sum, d) => sum + d.pendingCount, 0),
    launchType: service.launchType,
    taskDefinition: current.taskDefinition,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: scenario.circuitBreakerRollback },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      ...service.deploymentConfiguration,
    },
    deployments: listed.map(deploymentView),
    events: service.events.slice(0, 100).map((e) => ({ ...e, createdAt: new Date(e.createdAt) })),
    createdAt: new Date(service.createdAt),
    ...(scenario.reportsServiceDeployments && { currentServiceDeployment: current.arn }),
    ...settingsView(service),
  };
}

/** A service revision's ARN: one per deployment here (ECS makes one for each service update). */
function revisionArn(d: DeploymentRecord): string {
  return d.arn.replace(':service-deployment/', ':service-revision/');
}

/** The revision a deployment replaces: the newest older deployment of its previous task definition. */
function sourceOf(service: ServiceRecord, d: DeploymentRecord): DeploymentRecord | undefined {
  return service.deployments.find(
    (o) => o !== d && o.createdAt <= d.createdAt && o.taskDefinition === d.previousTaskDefinition,
  );
}

export function serviceDeploymentView(service: ServiceRecord, d: DeploymentRecord): Json {
  const source = sourceOf(service, d);
  return {
    serviceDeploymentArn: d.arn,
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    createdAt: new Date(d.createdAt),
    ...(d.serviceDeploymentStatus !== 'PENDING' && { startedAt: new Date(d.createdAt) }),
    updatedAt: new Date(d.updatedAt),
    ...(d.finishedAt !== undefined && { finishedAt: new Date(d.finishedAt) }),
    ...(d.native?.stoppedAt !== undefined && { stoppedAt: new Date(d.native.stoppedAt) }),
    status: d.serviceDeploymentStatus,
    ...(d.statusReason !== undefined && { statusReason: d.statusReason }),
    ...(d.rollback && {
      rollback: {
        reason: d.rollback.reason,
        startedAt: new Date(d.rollback.startedAt),
        ...(source !== undefined && { serviceRevisionArn: revisionArn(source) }),
      },
    }),
    ...(source !== undefined && { sourceServiceRevisions: [sourceRevisionView(source, d)] }),
    targetServiceRevision: {
      arn: revisionArn(d),
      requestedTaskCount: d.desiredCount,
      runningTaskCount: d.runningCount,
      pendingTaskCount: d.pendingCount,
      ...(d.native && {
        requestedProductionTrafficWeight: d.native.production,
        requestedTestTrafficWeight: d.native.test,
      }),
    },
    ...(d.native && nativeFields(d, d.native)),
    // TRIGGERED once the circuit breaker failed the deployment (ECS API reference, ServiceDeploymentCircuitBreaker).
    deploymentCircuitBreaker: {
      status: circuitBreakerStatus(d),
      failureCount: d.failedTasks,
      threshold: circuitBreakerThreshold(d.desiredCount),
    },
  };
}

function sourceRevisionView(source: DeploymentRecord, d: DeploymentRecord): Json {
  return {
    arn: revisionArn(source),
    requestedTaskCount: source.desiredCount,
    runningTaskCount: source.status === 'INACTIVE' ? 0 : source.runningCount,
    pendingTaskCount: 0,
    ...(d.native && {
      requestedProductionTrafficWeight: 100 - d.native.production,
      requestedTestTrafficWeight: 100 - d.native.test,
    }),
  };
}

function circuitBreakerStatus(d: DeploymentRecord): string {
  const cause = d.native?.plan.failure?.cause.by;
  if (d.rolloutState === 'FAILED' && (d.native === undefined || cause === 'circuit-breaker'))
    return 'TRIGGERED';
  return d.finishedAt === undefined ? 'MONITORING' : 'MONITORING_COMPLETE';
}

/** The lifecycle stage, the configuration it deploys with, alarms and the hooks of the current stage. */
function nativeFields(d: DeploymentRecord, native: NativeState): Json {
  const cause = native.plan.failure?.cause;
  const failed = d.rolloutState === 'FAILED';
  return {
    ...(native.stage !== undefined && { lifecycleStage: native.stage }),
    deploymentConfiguration: nativeConfigurationView(native),
    alarms:
      native.config.alarmNames.length === 0
        ? { status: 'DISABLED' }
        : {
            status:
              failed && cause?.by === 'alarm'
                ? 'TRIGGERED'
                : d.finishedAt === undefined
                  ? 'MONITORING'
                  : 'MONITORING_COMPLETE',
            alarmNames: [...native.config.alarmNames],
            ...(failed && cause?.by === 'alarm' && { triggeredAlarmNames: [cause.alarm] }),
          },
    ...hookDetails(d, native),
  };
}

function nativeConfigurationView(native: NativeState): Json {
  const c = native.config;
  return {
    strategy: c.strategy,
    bakeTimeInMinutes: c.bakeMinutes,
    ...(c.strategy === 'LINEAR' && {
      linearConfiguration: { stepPercent: c.stepPercent, stepBakeTimeInMinutes: c.stepBakeMinutes },
    }),
    ...(c.strategy === 'CANARY' && {
      canaryConfiguration: { canaryPercent: c.canaryPercent, canaryBakeTimeInMinutes: c.canaryBakeMinutes },
    }),
  };
}

/**
 * The hooks active now ("When hooks are active during a deployment, you can view their status by
 * calling DescribeServiceDeployments": ECS Developer Guide, lifecycle hooks): those of the current
 * stage IN_PROGRESS, and after a hook failed, that one FAILED.
 */
function hookDetails(d: DeploymentRecord, native: NativeState): Json {
  const cause = native.plan.failure?.cause;
  const detail = (hook: NativeState['config']['hooks'][number], status: string, index: number): Json => ({
    hookId: `${d.id.split('/').pop() ?? ''}-${index}`,
    targetType: hook.targetType,
    ...(hook.targetArn !== undefined && { targetArn: hook.targetArn }),
    status,
  });
  if (d.rolloutState === 'FAILED' && cause?.by === 'hook') {
    return { lifecycleHookDetails: [detail(cause.hook, 'FAILED', native.config.hooks.indexOf(cause.hook))] };
  }
  if (d.finishedAt !== undefined || native.stage === undefined) return {};
  const stage = native.stage;
  const active = native.config.hooks
    .map((hook, index) => ({ hook, index }))
    .filter(({ hook }) => hook.stages.includes(stage));
  return active.length === 0
    ? {}
    : { lifecycleHookDetails: active.map(({ hook, index }) => detail(hook, 'IN_PROGRESS', index)) };
}

/** A task's own fields, RunTask's extras included (tags only when asked: include ["TAGS"]). */
function taskFields(task: TaskRecord, include: unknown): Json {
  return {
    taskArn: task.arn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    startedBy: task.startedBy,
    group: task.group,
    launchType: task.launchType,
    ...(task.capacityProviderName !== undefined && { capacityProviderName: task.capacityProviderName }),
    ...(task.overrides !== undefined && { overrides: task.overrides }),
    ...(task.attachments !== undefined && { attachments: task.attachments }),
    ...(task.tags !== undefined && Array.isArray(include) && include.includes('TAGS') && { tags: task.tags }),
  };
}

/** A task as DescribeTasks shows it at `at`: PENDING for its first 5 seconds, then RUNNING until it stops. */
export function taskView(task: TaskRecord, at: number, include: unknown = []): Json {
  const stopped = task.stopAt !== undefined && at >= task.stopAt;
  const running = at >= task.createdAt + 5_000;
  const lastStatus = stopped ? 'STOPPED' : running ? 'RUNNING' : 'PENDING';
  return {
    ...taskFields(task, include),
    createdAt: new Date(task.createdAt),
    lastStatus,
    desiredStatus: stopped ? 'STOPPED' : 'RUNNING',
    ...(running && task.stopCode !== 'TaskFailedToStart' && { startedAt: new Date(task.createdAt + 5_000) }),
    ...(stopped && {
      stoppedAt: new Date(task.stopAt ?? at),
      stopCode: task.stopCode,
      stoppedReason: task.stoppedReason,
    }),
    containers: task.containers.map(({ essential: _essential, exitCode, reason, ...c }) => ({
      ...c,
      taskArn: task.arn,
      lastStatus,
      ...(stopped && exitCode !== undefined && { exitCode }),
      ...(stopped && reason !== undefined && { reason }),
    })),
  };
}
