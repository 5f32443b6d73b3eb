import {
  CreateDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
  type DeploymentGroupInfo,
} from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { createHash } from 'node:crypto';
import { DeadlineExceeded, DeployFailed, InputError } from '@deploy-suite/kit';
import { generatedAppSpec, withTaskDefinition, type AppSpec } from './appspec';
import { CodeDeployProgress, getDeployment, type BlueGreenRef } from './blue-green-progress';
import { shortName } from './deployment-view';
import { describeService, type ServiceRef } from './ecs-reads';
import type { Inputs } from './inputs';
import type { Journal } from './journal';
import {
  blueGreenRecovery,
  MAX_DEPLOYMENT_DESCRIPTION,
  planBlueGreen,
  servingTaskDefinition,
  type BlueGreenPhase,
  type BlueGreenPlan,
  type BlueGreenRecovery,
} from './plan';
import type { Ports } from './ports';
import { writePreviousRecord } from './previous-record';

/** Deployments on their way: one of these blocks a new one in the group (DeploymentLimitExceededException). */
const ACTIVE_STATUSES = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'] as const;

/** Whether the service is deployed by CodeDeploy (DeploymentController.type CODE_DEPLOY). */
export function isBlueGreen(service: Service): boolean {
  return service.deploymentController?.type === 'CODE_DEPLOY';
}

/**
 * A blue/green deployment through CodeDeploy: the AppSpec names the registered revision, the
 * deployment is created (or the one already carrying this AppSpec is adopted), followed to its end
 * and, when it fails, left to CodeDeploy's rollback or stopped with a rollback by this run.
 */
export async function deployBlueGreen(
  inputs: Readonly<Inputs>,
  ports: Ports,
  journal: Journal,
  ref: ServiceRef,
  service: Service,
  arn: string,
  options: {
    /** This run registered `arn` (else the service runs it already). */
    registered: boolean;
    /** A rollback-to run records nothing: the revision it leaves may be the one that failed. */
    recordPrevious: boolean;
  },
): Promise<void> {
  const plan = planBlueGreen(inputs, ref.service, options.registered);
  if (!plan.deploy) {
    ports.log.info(`Nothing to deploy: ${ref.service} already runs ${shortName(arn)}`);
    journal.finish('succeeded', `${ref.service} already runs ${shortName(arn)}: nothing to deploy`);
    return;
  }
  const content = JSON.stringify(appSpecOf(inputs, service, arn));
  const group = await deploymentGroup(ports, plan);
  const id = await createOrAdopt(ports, plan, content);
  journal.codeDeployDeploymentId = id;
  journal.deploymentId = id;
  journal.note(`CodeDeploy deployment ${id} of ${shortName(arn)} started`);
  if (!plan.follow) {
    journal.finish(
      'started',
      `CodeDeploy deployment ${id} of ${shortName(arn)} started (not followed: wait is false)`,
    );
    return;
  }
  // As the anchor: the group's own waits (ready, before termination) add to timeout-minutes.
  const timeoutMs = inputs.timeoutMs + groupWaitMs(group);
  const bg: BlueGreenRef = {
    ports,
    journal,
    ref,
    id,
    previous: servingTaskDefinition(service),
    serviceArn: options.recordPrevious ? service.serviceArn : undefined,
  };
  const end = await ports.log.group(`Follow CodeDeploy deployment ${id}`, () => follow(bg, timeoutMs, plan));
  await conclude(bg, arn, end, { inputs, service, plan, timeoutMs });
}

/** What returning to the previous revision through a new CodeDeploy deployment needs. */
interface Redeploy {
  readonly inputs: Readonly<Inputs>;
  readonly service: Service;
  readonly plan: BlueGreenPlan;
  readonly timeoutMs: number;
}

/**
 * The AppSpec's document before anything changes in AWS: a file's problem, or a service without a
 * file and without a load balancer to generate one from, is an input error here.
 */
