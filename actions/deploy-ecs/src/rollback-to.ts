import type { Service } from '@aws-sdk/client-ecs';
import { DeployFailed, type DeploymentRecorder } from '@deploy-suite/kit';
import { checkBlueGreenInputs, deployBlueGreen, isBlueGreen } from './blue-green';
import { shortName } from './deployment-view';
import { describeService, describeTaskDefinition } from './ecs-reads';
import { ServiceEvents } from './follow';
import type { Inputs, RollbackTarget } from './inputs';
import type { Journal } from './journal';
import { planRollback, primaryDeployment } from './plan';
import type { Ports } from './ports';
import { PREVIOUS_TAG, readPreviousRecord } from './previous-record';
import { failDeployment, startDeployment, watchDeployment } from './service-deployment';
import { imageChanges } from './task-definition';

/**
 * Redeploys one existing revision as it is (for workflow_dispatch rollbacks): the recorded previous
 * one, or the one named. Nothing is rendered or registered, and a failure is not rolled back again.
 */
export async function rollBackTo(
  inputs: Readonly<Inputs>,
  target: RollbackTarget,
  ports: Ports,
  journal: Journal,
  recorder: DeploymentRecorder,
): Promise<void> {
  const ref = { cluster: inputs.cluster, service: inputs.service ?? '' };
  const service = await describeService(ports, ref);
  const reference =
    target.kind === 'previous'
      ? await recordedPrevious(ports, service.serviceArn ?? '', ref.service)
      : target.ref;
  const wanted = await describeTaskDefinition(ports, reference).catch((err: unknown) => {
    if (err instanceof DeployFailed || (err as Error).name === 'ClientException') {
      throw new DeployFailed(
        `rollback-to names ${reference}, which ECS cannot describe: ${(err as Error).message}`,
      );
    }
    throw err;
  });
  const arn = wanted.taskDefinition.taskDefinitionArn ?? reference;
  const current =
    service.taskDefinition === undefined
      ? undefined
      : await describeTaskDefinition(ports, service.taskDefinition);
  journal.previousTaskDefinitionArn = service.taskDefinition;
  journal.taskDefinitionArn = arn;
  journal.images = imageChanges(current?.taskDefinition, wanted.taskDefinition);
  journal.note(`rolling back to ${shortName(arn)}`);

  if (isBlueGreen(service)) {
    await rollBackBlueGreen(inputs, ports, journal, recorder, service, arn);
    return;
  }
  const plan = planRollback(inputs, service, arn);
  if (plan.update === undefined) {
    journal.deploymentId = primaryDeployment(service)?.id;
    journal.finish('succeeded', `${ref.service} already runs ${shortName(arn)}: nothing to roll back`);
    return;
  }
  await recorder.start({
    description: `Roll back ${ref.cluster}/${ref.service} to ${shortName(arn)}`,
    task: 'deploy:rollback',
    rollback: true,
    payload: { cluster: ref.cluster, service: ref.service, 'task-definition': arn },
  });
  const events = new ServiceEvents(ports, journal, service);
  const tracked = await startDeployment(ports, ref, service, arn, plan.update);
  journal.deploymentId = tracked.id;
  if (!plan.follow) {
    journal.finish(
      'started',
      `Rollback deployment ${tracked.id} of ${shortName(arn)} started (not followed: wait is false)`,
    );
    return;
  }
  const watch = { ports, journal, ref, events, timeoutMs: inputs.timeoutMs };
  const outcome = await ports.log.group(`Follow rollback ${tracked.id}`, () =>
    watchDeployment(watch, tracked),
  );
  if (outcome.ok) {
    journal.finish('succeeded', `Rolled ${ref.service} back to ${shortName(arn)}: ${outcome.message}`);
    return;
  }
  await failDeployment(watch, outcome, undefined);
}

/**
 * A CODE_DEPLOY service returns to a revision through a CodeDeploy deployment of it; a failure of
 * that deployment is not rolled back again (rollback-on-failure does not apply).
 */
async function rollBackBlueGreen(
  inputs: Readonly<Inputs>,
  ports: Ports,
  journal: Journal,
  recorder: DeploymentRecorder,
  service: Service,
  arn: string,
): Promise<void> {
  const ref = { cluster: inputs.cluster, service: inputs.service ?? '' };
  if (service.taskDefinition === arn && !inputs.forceNewDeployment) {
    journal.finish('succeeded', `${ref.service} already runs ${shortName(arn)}: nothing to roll back`);
    return;
  }
  // Another revision than the one serving: deployed even though this run registered nothing.
  checkBlueGreenInputs(inputs, service);
  await recorder.start({
    description: `Roll back ${ref.cluster}/${ref.service} to ${shortName(arn)}`,
    task: 'deploy:rollback',
    rollback: true,
    payload: { cluster: ref.cluster, service: ref.service, 'task-definition': arn },
  });
  await deployBlueGreen({ ...inputs, rollbackOnFailure: false }, ports, journal, ref, service, arn, {
    registered: true,
    recordPrevious: false,
  });
}

async function recordedPrevious(ports: Ports, serviceArn: string, service: string): Promise<string> {
  const recorded = await readPreviousRecord(ports, serviceArn);
  if (recorded === undefined) {
    throw new DeployFailed(
      `No previous task definition is recorded on service ${service} (tag ${PREVIOUS_TAG}, written after each successful deployment); ` +
        'name the revision instead: rollback-to: family:revision',
    );
  }
  return recorded;
}
