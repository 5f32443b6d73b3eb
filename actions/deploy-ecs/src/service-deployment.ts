import {
  UpdateServiceCommand,
  type PropagateTags,
  type Service,
  type ServiceVolumeConfiguration,
} from '@aws-sdk/client-ecs';
import { DeployFailed } from '@deploy-suite/kit';
import { shortName, type TrackedDeployment } from './deployment-view';
import type { ServiceRef } from './ecs-reads';
import { followDeployment, type FollowResult, type ServiceEvents } from './follow';
import type { Journal } from './journal';
import { primaryDeployment } from './plan';
import type { Ports } from './ports';
import { reasonLines, stoppedTasksOf } from './stopped-tasks';

export interface StartOptions {
  forceNewDeployment: boolean;
  desiredCount?: number | undefined;
  propagateTags?: PropagateTags | undefined;
  enableEcsManagedTags?: boolean | undefined;
  /** Sent only when given: absent, ECS keeps the service's volume configuration. */
  volumeConfigurations?: ServiceVolumeConfiguration[] | undefined;
}

/**
 * Points the service at a task definition and returns the deployment that started, by its id,
 * from UpdateService's own answer: never "whatever is PRIMARY later".
 */
export async function startDeployment(
  ports: Ports,
  ref: ServiceRef,
  before: Pick<Service, 'taskDefinition' | 'currentServiceDeployment'>,
  taskDefinition: string,
  options: StartOptions,
): Promise<TrackedDeployment> {
  const answer = await ports.ecs.send(
    new UpdateServiceCommand({
      cluster: ref.cluster,
      service: ref.service,
      taskDefinition,
      forceNewDeployment: options.forceNewDeployment,
      ...(options.desiredCount !== undefined && { desiredCount: options.desiredCount }),
      ...(options.propagateTags !== undefined && { propagateTags: options.propagateTags }),
      ...(options.enableEcsManagedTags !== undefined && {
        enableECSManagedTags: options.enableEcsManagedTags,
      }),
      ...(options.volumeConfigurations !== undefined && {
        volumeConfigurations: options.volumeConfigurations,
      }),
    }),
  );
  const after = answer.service;
  const primary = primaryDeployment(after);
  if (primary?.id === undefined)
    throw new Error(`UpdateService of ${ref.service} answered without a PRIMARY deployment`);
  const arn = after?.currentServiceDeployment;
  ports.log.info(`Deployment ${primary.id} of ${shortName(taskDefinition)} started`);
  return {
    id: primary.id,
    taskDefinition,
    previousTaskDefinition: before.taskDefinition,
    ...(arn !== undefined && arn !== before.currentServiceDeployment && { serviceDeploymentArn: arn }),
  };
}

/** The deployment the service runs now, followed as it is when this run changes nothing. */
export function currentDeployment(service: Service): TrackedDeployment {
  const primary = primaryDeployment(service);
  if (primary?.id === undefined || primary.taskDefinition === undefined) {
    throw new Error(`service ${service.serviceName ?? '?'} lists no PRIMARY deployment`);
  }
  return {
    id: primary.id,
    taskDefinition: primary.taskDefinition,
    previousTaskDefinition: undefined,
    ...(service.currentServiceDeployment !== undefined && {
      serviceDeploymentArn: service.currentServiceDeployment,
    }),
  };
}

export interface Watch {
  ports: Ports;
  journal: Journal;
  ref: ServiceRef;
  events: ServiceEvents;
  timeoutMs: number;
}

/** How a followed deployment ended, with the failure already explained. */
export type Conclusion =
  | { ok: true; message: string }
  | {
      ok: false;
      message: string;
      reasons: string[];
      /** ECS returned the service to this revision itself (circuit breaker). */
      rolledBackTo: string | undefined;
      /** Whether a rollback by this run makes sense: not when another deployment took over, nor when ECS is already rolling back. */
      mayRollBack: boolean;
    };

