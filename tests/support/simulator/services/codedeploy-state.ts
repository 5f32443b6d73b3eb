import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { ServiceError } from '../errors';
import {
  progressAt,
  scheduleOf,
  type CodeDeployScenario,
  type Progress,
  type Schedule,
} from './codedeploy-timing';
import type { LinkedService } from './codedeploy-link';

type Json = Record<string, unknown>;

export interface GroupRecord {
  readonly application: string;
  readonly name: string;
  readonly id: string;
  readonly cluster: string;
  readonly service: string;
  readonly deploymentConfigName: string;
  /** AutoRollbackConfiguration: enabled, with the events that trigger it. */
  readonly autoRollback: { readonly enabled: boolean; readonly events: readonly string[] };
  readonly alarms: readonly string[];
  readonly terminationWaitMinutes: number;
}

export interface DeploymentRecord {
  readonly id: string;
  readonly group: GroupRecord;
  readonly createdAt: number;
  readonly scenarioName: string;
  readonly schedule: Schedule;
  readonly revision: Json;
  readonly taskDefinition: string;
  readonly previousTaskDefinition: string;
  readonly deploymentConfigName: string;
  readonly description?: string;
  readonly creator: 'user' | 'codeDeployRollback';
  readonly rollbackScenario: CodeDeployScenario;
  readonly taskSetId: string;
  stopAt?: number;
  stopWithRollback?: boolean;
  rollbackDeploymentId?: string;
  rollbackTriggeringDeploymentId?: string;
  /** Replacement tasks stopped so far (scenarios with replacementTaskFailure). */
  failedTasks?: number;
  readonly replacementTaskFailure?: CodeDeployScenario['replacementTaskFailure'];
  /** The scenario's stopRollsBack: false (a stop never rolls this deployment back). */
  readonly stopRollsBack?: false;
}

/** What a deployment amounts to at a moment: its status and why. */
export interface DeploymentState {
  readonly status: 'Created' | 'InProgress' | 'Succeeded' | 'Failed' | 'Stopped';
  readonly progress: Progress;
  readonly endedAt: number | undefined;
  readonly error: { code: string; message: string } | undefined;
  /** CodeDeploy rolls this deployment back (group setting, or StopDeployment's autoRollbackEnabled). */
  readonly rollsBack: boolean;
}

/** The first second a deployment is Created, as CodeDeploy lists it before it starts. */
const CREATED_MS = 1_000;