export function checkBlueGreenInputs(inputs: Readonly<Inputs>, service: Service): void {
  appSpecOf(inputs, service, 'arn:placeholder');
}

function appSpecOf(inputs: Readonly<Inputs>, service: Service, arn: string): AppSpec {
  const file = inputs.codeDeploy.appSpec;
  if (file !== undefined && 'problem' in file) throw file.problem;
  if (file !== undefined) return withTaskDefinition(file.document, arn);
  const generated = generatedAppSpec(service.loadBalancers, arn);
  if (generated === undefined) {
    throw new InputError(
      'codedeploy-appspec',
      `is required: ${service.serviceName ?? 'the service'} lists no load balancer to take the container name and port from`,
    );
  }
  return generated;
}

async function deploymentGroup(ports: Ports, plan: BlueGreenPlan): Promise<DeploymentGroupInfo> {
  const answer = await ports.codedeploy.send(
    new GetDeploymentGroupCommand({
      applicationName: plan.application,
      deploymentGroupName: plan.deploymentGroup,
    }),
  );
  return answer.deploymentGroupInfo ?? {};
}

function groupWaitMs(group: DeploymentGroupInfo): number {
  const config = group.blueGreenDeploymentConfiguration;
  const minutes =
    (config?.terminateBlueInstancesOnDeploymentSuccess?.terminationWaitTimeInMinutes ?? 0) +
    (config?.deploymentReadyOption?.waitTimeInMinutes ?? 0);
  return minutes * 60_000;
}

/**
 * CreateDeployment has no idempotency token (API model), but a group runs one deployment at a time.
 * So a deployment already on its way with this very AppSpec (a rerun, or a retried call whose first
 * answer was lost) is adopted instead of creating a second one; another one refuses ours.
 */
async function createOrAdopt(ports: Ports, plan: BlueGreenPlan, content: string): Promise<string> {
  const sha256 = createHash('sha256').update(content).digest('hex');
  const mine = await activeDeploymentWith(ports, plan, sha256);
  if (mine !== undefined) {
    ports.log.info(`CodeDeploy deployment ${mine} of this AppSpec is already in progress: following it`);
    return mine;
  }
  try {
    const answer = await ports.codedeploy.send(
      new CreateDeploymentCommand({
        applicationName: plan.application,
        deploymentGroupName: plan.deploymentGroup,
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content, sha256 } },
        ...(plan.deploymentConfig !== undefined && { deploymentConfigName: plan.deploymentConfig }),
        ...(plan.description !== undefined && { description: plan.description }),
      }),
    );
    if (answer.deploymentId === undefined)
      throw new Error('CreateDeployment answered without a deployment id');
    ports.log.info(
      `CodeDeploy deployment ${answer.deploymentId} created in ${plan.application}/${plan.deploymentGroup}`,
    );
    return answer.deploymentId;
  } catch (err) {
    if ((err as Error).name !== 'DeploymentLimitExceededException') throw err;
    const adopted = await activeDeploymentWith(ports, plan, sha256);
    if (adopted !== undefined) return adopted;
    throw new DeployFailed(`CodeDeploy refused a new deployment: ${(err as Error).message}`, [
      'Another deployment of the group is in progress; run again once it has ended.',
    ]);
  }
}

async function activeDeploymentWith(
  ports: Ports,
  plan: BlueGreenPlan,
  sha256: string,
): Promise<string | undefined> {
  const listed = await ports.codedeploy.send(
    new ListDeploymentsCommand({
      applicationName: plan.application,
      deploymentGroupName: plan.deploymentGroup,
      includeOnlyStatuses: [...ACTIVE_STATUSES],
    }),
  );
  for (const id of listed.deployments ?? []) {
    const info = await getDeployment(ports, id);
    if (info.revision?.appSpecContent?.sha256 === sha256) return id;
  }
  return undefined;
}

type End =
  | {
      kind: 'ended';
      phase: Exclude<BlueGreenPhase, { phase: 'in-progress' }>;
      reasons: string[];
      trafficMoved: boolean | undefined;
    }
  | { kind: 'deadline'; error: DeadlineExceeded; stop: StopOutcome; reasons: string[] };

