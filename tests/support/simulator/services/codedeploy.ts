import { parse } from 'yaml';
import { ServiceError } from '../errors';
import { defineService, type Operation, type ServiceContext, type ServiceInstance } from '../service';
import { blueGreenLink, type LinkedService } from './codedeploy-link';
import {
  appSpecTaskDefinition,
  DeploymentStore,
  sha256,
  stateAt,
  type DeploymentRecord,
  type GroupRecord,
} from './codedeploy-state';
import {
  CODEDEPLOY_SCENARIOS,
  rollbackScenario,
  scheduleOf,
  type CodeDeployScenario,
} from './codedeploy-timing';

type Json = Record<string, unknown>;

const TARGET = 'CodeDeploy_20141006';
const DEFAULT_CONFIG = 'CodeDeployDefault.ECSAllAtOnce';
/** CreateDeployment's description: "The maximum length is 512 characters" would be DescriptionTooLongException. */
const MAX_DESCRIPTION = 512;

function createCodeDeploy(context: ServiceContext<CodeDeployScenario>): ServiceInstance {
  const now = (): number => context.clock.now();
  const link = blueGreenLink(context.clock);
  const groups = new Map<string, GroupRecord>();
  const applications = new Map<string, { id: string; createdAt: number }>();
  const store = new DeploymentStore(now);

  function ecsService(group: GroupRecord): LinkedService {
    const service = link.ecs?.service(group.cluster, group.service);
    if (service === undefined) {
      throw new ServiceError('InvalidECSServiceException', `The ECS service ${group.service} was not found.`);
    }
    return service;
  }

  function application(name: unknown): string {
    if (typeof name !== 'string' || name === '')
      throw new ServiceError(
        'ApplicationNameRequiredException',
        'The minimum number of required application names was not specified.',
      );
    if (!applications.has(name))
      throw new ServiceError('ApplicationDoesNotExistException', `No application found for name: ${name}`);
    return name;
  }

  function group(app: unknown, name: unknown): GroupRecord {
    const found = groups.get(`${application(app)}/${String(name)}`);
    if (typeof name !== 'string' || name === '')
      throw new ServiceError(
        'DeploymentGroupNameRequiredException',
        'The deployment group name was not specified.',
      );
    if (found === undefined)
      throw new ServiceError(
        'DeploymentGroupDoesNotExistException',
        `No Deployment Group found for name: ${name}`,
      );
    return found;
  }

  function deployment(id: unknown): DeploymentRecord {
    if (typeof id !== 'string' || id === '')
      throw new ServiceError(
        'DeploymentIdRequiredException',
        'At least one deployment ID must be specified.',
      );
    store.settle();
    const found = store.deployments.get(id);
    if (found === undefined)
      throw new ServiceError('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`);
    return found;
  }

  function createDeployment(input: Json): DeploymentRecord {
    const g = group(input.applicationName, input.deploymentGroupName);
    const revision = input.revision as {
      revisionType?: string;
      appSpecContent?: { content?: string; sha256?: string };
    };
    const content = revision?.appSpecContent?.content;
    if (revision?.revisionType !== 'AppSpecContent' || typeof content !== 'string')
      throw new ServiceError('RevisionRequiredException', 'The revision ID was not specified.');
    if (revision.appSpecContent?.sha256 !== undefined && revision.appSpecContent.sha256 !== sha256(content))
      throw new ServiceError(
        'InvalidRevisionException',
        'The AppSpec content does not match its SHA-256 hash.',
      );
    const description = typeof input.description === 'string' ? input.description : undefined;
    if (description !== undefined && description.length > MAX_DESCRIPTION)
      throw new ServiceError('DescriptionTooLongException', 'The description is too long.');
    const taskDefinition = appSpecTaskDefinition(content);
    if (link.ecs?.hasTaskDefinition(taskDefinition) === false)
      throw new ServiceError(
        'InvalidRevisionException',
        `The task definition ${taskDefinition} does not exist.`,
      );
    // One deployment per group at a time; the message names the one in progress.
    const active = store.active(g);
    if (active !== undefined) {
      throw new ServiceError(
        'DeploymentLimitExceededException',
        `The Deployment Group '${g.name}' already has an active Deployment '${active.id}'`,
      );
    }
    const scenario = context.scenarioFor(g.name);
    const at = now();
    const record: DeploymentRecord = {
      id: store.nextId('d-'),
      group: g,
      createdAt: at,
      scenarioName: scenario.name,
      schedule: scheduleOf(scenario.definition, at + 1_000, g.terminationWaitMinutes * 60),
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content, sha256: sha256(content) } },
      taskDefinition,
      previousTaskDefinition: store.serving(g, ecsService(g)),
      deploymentConfigName:
        typeof input.deploymentConfigName === 'string' ? input.deploymentConfigName : g.deploymentConfigName,
      ...(description !== undefined && { description }),
      creator: 'user',
      rollbackScenario: rollbackScenario(scenario.definition),
      taskSetId: `ecs-svc/${store.nextId('').replace(/^0+/, '').padStart(19, '7')}`,
    };
    store.deployments.set(record.id, record);
    return record;
  }

  const views = deploymentViews(store, now, groups, ecsService);

  const op = (name: string, handle: Operation['handle']): Operation => ({
    name,
    route: { protocol: 'json', target: `${TARGET}.${name}` },
    handle,
  });

  const operations: Operation[] = [
    op('CreateDeployment', ({ input }) => ({ deploymentId: createDeployment(input).id })),
    op('GetDeployment', ({ input }) => ({ deploymentInfo: views.info(deployment(input.deploymentId)) })),
    op('StopDeployment', ({ input }) => {
      const d = deployment(input.deploymentId);
      if (stateAt(d, now()).endedAt !== undefined)
        throw new ServiceError(
          'DeploymentAlreadyCompletedException',
          `The deployment ${d.id} has already completed.`,
        );
      d.stopAt = now();
      // StopDeployment's autoRollbackEnabled; unset, the group's DEPLOYMENT_STOP_ON_REQUEST decides.
      d.stopWithRollback =
        typeof input.autoRollbackEnabled === 'boolean'
          ? input.autoRollbackEnabled
          : d.group.autoRollback.enabled &&
            d.group.autoRollback.events.includes('DEPLOYMENT_STOP_ON_REQUEST');
      return {
        status: 'Pending',
        statusMessage: 'Stopping Pending. Stopping to schedule commands in the deployment instances',
      };
    }),
    op('ListDeployments', ({ input }) => {
      const g = group(input.applicationName, input.deploymentGroupName);
      const wanted = Array.isArray(input.includeOnlyStatuses)
        ? (input.includeOnlyStatuses as string[])
        : undefined;
      const ids = store
        .ofGroup(g)
        .filter((d) => wanted === undefined || wanted.includes(stateAt(d, now()).status))
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((d) => d.id);
      return { deployments: ids };
    }),
    op('ListDeploymentTargets', ({ input }) => ({
      targetIds: [views.targetId(views.started(deployment(input.deploymentId)))],
    })),
    op('GetDeploymentTarget', ({ input }) => {
      const d = views.started(deployment(input.deploymentId));
      if (input.targetId !== views.targetId(d))
        throw new ServiceError(
          'DeploymentTargetDoesNotExistException',
          `The target ${String(input.targetId)} does not exist.`,
        );
      return { deploymentTarget: views.target(d) };
    }),
    op('BatchGetDeploymentTargets', ({ input }) => {
      const d = views.started(deployment(input.deploymentId));
      const ids = Array.isArray(input.targetIds) ? (input.targetIds as string[]) : [];
      return { deploymentTargets: ids.filter((id) => id === views.targetId(d)).map(() => views.target(d)) };
    }),
    op('GetApplication', ({ input }) => {
      const name = application(input.applicationName);
      const app = applications.get(name);
      return {
        application: {
          applicationId: app?.id,
          applicationName: name,
          createTime: new Date(app?.createdAt ?? 0),
          linkedToGitHub: false,
          computePlatform: 'ECS',
        },
      };
    }),
    op('GetDeploymentGroup', ({ input }) => ({
      deploymentGroupInfo: views.group(group(input.applicationName, input.deploymentGroupName)),
    })),
  ];

  link.codedeploy = { taskSets: (cluster, name) => views.taskSets(cluster, name) };

  return {
    operations,
    /**
     * `{ cluster?, service, applicationName?, deploymentGroupName?, autoRollback?, alarms?,
     * terminationWaitMinutes?, deploymentConfigName? }`: an application and an ECS deployment group
     * (names default as the ECS console's: AppECS-<cluster>-<service>, DgpECS-<cluster>-<service>).
     */
    seed: (input) => {
      const cluster = typeof input.cluster === 'string' ? input.cluster : 'default';
      const service = String(input.service ?? '');
      const app =
        typeof input.applicationName === 'string' ? input.applicationName : `AppECS-${cluster}-${service}`;
      const name =
        typeof input.deploymentGroupName === 'string'
          ? input.deploymentGroupName
          : `DgpECS-${cluster}-${service}`;
      if (!applications.has(app)) applications.set(app, { id: crypto.randomUUID(), createdAt: now() });
      const alarms = Array.isArray(input.alarms) ? input.alarms.map(String) : [];
      const record: GroupRecord = {
        application: app,
        name,
        id: crypto.randomUUID(),
        cluster,
        service,
        deploymentConfigName:
          typeof input.deploymentConfigName === 'string' ? input.deploymentConfigName : DEFAULT_CONFIG,
        autoRollback: {
          enabled: input.autoRollback !== false,
          events: ['DEPLOYMENT_FAILURE', ...(alarms.length > 0 ? ['DEPLOYMENT_STOP_ON_ALARM'] : [])],
        },
        alarms,
        terminationWaitMinutes:
          typeof input.terminationWaitMinutes === 'number' ? input.terminationWaitMinutes : 1,
      };
      groups.set(`${app}/${name}`, record);
      return { applicationName: app, deploymentGroupName: name };
    },
    state: () => ({
      deployments: [...store.deployments.values()].map((d) => {
        const state = stateAt(d, now());
        return {
          deploymentId: d.id,
          applicationName: d.group.application,
          deploymentGroupName: d.group.name,
          creator: d.creator,
          scenario: d.scenarioName,
          status: state.status,
          taskDefinition: d.taskDefinition,
          ...(d.stopAt !== undefined && { stoppedByRequest: true, stopWithRollback: d.stopWithRollback }),
          ...(d.rollbackDeploymentId !== undefined && { rollbackDeploymentId: d.rollbackDeploymentId }),
          ...(d.rollbackTriggeringDeploymentId !== undefined && {
            rollbackTriggeringDeploymentId: d.rollbackTriggeringDeploymentId,
          }),
        };
      }),
    }),
  };
}

