import { parse } from 'yaml';
import { ServiceError } from '../errors';
import type { CodeDeployBook } from './codedeploy-book';
import type { LinkedService } from './codedeploy-link';
import { stateAt, type DeploymentRecord, type DeploymentStore, type GroupRecord } from './codedeploy-state';

type Json = Record<string, unknown>;

/** The API's views of deployments, ECS targets, deployment groups and the service's task sets. */
export class CodeDeployViews {
  private readonly store: DeploymentStore;

  constructor(
    private readonly book: CodeDeployBook,
    private readonly now: () => number,
  ) {
    this.store = book.store;
  }

  /** DescribeServices' task sets of a service some deployment group deploys; undefined otherwise. */
  taskSets(cluster: string, name: string): Json[] | undefined {
    const g = [...this.book.groups.values()].find((x) => x.cluster === cluster && x.service === name);
    return g === undefined ? undefined : this.taskSetsOf(g, this.book.ecsService(g));
  }

  targetId(d: DeploymentRecord): string {
    return `${d.group.cluster}:${d.group.service}`;
  }

  started(d: DeploymentRecord): DeploymentRecord {
    // ListDeploymentTargets and GetDeploymentTarget: DeploymentNotStartedException before it starts.
    if (stateAt(d, this.now()).status === 'Created')
      throw new ServiceError('DeploymentNotStartedException', 'The specified deployment has not started.');
    return d;
  }

  targetStatus(d: DeploymentRecord): string {
    const { status } = stateAt(d, this.now());
    return status === 'Succeeded'
      ? 'Succeeded'
      : status === 'Failed' || status === 'Stopped'
        ? 'Failed'
        : status === 'Created'
          ? 'Pending'
          : 'InProgress';
  }

  hookName(d: DeploymentRecord, event: string): string {
    const content = (d.revision.appSpecContent as { content: string }).content;
    const hooks = (parse(content) as { Hooks?: unknown } | null)?.Hooks;
    const entry = Array.isArray(hooks) ? (hooks as Json[]).find((h) => event in h) : undefined;
    return entry === undefined ? '' : String(entry[event]);
  }

  info(d: DeploymentRecord): Json {
    const state = stateAt(d, this.now());
    const target = this.targetStatus(d);
    const overview = {
      Pending: 0,
      InProgress: 0,
      Succeeded: 0,
      Failed: 0,
      Skipped: 0,
      Ready: 0,
      [target]: 1,
    };
    const rollback = d.rollbackDeploymentId ?? d.rollbackTriggeringDeploymentId;
    return {
      applicationName: d.group.application,
      deploymentGroupName: d.group.name,
      deploymentConfigName: d.deploymentConfigName,
      deploymentId: d.id,
      revision: d.revision,
      status: state.status,
      ...(state.error !== undefined && { errorInformation: state.error }),
      createTime: new Date(d.createdAt),
      ...(state.status !== 'Created' && { startTime: new Date(d.createdAt + 1_000) }),
      ...(state.endedAt !== undefined && { completeTime: new Date(state.endedAt) }),
      deploymentOverview: overview,
      ...(d.description !== undefined && { description: d.description }),
      creator: d.creator,
      ignoreApplicationStopFailures: false,
      autoRollbackConfiguration: d.group.autoRollback,
      updateOutdatedInstancesOnly: false,
      ...(rollback !== undefined && {
        rollbackInfo: {
          ...(d.rollbackDeploymentId !== undefined && { rollbackDeploymentId: d.rollbackDeploymentId }),
          ...(d.rollbackTriggeringDeploymentId !== undefined && {
            rollbackTriggeringDeploymentId: d.rollbackTriggeringDeploymentId,
          }),
          rollbackMessage:
            d.rollbackDeploymentId !== undefined
              ? `Deployment ${d.id} was rolled back by ${d.rollbackDeploymentId}.`
              : `Rollback of deployment ${d.rollbackTriggeringDeploymentId ?? ''}.`,
        },
      }),
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      instanceTerminationWaitTimeStarted: state.progress.waitStartedAt !== undefined,
      blueGreenDeploymentConfiguration: this.blueGreen(d.group),
      computePlatform: 'ECS',
    };
  }

  blueGreen(g: GroupRecord): Json {
    return {
      terminateBlueInstancesOnDeploymentSuccess: {
        action: 'TERMINATE',
        terminationWaitTimeInMinutes: g.terminationWaitMinutes,
      },
      deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
    };
  }