/**
 * What StopDeployment did at the deadline: not asked (rollback-on-failure is false), accepted,
 * refused because the deployment had ended meanwhile, or failed with the error's message.
 */
type StopOutcome = 'not-asked' | 'stopped' | 'already-ended' | { readonly failed: string };

/** Follows the deployment; at the deadline, stops it with a rollback when rollback-on-failure is set. */
async function follow(bg: BlueGreenRef, timeoutMs: number, plan: BlueGreenPlan): Promise<End> {
  const progress = new CodeDeployProgress(bg);
  try {
    const phase = await progress.until(bg.id, timeoutMs);
    return { kind: 'ended', phase, reasons: await progress.reasons(), trafficMoved: progress.trafficMoved() };
  } catch (err) {
    if (!(err instanceof DeadlineExceeded)) throw err;
    const reasons = await progress.reasons();
    if (!plan.stopOnDeadline) return { kind: 'deadline', error: err, stop: 'not-asked', reasons };
    return { kind: 'deadline', error: err, stop: await stopWithRollback(bg), reasons };
  }
}

/**
 * StopDeployment with autoRollbackEnabled ("Indicates, when a deployment is stopped, whether
 * instances that have been updated should be rolled back to the previous version of the
 * application revision": StopDeployment in the CodeDeploy API reference). A refusal is kept, not
 * thrown: the service must still be left on a known-good revision.
 */
async function stopWithRollback(bg: BlueGreenRef): Promise<StopOutcome> {
  bg.ports.log.info(`Stopping CodeDeploy deployment ${bg.id} with a rollback`);
  bg.journal.note(`stopping CodeDeploy deployment ${bg.id} with a rollback`);
  try {
    await bg.ports.codedeploy.send(
      new StopDeploymentCommand({ deploymentId: bg.id, autoRollbackEnabled: true }),
    );
    return 'stopped';
  } catch (err) {
    if ((err as Error).name === 'DeploymentAlreadyCompletedException') return 'already-ended';
    const why = `${(err as Error).name}: ${(err as Error).message}`;
    bg.ports.log.info(`StopDeployment of ${bg.id} failed: ${why}`);
    bg.journal.note(`StopDeployment of ${bg.id} failed: ${why}`);
    return { failed: why };
  }
}

/**
 * Turns the end into the step's verdict. CodeDeploy's own rollback is followed, never doubled; when
 * CodeDeploy leaves the failed revision serving, this run returns to the previous one (blueGreenRecovery).
 */
async function conclude(bg: BlueGreenRef, arn: string, end: End, redeploy: Redeploy): Promise<void> {
  const name = shortName(arn);
  const progress = new CodeDeployProgress(bg);
  if (end.kind === 'deadline') return concludeDeadline(bg, arn, end, redeploy, progress);
  const phase = end.phase;
  if (phase.phase === 'succeeded') {
    // The revision that served until now is known good: rollback-to: previous returns to it (no
    // serviceArn: a rollback-to run, which records nothing).
    const before = bg.previous;
    if (before !== undefined && before !== arn && bg.serviceArn !== undefined) {
      if (await writePreviousRecord(bg.ports, bg.serviceArn, before))
        bg.journal.note(`recorded ${shortName(before)} as the previous task definition`);
    }
    bg.journal.finish(
      'succeeded',
      `CodeDeploy deployment ${bg.id} of ${name} succeeded: ${bg.ref.service} runs ${name}`,
    );
    return;
  }
  const message = `CodeDeploy deployment ${bg.id} of ${name} failed: ${phase.why.replace(/\.$/, '')}`;
  const recovery = blueGreenRecovery({
    phase,
    rollbackOnFailure: redeploy.inputs.rollbackOnFailure,
    trafficMoved: end.trafficMoved,
    previous: bg.previous,
    deployed: arn,
  });
  switch (recovery.kind) {
    case 'follow-codedeploy':
      return finishRollback(bg, progress, message, phase, end.reasons);
    case 'redeploy':
      return redeployPrevious(bg, redeploy, recovery.to, message, end.reasons);
    case 'none':
      throw new DeployFailed(`${message}; ${NO_ROLLBACK[recovery.why](bg)}`, end.reasons, 'failed');
  }
}