/** The API's views of deployments, targets, groups and the service's task sets. */
function deploymentViews(
  store: DeploymentStore,
  now: () => number,
  groups: ReadonlyMap<string, GroupRecord>,
  ecsService: (group: GroupRecord) => LinkedService,
) {
  const targetId = (d: DeploymentRecord): string => `${d.group.cluster}:${d.group.service}`;

  function started(d: DeploymentRecord): DeploymentRecord {
    // ListDeploymentTargets and GetDeploymentTarget: DeploymentNotStartedException before it starts.
    if (stateAt(d, now()).status === 'Created')
      throw new ServiceError('DeploymentNotStartedException', 'The specified deployment has not started.');
    return d;
  }

  function targetStatus(d: DeploymentRecord): string {
    const { status } = stateAt(d, now());
    return status === 'Succeeded'
      ? 'Succeeded'
      : status === 'Failed' || status === 'Stopped'
        ? 'Failed'
        : status === 'Created'
          ? 'Pending'
          : 'InProgress';
  }

  function hookName(d: DeploymentRecord, event: string): string {
    const content = (d.revision.appSpecContent as { content: string }).content;
    const hooks = (parse(content) as { Hooks?: unknown } | null)?.Hooks;
    const entry = Array.isArray(hooks) ? (hooks as Json[]).find((h) => event in h) : undefined;
    return entry === undefined ? '' : String(entry[event]);
  }

  function info(d: DeploymentRecord): Json {
    const state = stateAt(d, now());
    const target = targetStatus(d);
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
      blueGreenDeploymentConfiguration: blueGreen(d.group),
      computePlatform: 'ECS',
    };
  }

  function blueGreen(g: GroupRecord): Json {
    return {
      terminateBlueInstancesOnDeploymentSuccess: {
        action: 'TERMINATE',
        terminationWaitTimeInMinutes: g.terminationWaitMinutes,
      },
      deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
    };
  }

  function target(d: DeploymentRecord): Json {
    const state = stateAt(d, now());
    const service = ecsService(d.group);
    const events = state.progress.events.map((e) => ({
      lifecycleEventName: e.name,
      status: e.status,
      ...(e.start !== undefined && { startTime: new Date(e.start) }),
      ...(e.end !== undefined && { endTime: new Date(e.end) }),
      ...(e.failed && {
        diagnostics: {
          errorCode: 'ScriptFailed',
          scriptName: hookName(d, e.name),
          message:
            state.error?.code === 'HOOK_EXECUTION_FAILURE'
              ? `The ${e.name} hook function ${hookName(d, e.name)} reported the lifecycle event as Failed.`
              : (state.error?.message ?? ''),
          logTail: '',
        },
      }),
    }));
    return {
      deploymentTargetType: 'ECSTarget',
      ecsTarget: {
        deploymentId: d.id,
        targetId: targetId(d),
        targetArn: service.arn,
        lastUpdatedAt: new Date(Math.min(now(), state.endedAt ?? now())),
        lifecycleEvents: events,
        status: targetStatus(d),
        taskSetsInfo: taskSetsOf(d.group, service).map((set) => ({
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
  function taskSetsOf(g: GroupRecord, service: LinkedService): Json[] {
    const serving = store.serving(g, service);
    const deployments = store.ofGroup(g);
    const idOf = (td: string): string =>
      deployments.find((d) => d.creator === 'user' && d.taskDefinition === td)?.taskSetId ??
      'ecs-svc/1000000000000000001';
    const live = deployments.find((d) => stateAt(d, now()).endedAt === undefined);
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
    const progress = stateAt(live, now()).progress;
    const installed = progress.events.find((e) => e.name === 'Install')?.status === 'Succeeded';
    if (live.creator === 'codeDeployRollback')
      return [set(serving, 'PRIMARY', true), set(live.previousTaskDefinition, 'ACTIVE', true)];
    if (progress.events[1]?.status === 'Pending') return [set(serving, 'PRIMARY', true)];
    const green = set(live.taskDefinition, progress.trafficShifted ? 'PRIMARY' : 'ACTIVE', installed);
    return [green, set(live.previousTaskDefinition, progress.trafficShifted ? 'ACTIVE' : 'PRIMARY', true)];
  }

  function groupInfo(g: GroupRecord): Json {
    const last = store.ofGroup(g).at(-1);
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
      blueGreenDeploymentConfiguration: blueGreen(g),
      ...(last !== undefined && {
        lastAttemptedDeployment: { deploymentId: last.id, status: stateAt(last, now()).status },
      }),
      computePlatform: 'ECS',
      ecsServices: [{ serviceName: g.service, clusterName: g.cluster }],
    };
  }

  return {
    info,
    target,
    targetId,
    started,
    group: groupInfo,
    taskSets(cluster: string, name: string): Json[] | undefined {
      const g = [...groups.values()].find((x) => x.cluster === cluster && x.service === name);
      return g === undefined ? undefined : taskSetsOf(g, ecsService(g));
    },
  };
}

/** AWS CodeDeploy over JSON 1.1: blue/green deployments to ECS services, over virtual time. */
export const codeDeployService = defineService<CodeDeployScenario>({
  service: 'codedeploy',
  signingName: 'codedeploy',
  scenarios: CODEDEPLOY_SCENARIOS,
  defaultScenario: 'healthy',
  create: createCodeDeploy,
});