/** Follows the deployment to its end; on failure lists its stopped tasks and the last events. */
export async function watchDeployment(watch: Watch, tracked: TrackedDeployment): Promise<Conclusion> {
  const { ports, journal, ref, events, timeoutMs } = watch;
  const name = shortName(tracked.taskDefinition);
  journal.note(`following deployment ${tracked.id} of ${name}`);
  const result: FollowResult = await followDeployment(ports, ref, tracked, events, timeoutMs);
  if (result.kind === 'settled' && result.view.phase === 'succeeded') {
    return {
      ok: true,
      message: `Deployment ${tracked.id} of ${name} completed: ${ref.service} runs ${name}`,
    };
  }
  const view = result.kind === 'settled' && result.view.phase !== 'succeeded' ? result.view : undefined;
  const stopped = await stoppedTasksOf(ports, ref.cluster, tracked.id);
  journal.stoppedTasks = stopped;
  journal.lastEvents = events.last(5);
  const reasons = [...reasonLines(stopped), ...journal.lastEvents.map((e) => `event: ${e}`)];
  if (result.kind === 'deadline' || view === undefined) {
    return {
      ok: false,
      message:
        result.kind === 'deadline' ? result.error.message : `Deployment ${tracked.id} of ${name} failed`,
      reasons,
      rolledBackTo: undefined,
      mayRollBack: result.kind === 'deadline' && result.during === 'deployment',
    };
  }
  if (view.phase === 'superseded') {
    // Another run (or a person) deployed after this one: its deployment is the service's now, and
    // rolling back would undo theirs.
    return {
      ok: false,
      message: `Deployment ${tracked.id} of ${name} was superseded: ${view.reason}; not rolling back`,
      reasons,
      rolledBackTo: undefined,
      mayRollBack: false,
    };
  }
  const message = `Deployment ${tracked.id} of ${name} failed: ${view.reason.replace(/\.$/, '')}`;
  if (view.phase === 'rolled-back') {
    const back = view.rollbackTaskDefinition;
    return {
      ok: false,
      message: `${message}; ECS rolled back to ${shortName(back)}`,
      reasons,
      rolledBackTo: back,
      mayRollBack: false,
    };
  }
  return { ok: false, message, reasons, rolledBackTo: undefined, mayRollBack: view.phase === 'failed' };
}

/**
 * The failure of a deployment, after returning the service to `previous` when asked to and when it
 * makes sense. Always throws: the step fails, with status rolled-back once the service runs
 * `previous` again.
 */
export async function failDeployment(
  watch: Watch,
  failure: Extract<Conclusion, { ok: false }>,
  rollback:
    | { previous: string; target: string; volumeConfigurations?: ServiceVolumeConfiguration[] | undefined }
    | undefined,
): Promise<never> {
  const { journal, ports, ref } = watch;
  if (failure.rolledBackTo !== undefined) {
    journal.rolledBackTo = failure.rolledBackTo;
    throw new DeployFailed(failure.message, failure.reasons, 'rolled-back');
  }
  const sameRevision =
    rollback?.previous === rollback?.target && rollback?.volumeConfigurations === undefined;
  if (rollback === undefined || !failure.mayRollBack || sameRevision) {
    throw new DeployFailed(failure.message, failure.reasons, 'failed');
  }
  const name = shortName(rollback.previous);
  ports.log.info(`${failure.message}; rolling back to ${name}`);
  journal.note(`rolling back to ${name}`);
  const tracked = await ports.log.group(`Roll back ${ref.service} to ${name}`, () =>
    startDeployment(ports, ref, { taskDefinition: rollback.target }, rollback.previous, {
      forceNewDeployment: false,
      volumeConfigurations: rollback.volumeConfigurations,
    }),
  );
  const evidence = journal.stoppedTasks;
  const back = await ports.log.group(`Follow rollback ${tracked.id}`, () => watchDeployment(watch, tracked));
  journal.stoppedTasks = back.ok ? evidence : [...evidence, ...journal.stoppedTasks];
  if (back.ok) {
    journal.rolledBackTo = rollback.previous;
    throw new DeployFailed(`${failure.message}; rolled back to ${name}`, failure.reasons, 'rolled-back');
  }
  throw new DeployFailed(
    `${failure.message}; the rollback to ${name} did not complete either: ${back.message}`,
    [...failure.reasons, ...back.reasons],
    'failed',
  );
}
