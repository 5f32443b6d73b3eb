import { ServiceError } from '../errors';
import { defineService, type Operation, type ServiceContext, type ServiceInstance } from '../service';
import { CodeDeployBook } from './codedeploy-book';
import { blueGreenLink } from './codedeploy-link';
import { stateAt, type DeploymentRecord } from './codedeploy-state';
import { CODEDEPLOY_SCENARIOS, type CodeDeployScenario } from './codedeploy-timing';
import { CodeDeployViews } from './codedeploy-views';

type Json = Record<string, unknown>;

const TARGET = 'CodeDeploy_20141006';

function createCodeDeploy(context: ServiceContext<CodeDeployScenario>): ServiceInstance {
  const now = (): number => context.clock.now();
  const link = blueGreenLink(context.clock);
  const book = new CodeDeployBook(context, link);
  const views = new CodeDeployViews(book, now);
  link.codedeploy = {
    taskSets: (cluster, name) => views.taskSets(cluster, name),
    settle: () => book.store.settle(),
  };
  return {
    operations: operations(book, views, now),
    /**
     * `{ service, cluster?, applicationName?, deploymentGroupName?, autoRollback?, alarms?,
     * terminationWaitMinutes?, deploymentConfigName? }`: an application and an ECS deployment group.
     */
    seed: (input) => book.seedGroup(input),
    state: () => stateOf(book, now),
  };
}

function stateOf(book: CodeDeployBook, now: () => number): Json {
  return {
    deployments: [...book.store.deployments.values()].map((d) => describe(d, now())),
  };
}

function describe(d: DeploymentRecord, at: number): Json {
  return {
    deploymentId: d.id,
    applicationName: d.group.application,
    deploymentGroupName: d.group.name,
    creator: d.creator,
    scenario: d.scenarioName,
    status: stateAt(d, at).status,
    ...(stateAt(d, at).endedAt !== undefined && { endedAtMs: stateAt(d, at).endedAt }),
    taskDefinition: d.taskDefinition,
    ...(d.stopAt !== undefined && { stoppedByRequest: true, stopWithRollback: d.stopWithRollback }),
    ...(d.rollbackDeploymentId !== undefined && { rollbackDeploymentId: d.rollbackDeploymentId }),
    ...(d.rollbackTriggeringDeploymentId !== undefined && {
      rollbackTriggeringDeploymentId: d.rollbackTriggeringDeploymentId,
    }),
  };
}

function stopDeployment(d: DeploymentRecord, input: Json, at: number): Json {
  if (stateAt(d, at).endedAt !== undefined)
    throw new ServiceError(
      'DeploymentAlreadyCompletedException',
      `The deployment ${d.id} has already completed.`,
    );
  d.stopAt = at;
  // StopDeployment's autoRollbackEnabled; unset, the group's DEPLOYMENT_STOP_ON_REQUEST decides.
  const rollback = d.group.autoRollback;
  d.stopWithRollback =
    typeof input.autoRollbackEnabled === 'boolean'
      ? input.autoRollbackEnabled
      : rollback.enabled && rollback.events.includes('DEPLOYMENT_STOP_ON_REQUEST');
  return {
    status: 'Pending',
    statusMessage: 'Stopping Pending. Stopping to schedule commands in the deployment instances',
  };
}

function operations(book: CodeDeployBook, views: CodeDeployViews, now: () => number): Operation[] {
  const op = (name: string, handle: Operation['handle']): Operation => ({
    name,
    route: { protocol: 'json', target: `${TARGET}.${name}` },
    handle,
  });
  return [
    op('CreateDeployment', ({ input }) => ({ deploymentId: book.createDeployment(input).id })),
    op('GetDeployment', ({ input }) => ({ deploymentInfo: views.info(book.deployment(input.deploymentId)) })),
    op('StopDeployment', ({ input }) => stopDeployment(book.deployment(input.deploymentId), input, now())),
    op('ListDeployments', ({ input }) => {
      const g = book.group(input.applicationName, input.deploymentGroupName);
      const wanted = Array.isArray(input.includeOnlyStatuses)
        ? (input.includeOnlyStatuses as string[])
        : undefined;
      const ids = book.store
        .ofGroup(g)
        .filter((d) => wanted === undefined || wanted.includes(stateAt(d, now()).status))
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((d) => d.id);
      return { deployments: ids };
    }),
    op('ListDeploymentTargets', ({ input }) => ({
      targetIds: [views.targetId(views.started(book.deployment(input.deploymentId)))],
    })),
    op('GetDeploymentTarget', ({ input }) => {
      const d = views.started(book.deployment(input.deploymentId));
      if (input.targetId !== views.targetId(d))
        throw new ServiceError(
          'DeploymentTargetDoesNotExistException',
          `The target ${String(input.targetId)} does not exist.`,
        );
      return { deploymentTarget: views.target(d) };
    }),
    op('BatchGetDeploymentTargets', ({ input }) => {
      const d = views.started(book.deployment(input.deploymentId));
      const ids = Array.isArray(input.targetIds) ? (input.targetIds as string[]) : [];
      return { deploymentTargets: ids.filter((id) => id === views.targetId(d)).map(() => views.target(d)) };
    }),
    op('GetApplication', ({ input }) => {
      const name = book.application(input.applicationName);
      const app = book.applications.get(name);
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
      deploymentGroupInfo: views.groupInfo(book.group(input.applicationName, input.deploymentGroupName)),
    })),
  ];
}

/** AWS CodeDeploy over JSON 1.1: blue/green deployments to ECS services, over virtual time. */
export const codeDeployService = defineService<CodeDeployScenario>({
  service: 'codedeploy',
  signingName: 'codedeploy',
  scenarios: CODEDEPLOY_SCENARIOS,
  defaultScenario: 'healthy',
  create: createCodeDeploy,
});
