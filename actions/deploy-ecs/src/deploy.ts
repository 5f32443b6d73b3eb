import {
  RegisterTaskDefinitionCommand,
  type Service,
  type ServiceVolumeConfiguration,
  type Tag,
} from '@aws-sdk/client-ecs';
import { DeploymentRecorder, InputError, withDeploymentRecord, type DeployEnding } from '@deploy-suite/kit';
import { checkBlueGreenInputs, deployBlueGreen, isBlueGreen } from './blue-green';
import { shortName } from './deployment-view';
import { describeService, describeTaskDefinition, type ServiceRef } from './ecs-reads';
import { ServiceEvents } from './follow';
import { deployNative, isNative } from './native-deployment';
import { planServiceDeployment } from './plan';
import type { Inputs } from './inputs';
import type { Journal } from './journal';
import type { Ports } from './ports';
import { writePreviousRecord } from './previous-record';
import { rollBackTo } from './rollback-to';
import { runTaskOnce } from './run-task';
import { unknownOverrideContainers, type RunTaskOptions } from './run-task-options';
import { currentDeployment, failDeployment, startDeployment, watchDeployment } from './service-deployment';
import { TASK_VOLUME_NAME_INPUT, VOLUME_NAME_INPUT, volumeMismatch } from './ebs-volumes';
import {
  imageChanges,
  renderTaskDefinition,
  sameTaskDefinition,
  type RenderedTaskDefinition,
} from './task-definition';

/**
 * The whole run: render and register the task definition (or find it unchanged), run it once when
 * asked, then deploy it to the service, follow that deployment to its end and roll back on failure.
 * Throws DeployFailed (with the status) when the step fails; the journal holds what happened either
 * way. A run that updates a service is recorded as a GitHub deployment when github-token is given.
 */
export async function deployToEcs(inputs: Readonly<Inputs>, ports: Ports, journal: Journal): Promise<void> {
  const recorder = new DeploymentRecorder(inputs.github, ports.github, ports.log);
  await withDeploymentRecord(recorder, async (): Promise<DeployEnding> => {
    await (inputs.rollbackTo === undefined
      ? deployRevision(inputs, ports, journal, recorder)
      : rollBackTo(inputs, inputs.rollbackTo, ports, journal, recorder));
    return journal.status === 'succeeded'
      ? { kind: 'succeeded', environmentUrl: inputs.environmentUrl }
      : { kind: 'unfollowed' };
  });
}

async function deployRevision(
  inputs: Readonly<Inputs>,
  ports: Ports,
  journal: Journal,
  recorder: DeploymentRecorder,
): Promise<void> {
  // A file is checked in full before the first call to AWS.
  const fromFile = inputs.taskDefinition && render(inputs, inputs.taskDefinition.document);
  const ref = inputs.service === undefined ? undefined : { cluster: inputs.cluster, service: inputs.service };
  const service = ref && (await describeService(ports, ref));
  if (service !== undefined && isBlueGreen(service)) checkBlueGreenInputs(inputs, service);
  const current = service && (await describeTaskDefinition(ports, service.taskDefinition ?? ''));
  const rendered = fromFile ?? render(inputs, current?.taskDefinition ?? {}, current?.tags, 'service');
  if (inputs.runTask !== undefined) checkOverrideContainers(inputs.runTask, rendered);
  const taskVolume = inputs.runTask?.volume;
  if (taskVolume !== undefined) {
    const why = volumeMismatch(rendered.input, taskVolume.name ?? '');
    if (why !== undefined) throw new InputError(TASK_VOLUME_NAME_INPUT, why);
  }
  if (inputs.serviceVolume !== undefined && service !== undefined) {
    checkServiceVolume(inputs.serviceVolume, rendered, service);
  }
  if (rendered.ignored.length > 0)
    ports.log.info(`Left out read-only fields: ${rendered.ignored.join(', ')}`);
  if (rendered.reservedTags.length > 0)
    ports.log.info(`Left out tags AWS reserves (aws: prefix): ${rendered.reservedTags.join(', ')}`);

  const unchanged = current !== undefined && sameTaskDefinition(rendered.input, current.taskDefinition);
  journal.previousTaskDefinitionArn = service?.taskDefinition;
  journal.images = imageChanges(current?.taskDefinition, rendered.input);
  if (ref !== undefined) {
    await recorder.start({
      description: `${inputs.image ?? rendered.input.family ?? 'task definition'} to ${ref.cluster}/${ref.service}`,
      payload: { cluster: ref.cluster, service: ref.service, ...(inputs.image && { image: inputs.image }) },
    });
  }
  const arn = unchanged
    ? (current.taskDefinition.taskDefinitionArn ?? '')
    : await register(ports, journal, rendered);
  journal.taskDefinitionArn = arn;
  if (unchanged) {
    ports.log.info(
      `The rendered task definition equals ${shortName(arn)}, which the service runs: nothing new registered`,
    );
    journal.note(`task definition unchanged: ${shortName(arn)} (nothing registered)`);
  }

  if (inputs.runTask !== undefined) {
    const runTask = inputs.runTask;
    await ports.log.group(`Run ${shortName(arn)} once`, () =>
      runTaskOnce(
        ports,
        journal,
        inputs.cluster,
        arn,
        essentialContainers(rendered),
        runTask,
        inputs.timeoutMs,
        inputs.enableEcsManagedTags,
      ),
    );
  }
  if (ref === undefined || service === undefined) {
    journal.finish('succeeded', `Registered ${shortName(arn)}; no service to update`);
    return;
  }
  await deployToService(inputs, ports, journal, ref, service, arn, !unchanged);
}