  target(d: DeploymentRecord): Json {
    const state = stateAt(d, this.now());
    const service = this.book.ecsService(d.group);
    const events = state.progress.events.map((e) => ({
      lifecycleEventName: e.name,
      status: e.status,
      ...(e.start !== undefined && { startTime: new Date(e.start) }),
      ...(e.end !== undefined && { endTime: new Date(e.end) }),
      ...(e.failed && {
        diagnostics: {
          errorCode: 'ScriptFailed',
          scriptName: this.hookName(d, e.name),
          message:
            state.error?.code === 'HOOK_EXECUTION_FAILURE'
              ? `The ${e.name} hook function ${this.hookName(d, e.name)} reported the lifecycle event as Failed.`
              : (state.error?.message ?? ''),
          logTail: '',
        },
      }),
    }));
    return {
      deploymentTargetType: 'ECSTarget',
      ecsTarget: {
        deploymentId: d.id,
        targetId: this.targetId(d),
        targetArn: service.arn,
        lastUpdatedAt: new Date(Math.min(this.now(), state.endedAt ?? this.now())),
        lifecycleEvents: events,
        status: this.targetStatus(d),
        taskSetsInfo: this.taskSetsOf(d.group, service).map((set) => ({
          identifer: set.id,
          desiredCount: set.computedDesiredCount,
          pendingCount: set.pendingCount,
          runningCount: set.runningCount,
          status: set.status,
          trafficWeight: set.status === 'PRIMARY' ? 100 : 0,
          taskSetLabel: set.taskDefinition === d.taskDefinition && d.creator === 'user' ? 'Green' : 'Blue',
        })),
      },
    };
  }

  /** DescribeServices' taskSets: the PRIMARY set serves traffic; a replacement is ACTIVE until it does. */
  taskSetsOf(g: GroupRecord, service: LinkedService): Json[] {
    const serving = this.store.serving(g, service);
    const deployments = this.store.ofGroup(g);
    const idOf = (td: string): string =>
      deployments.find((d) => d.creator === 'user' && d.taskDefinition === td)?.taskSetId ??
      'ecs-svc/1000000000000000001';
    const live = deployments.find((d) => stateAt(d, this.now()).endedAt === undefined);
    const set = (td: string, status: string, running: boolean): Json => ({
      id: idOf(td),
      taskSetArn: `${service.arn.replace(':service/', ':task-set/')}/${idOf(td)}`,
      serviceArn: service.arn,
      clusterArn: service.clusterArn,
      status,
      taskDefinition: td,
      computedDesiredCount: service.desiredCount,
      pendingCount: running ? 0 : service.desiredCount,
      runningCount: running ? service.desiredCount : 0,
      launchType: service.launchType,
      loadBalancers: service.loadBalancers,
      scale: { value: 100, unit: 'PERCENT' },
      stabilityStatus: running ? 'STEADY_STATE' : 'STABILIZING',
    });
    if (live === undefined) return [set(serving, 'PRIMARY', true)];
    const progress = stateAt(live, this.now()).progress;
    const installed = progress.events.find((e) => e.name === 'Install')?.status === 'Succeeded';
    if (live.creator === 'codeDeployRollback')
      return [set(serving, 'PRIMARY', true), set(live.previousTaskDefinition, 'ACTIVE', true)];
    if (progress.events[1]?.status === 'Pending') return [set(serving, 'PRIMARY', true)];
    const green = set(live.taskDefinition, progress.trafficShifted ? 'PRIMARY' : 'ACTIVE', installed);
    return [green, set(live.previousTaskDefinition, progress.trafficShifted ? 'ACTIVE' : 'PRIMARY', true)];
  }

  groupInfo(g: GroupRecord): Json {
    const last = this.store.ofGroup(g).at(-1);
    return {
      applicationName: g.application,
      deploymentGroupId: g.id,
      deploymentGroupName: g.name,
      deploymentConfigName: g.deploymentConfigName,
      alarmConfiguration: {
        enabled: g.alarms.length > 0,
        ignorePollAlarmFailure: false,
        alarms: g.alarms.map((name) => ({ name })),
      },
      autoRollbackConfiguration: g.autoRollback,
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      blueGreenDeploymentConfiguration: this.blueGreen(g),
      ...(last !== undefined && {
        lastAttemptedDeployment: { deploymentId: last.id, status: stateAt(last, this.now()).status },
      }),
      computePlatform: 'ECS',
      ecsServices: [{ serviceName: g.service, clusterName: g.cluster }],
    };
  }
}