/**
 * The deadline passed. Without rollback-on-failure the deployment is left going. Otherwise it was
 * stopped with a rollback; StopDeployment answers Pending and the deployment turns Stopped shortly
 * after, with CodeDeploy's rollback deployment (rollbackInfo) that is then followed. When no
 * rollback comes (the deployment ends Stopped without one, the stop failed, or it never ends), the
 * service is read again and, unless the original task set alone still serves production traffic,
 * the previous revision is deployed again through CodeDeploy (redeployPrevious).
 */
async function concludeDeadline(
  bg: BlueGreenRef,
  arn: string,
  end: Extract<End, { kind: 'deadline' }>,
  redeploy: Redeploy,
  progress: CodeDeployProgress,
): Promise<void> {
  const { error, stop, reasons } = end;
  if (stop === 'not-asked') throw new DeployFailed(error.message, reasons, 'failed');
  const after =
    typeof stop === 'object'
      ? undefined
      : await progress.until(bg.id, ROLLBACK_TIMEOUT_MS).catch((err: unknown) => {
          if (err instanceof DeadlineExceeded) return undefined;
          throw err;
        });
  if (after?.phase === 'rolling-back' || after?.phase === 'succeeded') {
    // Ended on its own as it was stopped: judged as any deployment that ended.
    return conclude(
      bg,
      arn,
      {
        kind: 'ended',
        phase: after,
        reasons: await progress.reasons(),
        trafficMoved: progress.trafficMoved(),
      },
      redeploy,
    );
  }
  const message = `${error.message}; ${whatTheStopDid(stop, after === undefined)}`;
  const serving = await servingNow(bg);
  const previous = bg.previous;
  if (previous === undefined || previous === arn) {
    throw new DeployFailed(`${message}; the service ran no other revision to return to`, reasons, 'failed');
  }
  // The original task set still serves everything: nothing to return to, and nothing was changed for users.
  if (serving === previous && progress.trafficMoved() !== true) {
    throw new DeployFailed(
      `${message}; traffic never moved to it: the original task set still serves ${shortName(previous)} (read after the stop)`,
      reasons,
      'failed',
    );
  }
  const where =
    serving === undefined ? 'no task set is PRIMARY' : `${shortName(serving)} serves production traffic`;
  return redeployPrevious(bg, redeploy, previous, `${message}; ${where}`, reasons);
}

/** What the stop at the deadline came to, when no rollback followed it. */
function whatTheStopDid(stop: Exclude<StopOutcome, 'not-asked'>, neverEnded: boolean): string {
  if (typeof stop === 'object') return `could not stop it (${stop.failed})`;
  if (neverEnded) return `stopped it, but it did not end within ${ROLLBACK_TIMEOUT_MS / 60_000} minutes`;
  if (stop === 'already-ended')
    return 'it had ended meanwhile (DeploymentAlreadyCompletedException); CodeDeploy did not roll it back';
  return 'stopped it; CodeDeploy did not roll it back';
}

/** The task definition of the task set serving production traffic now (the PRIMARY one). */
async function servingNow(bg: BlueGreenRef): Promise<string | undefined> {
  return servingTaskDefinition(await describeService(bg.ports, bg.ref));
}

/** Why no rollback follows, as the step's error ends. */
const NO_ROLLBACK: Record<Extract<BlueGreenRecovery, { kind: 'none' }>['why'], (bg: BlueGreenRef) => string> =
  {
    'not-asked': () => 'CodeDeploy did not roll it back (rollback-on-failure is false)',
    'still-serving': (bg) =>
      `traffic never moved to it: the original task set still serves ${shortName(bg.previous)}, so no rollback is needed`,
    'nothing-to-return-to': () =>
      'CodeDeploy did not roll it back, and the service ran no other revision to return to',
  };