/** AppSpec's TargetService TaskDefinition (AppSpec file reference, "Resources section for Amazon ECS"). */
export function appSpecTaskDefinition(content: string): string {
  let doc: unknown;
  try {
    doc = parse(content);
  } catch (err) {
    throw new ServiceError(
      'InvalidRevisionException',
      `The AppSpec file is not valid: ${(err as Error).message}`,
    );
  }
  const resources = (doc as { Resources?: unknown } | null)?.Resources;
  const first = Array.isArray(resources) ? (resources[0] as Json | undefined) : undefined;
  const target = first === undefined ? undefined : (Object.values(first)[0] as Json | undefined);
  const properties = target?.Properties as Json | undefined;
  const arn = properties?.TaskDefinition;
  if (typeof arn !== 'string' || arn === '') {
    throw new ServiceError(
      'InvalidRevisionException',
      'The AppSpec file must name a TaskDefinition in the Properties of its TargetService resource.',
    );
  }
  return arn;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The status of a deployment at `now` (DeploymentInfo.status in the CodeDeploy API model). */
export function stateAt(d: DeploymentRecord, now: number): DeploymentState {
  const progress = progressAt(d.schedule, now, d.stopAt);
  const cut = progress.interruption;
  const events = d.group.autoRollback.enabled ? d.group.autoRollback.events : [];
  if (cut !== undefined) {
    const rollsBack =
      cut.kind === 'stop'
        ? d.stopWithRollback === true && d.stopRollsBack !== false
        : events.includes(cut.kind === 'alarm' ? 'DEPLOYMENT_STOP_ON_ALARM' : 'DEPLOYMENT_FAILURE');
    return {
      status: cut.kind === 'hook' ? 'Failed' : 'Stopped',
      progress,
      endedAt: cut.at,
      error: errorOf(cut, d.group),
      rollsBack,
    };
  }
  if (progress.succeededAt !== undefined) {
    return {
      status: 'Succeeded',
      progress,
      endedAt: progress.succeededAt,
      error: undefined,
      rollsBack: false,
    };
  }
  const status = now < d.createdAt + CREATED_MS ? 'Created' : 'InProgress';
  return { status, progress, endedAt: undefined, error: undefined, rollsBack: false };
}

/** ErrorInformation codes from the API model (ErrorCode): HOOK_EXECUTION_FAILURE, ALARM_ACTIVE, MANUAL_STOP. */
function errorOf(
  cut: NonNullable<Progress['interruption']>,
  group: GroupRecord,
): { code: string; message: string } {
  if (cut.kind === 'hook') {
    return {
      code: 'HOOK_EXECUTION_FAILURE',
      message: `The deployment failed because the ${cut.event} lifecycle event hook reported Failed.`,
    };
  }
  if (cut.kind === 'alarm') {
    return {
      code: 'ALARM_ACTIVE',
      message: `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <${group.alarms.join(', ')}>`,
    };
  }
  return { code: 'MANUAL_STOP', message: 'The deployment was stopped by the user.' };
}

/** A deployment group's deployments, with the rollbacks CodeDeploy starts on its own. */
export class DeploymentStore {
  readonly deployments = new Map<string, DeploymentRecord>();
  private counter = 0;

  constructor(
    private readonly now: () => number,
    /** Puts a stopped replacement task of deployment `d` in ECS. */
    private readonly taskStopped: (d: DeploymentRecord, at: number) => void = () => undefined,
  ) {}

  nextId(prefix: string): string {
    return `${prefix}${(++this.counter).toString(36).toUpperCase().padStart(9, '0')}`;
  }

  /** Creates the rollbacks that are due (a rollback starts when the deployment it undoes ends). */
  settle(): void {
    for (const d of this.deployments.values()) this.stopReplacementTasks(d);
    for (const d of [...this.deployments.values()]) {
      if (d.rollbackDeploymentId !== undefined || d.creator !== 'user') continue;
      const state = stateAt(d, this.now());
      if (!state.rollsBack || state.endedAt === undefined) continue;
      const rollback: DeploymentRecord = {
        ...d,
        id: this.nextId('d-'),
        createdAt: state.endedAt,
        schedule: scheduleOf(d.rollbackScenario, state.endedAt, 0),
        taskDefinition: d.previousTaskDefinition,
        previousTaskDefinition: d.taskDefinition,
        creator: 'codeDeployRollback',
        rollbackTriggeringDeploymentId: d.id,
        taskSetId: d.taskSetId,
      };
      delete rollback.stopAt;
      delete rollback.stopWithRollback;
      d.rollbackDeploymentId = rollback.id;
      this.deployments.set(rollback.id, rollback);
    }
  }

  /** The replacement tasks that stopped while Install ran, up to now or the deployment's end. */
  private stopReplacementTasks(d: DeploymentRecord): void {
    const failure = d.replacementTaskFailure;
    const install = d.schedule.steps.find((step) => step.name === 'Install');
    if (failure === undefined || install === undefined) return;
    const until = Math.min(this.now(), install.end ?? Infinity, stateAt(d, this.now()).endedAt ?? Infinity);
    const due = Math.max(0, Math.floor((until - install.start) / (failure.everySeconds * 1000)));
    for (let n = d.failedTasks ?? 0; n < due; n++) {
      this.taskStopped(d, install.start + (n + 1) * failure.everySeconds * 1000);
    }
    d.failedTasks = Math.max(d.failedTasks ?? 0, due);
  }

  ofGroup(group: GroupRecord): DeploymentRecord[] {
    this.settle();
    return [...this.deployments.values()].filter((d) => d.group === group);
  }

  /** The group's deployment that has not ended: CodeDeploy runs one at a time per group. */
  active(group: GroupRecord): DeploymentRecord | undefined {
    return this.ofGroup(group).find((d) => stateAt(d, this.now()).endedAt === undefined);
  }

  /** The task definition the PRIMARY task set runs: the last user deployment that ended serving. */
  serving(group: GroupRecord, service: LinkedService): string {
    let current = service.taskDefinition;
    for (const d of this.ofGroup(group)) {
      if (d.creator !== 'user') continue;
      const state = stateAt(d, this.now());
      if (state.endedAt === undefined) continue;
      // Without a rollback a deployment that shifted traffic leaves its replacement serving.
      if (state.status === 'Succeeded' || (!state.rollsBack && state.progress.trafficShifted))
        current = d.taskDefinition;
    }
    return current;
  }
}
