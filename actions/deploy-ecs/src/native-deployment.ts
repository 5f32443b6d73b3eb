import {
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  type Service,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { DeadlineExceeded, DeployFailed, waitFor } from '@deploy-suite/kit';
import { shortName, type TrackedDeployment } from './deployment-view';
import { describeService, type ServiceRef } from './ecs-reads';
import { ServiceEvents } from './follow';
import type { Inputs } from './inputs';
import type { Journal } from './journal';
import {
  failureCause,
  nativePhase,
  nativeRecovery,
  nativeStrategy,
  nativeWaitMs,
  pickServiceDeployment,
  progressLine,
  type NativePhase,
} from './native-plan';
import { planServiceDeployment, type ServicePlan } from './plan';
import type { Ports } from './ports';
import { writePreviousRecord } from './previous-record';
import { currentDeployment, startDeployment } from './service-deployment';
import { reasonLines, stoppedTasksOf } from './stopped-tasks';

/** Pause between polls: the job ends within this (and one round of calls) of ECS's end. */
export const NATIVE_POLL_MS = 2_000;

/** Whether ECS deploys the service itself blue/green, linearly or by canary. */
export function isNative(service: Service): boolean {
  return nativeStrategy(service) !== undefined;
}

interface NativeRun {
  readonly ports: Ports;
  readonly journal: Journal;
  readonly ref: ServiceRef;
  readonly events: ServiceEvents;
  readonly timeoutMs: number;
  readonly strategy: string;
}

type Ended = Exclude<NativePhase, { phase: 'in-progress' | 'rolling-back' }>;
type FollowEnd =
  | { readonly kind: 'succeeded' }
  | {
      readonly kind: 'ended';
      readonly phase: Exclude<Ended, { phase: 'succeeded' }>;
      readonly last: ServiceDeployment;
    }
  | {
      readonly kind: 'deadline';
      readonly error: DeadlineExceeded;
      readonly last: ServiceDeployment | undefined;
    };

/**
 * A deployment of a BLUE_GREEN, LINEAR or CANARY service: UpdateService starts a service deployment,
 * followed by its ARN with DescribeServiceDeployments to its end, each status and lifecycle stage on
 * the timeline. ECS rolls a failure back itself; this run deploys the previous revision only when
 * ECS's rollback failed or ECS did none (the ServicePlan's rollback rules).
 */
export async function deployNative(
  inputs: Readonly<Inputs>,
  ports: Ports,
  journal: Journal,
  ref: ServiceRef,
  service: Service,
  arn: string,
  registered: boolean,
): Promise<void> {
  const plan = planServiceDeployment(inputs, service, registered);
  const strategy = nativeStrategy(service) ?? 'BLUE_GREEN';
  const events = new ServiceEvents(ports, journal, service);
  if (plan.update === undefined)
    ports.log.info(`Nothing to deploy: ${ref.service} already runs ${shortName(arn)}`);
  const tracked = await start(ports, ref, service, arn, plan);
  journal.deploymentId = tracked.id;
  journal.note(
    `${strategy} service deployment ${tracked.serviceDeploymentArn} of ${shortName(arn)} ${plan.update ? 'started' : 'is current'}`,
  );
  if (!plan.follow) {
    journal.finish(
      'started',
      `${strategy} deployment ${tracked.id} of ${shortName(arn)} started (not followed: wait is false)`,
    );
    return;
  }
  const timeoutMs = inputs.timeoutMs + nativeWaitMs(service.deploymentConfiguration);
  const run: NativeRun = { ports, journal, ref, events, timeoutMs, strategy };
  const end = await ports.log.group(`Follow ${strategy} deployment ${tracked.id}`, () =>
    follow(run, tracked),
  );
  if (end.kind === 'succeeded') {
    await record(run, service, plan);
    journal.finish(
      'succeeded',
      `${strategy} deployment ${tracked.id} of ${shortName(arn)} succeeded: ${ref.service} runs ${shortName(arn)}`,
    );
    return;
  }
  await conclude(run, tracked, end, plan);
}

/** UpdateService, and the service deployment it started: from its answer, else ListServiceDeployments. */
async function start(
  ports: Ports,
  ref: ServiceRef,
  service: Service,
  arn: string,
  plan: ServicePlan,
): Promise<TrackedDeployment & { serviceDeploymentArn: string }> {
  const updatedAt = ports.clock.now();
  const tracked = plan.update
    ? await startDeployment(ports, ref, service, arn, plan.update)
    : currentDeployment(service);
  if (tracked.serviceDeploymentArn !== undefined)
    return { ...tracked, serviceDeploymentArn: tracked.serviceDeploymentArn };
  const listed = await ports.ecs.send(
    new ListServiceDeploymentsCommand({ cluster: ref.cluster, service: ref.service }),
  );
  const before = plan.update ? service.currentServiceDeployment : undefined;
  const found = pickServiceDeployment(listed.serviceDeployments ?? [], updatedAt, before);
  if (found === undefined)
    throw new DeployFailed(
      `ECS names no service deployment for the update of ${ref.service}; nothing to follow`,
    );
  return { ...tracked, serviceDeploymentArn: found };
}

async function describe(run: NativeRun, arn: string): Promise<ServiceDeployment> {
  const answer = await run.ports.ecs.send(
    new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
  );
  const found = answer.serviceDeployments?.[0];
  if (found === undefined) {
    throw new DeployFailed(
      `ECS describes no service deployment ${arn}: ${answer.failures?.[0]?.reason ?? 'MISSING'}`,
    );
  }
  return found;
}

/** Polls the service deployment to its end, printing each change once; ECS's rollback is followed too. */
async function follow(
  run: NativeRun,
  tracked: TrackedDeployment & { serviceDeploymentArn: string },
): Promise<FollowEnd> {
  const { ports, journal, events } = run;
  let last: ServiceDeployment | undefined;
  let printed = '';
  let stage = '';
  try {
    const phase = await waitFor<Ended>({
      what: `${run.strategy} deployment ${tracked.id} to end`,
      timeoutMs: run.timeoutMs,
      intervalMs: NATIVE_POLL_MS,
      clock: ports.clock,
      ...(ports.random !== undefined && { random: ports.random }),
      check: async () => {
        events.print(await describeService(ports, run.ref));
        const sd = await describe(run, tracked.serviceDeploymentArn);
        last = sd;
        const line = progressLine(sd);
        if (line !== printed) ports.log.info(`deployment ${tracked.id}: ${(printed = line)}`);
        const now = `${sd.status ?? ''} ${sd.lifecycleStage ?? ''}`.trim();
        if (now !== stage) journal.note(`stage: ${(stage = now)}`);
        const phase = nativePhase(sd);
        return phase.phase === 'in-progress' || phase.phase === 'rolling-back'
          ? { done: false, status: line }
          : { done: true, value: phase };
      },
      evidence: () => (last === undefined ? [] : [failureCause(last)]),
    });
    return phase.phase === 'succeeded' ? { kind: 'succeeded' } : { kind: 'ended', phase, last: last ?? {} };
  } catch (err) {
    if (err instanceof DeadlineExceeded) return { kind: 'deadline', error: err, last };
    throw err;
  }
}

/** After success, the revision that ran before is the known-good one rollback-to: previous returns to. */
async function record(run: NativeRun, service: Service, plan: ServicePlan): Promise<void> {
  const known = plan.recordPrevious;
  if (known === undefined || service.serviceArn === undefined) return;
  if (await writePreviousRecord(run.ports, service.serviceArn, known)) {
    run.journal.note(`recorded ${shortName(known)} as the previous task definition`);
  }
}

/** Why it failed: ECS's cause, the tasks' stopped reasons and the last events. */
async function reasonsOf(
  run: NativeRun,
  tracked: TrackedDeployment,
  last: ServiceDeployment | undefined,
): Promise<string[]> {
  const stopped = await stoppedTasksOf(run.ports, run.ref.cluster, tracked.id);
  run.journal.stoppedTasks = [...run.journal.stoppedTasks, ...stopped];
  run.journal.lastEvents = run.events.last(5);
  const cause = last === undefined ? [] : [failureCause(last)];
  return [...cause, ...reasonLines(stopped), ...run.journal.lastEvents.map((e) => `event: ${e}`)];
}

/** The verdict of a failed deployment: ECS's rollback followed and never doubled; else the plan's rollback. */
async function conclude(
  run: NativeRun,
  tracked: TrackedDeployment & { serviceDeploymentArn: string },
  end: Exclude<FollowEnd, { kind: 'succeeded' }>,
  plan: ServicePlan,
): Promise<never> {
  const name = shortName(tracked.taskDefinition);
  const reasons = await reasonsOf(run, tracked, end.last);
  const stage = end.last?.lifecycleStage === undefined ? '' : ` at ${end.last.lifecycleStage}`;
  const message =
    end.kind === 'deadline'
      ? end.error.message
      : `${run.strategy} deployment ${tracked.id} of ${name} failed${stage}: ${end.phase.why}`;
  const during = end.last === undefined ? undefined : nativePhase(end.last).phase;
  const recovery = nativeRecovery({
    phase: end.kind === 'deadline' ? { phase: 'deadline', during } : end.phase,
    rollBackTo: plan.rollBackTo,
  });
  const back = tracked.previousTaskDefinition;
  if (recovery.kind === 'follow-ecs') {
    run.journal.rolledBackTo = back;
    throw new DeployFailed(`${message}; ECS rolled back to ${shortName(back)}`, reasons, 'rolled-back');
  }
  const ecsSaid =
    end.kind === 'ended' && end.phase.phase === 'rollback-failed'
      ? `; ECS's rollback failed (ROLLBACK_FAILED)`
      : end.kind === 'ended'
        ? '; ECS did not roll it back'
        : during === 'rolling-back'
          ? '; ECS is still rolling it back'
          : '';
  if (recovery.kind === 'none') {
    const undo =
      back !== undefined && back !== tracked.taskDefinition
        ? `; to return to ${shortName(back)}: rollback-to: ${shortName(back)}`
        : '';
    throw new DeployFailed(`${message}${ecsSaid}${undo}`, reasons, 'failed');
  }
  if (recovery.kind === 'stop-with-rollback' && (await stopWithRollback(run, tracked))) {
    return followStop(run, tracked, message, reasons);
  }
  return redeploy(run, tracked, `${message}${ecsSaid}`, reasons, recovery.to);
}

/** Errors that mean ECS will not stop it this way: the run deploys the previous revision instead. */
const CANNOT_STOP = new Set([
  'AccessDeniedException',
  'UnsupportedFeatureException',
  'ConflictException',
  'InvalidParameterException',
]);

/** StopServiceDeployment with stopType ROLLBACK; false when ECS refused (then the run redeploys). */
async function stopWithRollback(
  run: NativeRun,
  tracked: TrackedDeployment & { serviceDeploymentArn: string },
): Promise<boolean> {
  run.ports.log.info(`Stopping service deployment ${tracked.serviceDeploymentArn} with a rollback`);
  run.journal.note(`stopping ${tracked.id} with a rollback (StopServiceDeployment)`);
  try {
    await run.ports.ecs.send(
      new StopServiceDeploymentCommand({
        serviceDeploymentArn: tracked.serviceDeploymentArn,
        stopType: 'ROLLBACK',
      }),
    );
    return true;
  } catch (err) {
    if (!CANNOT_STOP.has((err as Error).name)) throw err;
    run.ports.log.warning(
      `ECS did not stop ${tracked.id} (${(err as Error).name}): deploying the previous revision instead`,
    );
    return false;
  }
}

/** ECS's rollback after StopServiceDeployment, followed with a deadline of its own. */
async function followStop(
  run: NativeRun,
  tracked: TrackedDeployment & { serviceDeploymentArn: string },
  message: string,
  reasons: string[],
): Promise<never> {
  const back = tracked.previousTaskDefinition;
  const end = await run.ports.log.group(`Follow ECS's rollback of ${tracked.id}`, () => follow(run, tracked));
  if (end.kind === 'ended' && end.phase.phase === 'rolled-back') {
    run.journal.rolledBackTo = back;
    throw new DeployFailed(
      `${message}; stopped it, and ECS rolled back to ${shortName(back)}`,
      reasons,
      'rolled-back',
    );
  }
  const why =
    end.kind === 'deadline'
      ? end.error.message
      : end.kind === 'ended'
        ? end.phase.why
        : 'it succeeded meanwhile';
  throw new DeployFailed(
    `${message}; stopped it, but ECS's rollback did not complete: ${why}`,
    reasons,
    'failed',
  );
}

/** ECS left the failed revision: deploy the previous one (a new service deployment), followed, never rolled back. */
async function redeploy(
  run: NativeRun,
  failed: TrackedDeployment,
  message: string,
  reasons: string[],
  to: string,
): Promise<never> {
  const { ports, journal, ref } = run;
  const name = shortName(to);
  ports.log.info(`${message}; rolling back to ${name}`);
  journal.note(`rolling back to ${name}`);
  const service = await describeService(ports, ref);
  const tracked = await start(ports, ref, service, to, {
    update: { forceNewDeployment: false },
    follow: true,
    recordPrevious: undefined,
    rollBackTo: undefined,
  });
  const end = await ports.log.group(`Follow rollback ${tracked.id}`, () =>
    follow(run, { ...tracked, previousTaskDefinition: failed.taskDefinition }),
  );
  if (end.kind === 'succeeded') {
    journal.rolledBackTo = to;
    throw new DeployFailed(`${message}; rolled back to ${name}`, reasons, 'rolled-back');
  }
  const why = end.kind === 'deadline' ? end.error.message : end.phase.why;
  throw new DeployFailed(
    `${message}; the rollback to ${name} did not complete either: ${why}`,
    reasons,
    'failed',
  );
}