/**
 * CodeDeploy's manual rollback: a new deployment of the revision that served before (CodeDeploy
 * User Guide, "Redeploy and roll back a deployment": without automatic rollbacks, create a
 * deployment of a previously deployed revision). Followed like any deployment; never rolled back.
 */
async function redeployPrevious(
  bg: BlueGreenRef,
  redeploy: Redeploy,
  previous: string,
  message: string,
  reasons: readonly string[],
): Promise<never> {
  const name = shortName(previous);
  bg.ports.log.info(`${message}; rolling back to ${name} through a new CodeDeploy deployment`);
  bg.journal.note(`rolling back to ${name} through CodeDeploy`);
  const plan: BlueGreenPlan = {
    ...redeploy.plan,
    description: `Roll back ${bg.ref.service} to ${name} after ${bg.id} failed`.slice(
      0,
      MAX_DEPLOYMENT_DESCRIPTION,
    ),
  };
  let id: string;
  try {
    const content = JSON.stringify(appSpecOf(redeploy.inputs, redeploy.service, previous));
    id = await createOrAdopt(bg.ports, plan, content);
  } catch (err) {
    throw new DeployFailed(
      `${message}; the rollback to ${name} could not start: ${(err as Error).message}`,
      [...reasons],
      'failed',
    );
  }
  bg.journal.note(`CodeDeploy deployment ${id} rolls back to ${name}`);
  const back = new CodeDeployProgress({ ...bg, id });
  const end = await bg.ports.log.group(`Follow CodeDeploy rollback ${id}`, () =>
    back.until(id, redeploy.timeoutMs).catch((err: unknown) => {
      if (err instanceof DeadlineExceeded) return undefined;
      throw err;
    }),
  );
  if (end?.phase === 'succeeded') {
    bg.journal.rolledBackTo = previous;
    throw new DeployFailed(
      `${message}; rolled back to ${name} through CodeDeploy deployment ${id}`,
      [...reasons],
      'rolled-back',
    );
  }
  const why = end === undefined ? 'it did not end in time' : end.why;
  throw new DeployFailed(
    `${message}; the rollback deployment ${id} to ${name} did not succeed either: ${why}`,
    [...reasons, ...(await back.reasons())],
    'failed',
  );
}

async function finishRollback(
  bg: BlueGreenRef,
  progress: CodeDeployProgress,
  message: string,
  phase: BlueGreenPhase,
  reasons: readonly string[],
): Promise<never> {
  if (phase.phase !== 'rolling-back') {
    throw new DeployFailed(`${message}; CodeDeploy did not roll it back`, [...reasons], 'failed');
  }
  bg.ports.log.info(`CodeDeploy rolls back with deployment ${phase.rollback}`);
  bg.journal.note(`CodeDeploy rolls back with deployment ${phase.rollback}`);
  const back = await bg.ports.log.group(`Follow CodeDeploy rollback ${phase.rollback}`, () =>
    progress.until(phase.rollback, ROLLBACK_TIMEOUT_MS).catch((err: unknown) => {
      if (err instanceof DeadlineExceeded) return undefined;
      throw err;
    }),
  );
  if (back?.phase === 'succeeded') {
    bg.journal.rolledBackTo = bg.previous;
    throw new DeployFailed(
      `${message}; CodeDeploy rolled back to ${shortName(bg.previous)} (${phase.rollback})`,
      [...reasons],
      'rolled-back',
    );
  }
  throw new DeployFailed(
    `${message}; the rollback ${phase.rollback} did not complete`,
    [...reasons],
    'failed',
  );
}

/** A rollback shifts traffic back to the task set still running: minutes at most. */
const ROLLBACK_TIMEOUT_MS = 15 * 60_000;