async function deployToService(
  inputs: Readonly<Inputs>,
  ports: Ports,
  journal: Journal,
  ref: ServiceRef,
  service: Service,
  arn: string,
  registered: boolean,
): Promise<void> {
  if (isBlueGreen(service)) {
    await deployBlueGreen(inputs, ports, journal, ref, service, arn, { registered, recordPrevious: true });
    return;
  }
  if (isNative(service)) {
    await deployNative(inputs, ports, journal, ref, service, arn, registered);
    return;
  }
  const plan = planServiceDeployment(inputs, service, registered);
  const events = new ServiceEvents(ports, journal, service);
  if (plan.update === undefined)
    ports.log.info(`Nothing to deploy: ${ref.service} already runs ${shortName(arn)}`);
  const tracked = plan.update
    ? await startDeployment(ports, ref, service, arn, plan.update)
    : currentDeployment(service);
  journal.deploymentId = tracked.id;
  journal.note(
    plan.update
      ? `deployment ${tracked.id} started`
      : `nothing to deploy; deployment ${tracked.id} is current`,
  );
  if (!plan.follow) {
    journal.finish(
      'started',
      `Deployment ${tracked.id} of ${shortName(arn)} started (not followed: wait is false)`,
    );
    return;
  }
  const watch = { ports, journal, ref, events, timeoutMs: inputs.timeoutMs };
  const outcome = await ports.log.group(`Follow deployment ${tracked.id}`, () =>
    watchDeployment(watch, tracked),
  );
  if (outcome.ok) {
    const known = plan.recordPrevious;
    if (known !== undefined && service.serviceArn !== undefined) {
      if (await writePreviousRecord(ports, service.serviceArn, known)) {
        journal.note(`recorded ${shortName(known)} as the previous task definition`);
      }
    }
    journal.finish('succeeded', outcome.message);
    return;
  }
  await failDeployment(
    watch,
    outcome,
    plan.rollBackTo === undefined
      ? undefined
      : { previous: plan.rollBackTo, target: arn, volumeConfigurations: plan.rollBackVolumes },
  );
}

function render(
  inputs: Readonly<Inputs>,
  template: object,
  tags?: readonly Tag[],
  source?: string,
): RenderedTaskDefinition {
  const changes = {
    containerNames: inputs.containerNames,
    image: inputs.image,
    images: inputs.images,
    environment: inputs.environment,
    secrets: inputs.secrets,
    overrides: inputs.overrides,
  };
  return renderTaskDefinition(template as Record<string, unknown>, changes, tags, source);
}

async function register(ports: Ports, journal: Journal, rendered: RenderedTaskDefinition): Promise<string> {
  const answer = await ports.ecs.send(new RegisterTaskDefinitionCommand(rendered.input));
  const arn = answer.taskDefinition?.taskDefinitionArn;
  if (arn === undefined) throw new Error('RegisterTaskDefinition answered without an ARN');
  ports.log.info(`Registered ${arn}`);
  journal.note(`registered ${shortName(arn)}`);
  return arn;
}

/** Overrides for a container the revision does not have are refused before anything runs. */
function checkOverrideContainers(options: RunTaskOptions, rendered: RenderedTaskDefinition): void {
  const names = (rendered.input.containerDefinitions ?? []).map((c) => c.name ?? '');
  const unknown = unknownOverrideContainers(options, names);
  if (unknown.length > 0) {
    throw new InputError(
      'run-task-container-overrides',
      `names ${unknown.map((n) => `'${n}'`).join(', ')}, not in the task definition; its containers are: ${names.join(', ')}`,
    );
  }
}

/**
 * The volume must be the rendered task definition's volume configured at launch, and the service
 * one this action updates with UpdateService: a CODE_DEPLOY service is deployed through CodeDeploy,
 * whose AppSpec carries no volume configuration.
 */
function checkServiceVolume(
  volume: ServiceVolumeConfiguration,
  rendered: RenderedTaskDefinition,
  service: Service,
): void {
  if (isBlueGreen(service)) {
    throw new InputError(
      VOLUME_NAME_INPUT,
      `cannot be applied to ${service.serviceName ?? 'the service'}: its deployment controller is CODE_DEPLOY, deployed through CodeDeploy, whose AppSpec takes no volume configuration`,
    );
  }
  const why = volumeMismatch(rendered.input, volume.name ?? '');
  if (why !== undefined) throw new InputError(VOLUME_NAME_INPUT, why);
}

function essentialContainers(rendered: RenderedTaskDefinition): Set<string> {
  const containers = rendered.input.containerDefinitions ?? [];
  return new Set(containers.filter((c) => c.essential !== false).map((c) => c.name ?? ''));
}
