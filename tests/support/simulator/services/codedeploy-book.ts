import { ServiceError } from '../errors';
import type { ServiceContext } from '../service';
import type { BlueGreenLink, LinkedService } from './codedeploy-link';
import {
  appSpecTaskDefinition,
  DeploymentStore,
  sha256,
  type DeploymentRecord,
  type GroupRecord,
} from './codedeploy-state';
import {
  rollbackScenario,
  scenarioForRevision,
  scheduleOf,
  type CodeDeployScenario,
} from './codedeploy-timing';

type Json = Record<string, unknown>;

const DEFAULT_CONFIG = 'CodeDeployDefault.ECSAllAtOnce';
/** CreateDeployment's description: longer ones are DescriptionTooLongException. */
const MAX_DESCRIPTION = 512;

/** CodeDeploy's applications, deployment groups and deployments, with the lookups the API makes. */
export class CodeDeployBook {
  readonly groups = new Map<string, GroupRecord>();
  readonly applications = new Map<string, { id: string; createdAt: number }>();
  readonly store: DeploymentStore;

  constructor(
    private readonly context: ServiceContext<CodeDeployScenario>,
    private readonly link: BlueGreenLink,
  ) {
    this.store = new DeploymentStore(
      () => context.clock.now(),
      (d, at) => {
        if (d.replacementTaskFailure === undefined) return;
        link.ecs?.stoppedTask(
          d.group.cluster,
          d.group.service,
          d.taskSetId,
          d.taskDefinition,
          at,
          d.replacementTaskFailure,
        );
      },
    );
  }

  ecsService(group: GroupRecord): LinkedService {
    const service = this.link.ecs?.service(group.cluster, group.service);
    if (service === undefined) {
      throw new ServiceError('InvalidECSServiceException', `The ECS service ${group.service} was not found.`);
    }
    return service;
  }

  application(name: unknown): string {
    if (typeof name !== 'string' || name === '')
      throw new ServiceError(
        'ApplicationNameRequiredException',
        'The minimum number of required application names was not specified.',
      );
    if (!this.applications.has(name))
      throw new ServiceError('ApplicationDoesNotExistException', `No application found for name: ${name}`);
    return name;
  }

  group(app: unknown, name: unknown): GroupRecord {
    const found = this.groups.get(`${this.application(app)}/${String(name)}`);
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

  deployment(id: unknown): DeploymentRecord {
    if (typeof id !== 'string' || id === '')
      throw new ServiceError(
        'DeploymentIdRequiredException',
        'At least one deployment ID must be specified.',
      );
    this.store.settle();
    const found = this.store.deployments.get(id);
    if (found === undefined)
      throw new ServiceError('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`);
    return found;
  }

  createDeployment(input: Json): DeploymentRecord {
    const g = this.group(input.applicationName, input.deploymentGroupName);
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
    if (this.link.ecs?.hasTaskDefinition(taskDefinition) === false)
      throw new ServiceError(
        'InvalidRevisionException',
        `The task definition ${taskDefinition} does not exist.`,
      );
    // One deployment per group at a time; the message names the one in progress.
    const active = this.store.active(g);
    if (active !== undefined) {
      throw new ServiceError(
        'DeploymentLimitExceededException',
        `The Deployment Group '${g.name}' already has an active Deployment '${active.id}'`,
      );
    }
    const chosen = this.context.scenarioFor(g.name);
    const scenario = {
      name: chosen.name,
      definition: scenarioForRevision(chosen.definition, taskDefinition, this.ecsService(g).taskDefinition),
    };
    const at = this.context.clock.now();
    const record: DeploymentRecord = {
      id: this.store.nextId('d-'),
      group: g,
      createdAt: at,
      scenarioName: scenario.name,
      schedule: scheduleOf(scenario.definition, at + 1_000, g.terminationWaitMinutes * 60),
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content, sha256: sha256(content) } },
      taskDefinition,
      previousTaskDefinition: this.store.serving(g, this.ecsService(g)),
      deploymentConfigName:
        typeof input.deploymentConfigName === 'string' ? input.deploymentConfigName : g.deploymentConfigName,
      ...(description !== undefined && { description }),
      creator: 'user',
      rollbackScenario: rollbackScenario(scenario.definition),
      ...(scenario.definition.replacementTaskFailure !== undefined && {
        replacementTaskFailure: scenario.definition.replacementTaskFailure,
      }),
      ...(scenario.definition.stopRollsBack === false && { stopRollsBack: false as const }),
      taskSetId: `ecs-svc/${this.store.nextId('').replace(/^0+/, '').padStart(19, '7')}`,
    };
    this.store.deployments.set(record.id, record);
    return record;
  }

  /** Seed: an application and an ECS deployment group, named as the ECS console names them by default. */
  seedGroup(input: Json): Json {
    const cluster = typeof input.cluster === 'string' ? input.cluster : 'default';
    const service = String(input.service ?? '');
    const app =
      typeof input.applicationName === 'string' ? input.applicationName : `AppECS-${cluster}-${service}`;
    const name =
      typeof input.deploymentGroupName === 'string'
        ? input.deploymentGroupName
        : `DgpECS-${cluster}-${service}`;
    if (!this.applications.has(app))
      this.applications.set(app, { id: crypto.randomUUID(), createdAt: this.context.clock.now() });
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
    this.groups.set(`${app}/${name}`, record);
    return { applicationName: app, deploymentGroupName: name };
  }
}
