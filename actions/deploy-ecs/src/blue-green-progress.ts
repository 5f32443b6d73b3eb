import {
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  type DeploymentInfo,
  type ECSTarget,
  type LifecycleEvent,
} from '@aws-sdk/client-codedeploy';
import { waitFor } from '@deploy-suite/kit';
import type { ServiceRef } from './ecs-reads';
import type { Journal } from './journal';
import { blueGreenPhase, trafficMoved, type BlueGreenPhase } from './plan';
import type { Ports } from './ports';
import { reasonLines, stoppedTasksOf } from './stopped-tasks';

export async function getDeployment(ports: Ports, id: string): Promise<DeploymentInfo> {
  const answer = await ports.codedeploy.send(new GetDeploymentCommand({ deploymentId: id }));
  return answer.deploymentInfo ?? {};
}

export function phaseOf(info: DeploymentInfo): BlueGreenPhase {
  return blueGreenPhase({
    status: info.status,
    rollbackDeploymentId: info.rollbackInfo?.rollbackDeploymentId,
    error:
      info.errorInformation?.message === undefined
        ? undefined
        : `${info.errorInformation.code ?? 'error'}: ${info.errorInformation.message}`,
  });
}

/**
 * Pause between polls: the job ends within this (and one round of calls) of CodeDeploy's end.
 * Throttling still doubles the pause (waitFor), so a busy account slows the polls down.
 */
export const BLUE_GREEN_POLL_MS = 2_000;

export interface BlueGreenRef {
  readonly ports: Ports;
  readonly journal: Journal;
  readonly ref: ServiceRef;
  /** The CodeDeploy deployment this run started or adopted. */
  readonly id: string;
  /** The task definition the service ran before. */
  readonly previous: string | undefined;
  readonly serviceArn: string | undefined;
}

/**
 * What a CodeDeploy deployment is doing, printed once per change: its status, each lifecycle
 * event's status (the ECS target's lifecycleEvents), the traffic on each task set and the wait
 * before the original task set is terminated.
 */
export class CodeDeployProgress {
  private readonly seen = new Set<string>();
  private lastTarget: ECSTarget | undefined;
  private lastInfo: DeploymentInfo | undefined;
  /** The ECS target of each deployment: one per deployment, named once it started. */
  private readonly targets = new Map<string, string>();

  constructor(private readonly bg: BlueGreenRef) {}

  /** Polls deployment `id` to its end; throws DeadlineExceeded at the deadline. */
  async until(id: string, timeoutMs: number): Promise<Exclude<BlueGreenPhase, { phase: 'in-progress' }>> {
    const { ports } = this.bg;
    return waitFor({
      what: `CodeDeploy deployment ${id} to end`,
      timeoutMs,
      intervalMs: BLUE_GREEN_POLL_MS,
      clock: ports.clock,
      ...(ports.random !== undefined && { random: ports.random }),
      check: async () => {
        const info = await getDeployment(ports, id);
        this.lastInfo = info;
        this.once(`${id}:status:${info.status ?? ''}`, `deployment ${id}: ${info.status ?? 'unknown'}`);
        await this.target(id, info);
        const phase = phaseOf(info);
        return phase.phase === 'in-progress'
          ? { done: false, status: this.status(info) }
          : { done: true, value: phase };
      },
      evidence: () => this.reasonsNow(),
    });
  }

  /**
   * Why it failed: the failed lifecycle events' diagnostics, CodeDeploy's error and the stopped
   * tasks of the replacement (Green) task set, which ECS starts with the task set's id.
   */
  async reasons(): Promise<string[]> {
    const green = this.lastTarget?.taskSetsInfo?.find((set) => set.taskSetLabel === 'Green')?.identifer;
    const stopped =
      green === undefined ? [] : await stoppedTasksOf(this.bg.ports, this.bg.ref.cluster, green);
    if (stopped.length > 0) this.bg.journal.stoppedTasks = stopped;
    return [...this.reasonsNow(), ...reasonLines(stopped)];
  }

  /** Whether production traffic reached the replacement task set, as the last target read says. */
  trafficMoved(): boolean | undefined {
    const target = this.lastTarget;
    return trafficMoved(
      target === undefined
        ? undefined
        : {
            lifecycleEvents: (target.lifecycleEvents ?? []).map((e) => ({
              name: e.lifecycleEventName,
              status: e.status,
            })),
            taskSets: (target.taskSetsInfo ?? []).map((set) => ({
              label: set.taskSetLabel,
              trafficWeight: set.trafficWeight,
            })),
          },
    );
  }

  private reasonsNow(): string[] {
    const lines: string[] = [];
    for (const event of this.lastTarget?.lifecycleEvents ?? []) {
      if (event.status !== 'Failed') continue;
      const d = event.diagnostics;
      const detail = [d?.errorCode, d?.scriptName, d?.message].filter((x) => x !== undefined && x !== '');
      lines.push(
        `lifecycle event ${event.lifecycleEventName ?? '?'} failed${detail.length > 0 ? `: ${detail.join('; ')}` : ''}`,
      );
    }
    const error = this.lastInfo?.errorInformation;
    if (error?.message !== undefined) lines.push(`CodeDeploy: ${error.code ?? 'error'}: ${error.message}`);
    return lines;
  }

  private status(info: DeploymentInfo): string {
    const running = this.lastTarget?.lifecycleEvents?.find((e) => e.status === 'InProgress');
    if (info.instanceTerminationWaitTimeStarted === true)
      return `${info.status}: waiting before terminating the original task set`;
    return running === undefined
      ? (info.status ?? 'unknown')
      : `${info.status}: ${running.lifecycleEventName} in progress`;
  }

  private async target(id: string, info: DeploymentInfo): Promise<void> {
    // Targets exist once the deployment started (DeploymentNotStartedException before).
    if (info.status === 'Created' || info.status === 'Queued') return;
    const { ports } = this.bg;
    const targetId = this.targets.get(id) ?? (await this.targetOf(id));
    if (targetId === undefined) return;
    const answer = await ports.codedeploy.send(
      new GetDeploymentTargetCommand({ deploymentId: id, targetId }),
    );
    const target = answer.deploymentTarget?.ecsTarget;
    if (target === undefined) return;
    this.lastTarget = target;
    for (const event of target.lifecycleEvents ?? []) this.printEvent(id, event);
    for (const set of target.taskSetsInfo ?? []) {
      this.once(
        `${id}:traffic:${set.identifer ?? ''}:${set.trafficWeight ?? 0}`,
        `  task set ${set.identifer ?? '?'} (${set.taskSetLabel ?? '?'}): ${set.status ?? '?'}, ${set.trafficWeight ?? 0}% of traffic, ${set.runningCount ?? 0}/${set.desiredCount ?? 0} running`,
      );
    }
    if (info.instanceTerminationWaitTimeStarted === true) {
      this.once(
        `${id}:termination-wait`,
        `  traffic shifted; waiting before terminating the original task set`,
      );
    }
  }

  private async targetOf(id: string): Promise<string | undefined> {
    const listed = await this.bg.ports.codedeploy.send(
      new ListDeploymentTargetsCommand({ deploymentId: id }),
    );
    const targetId = listed.targetIds?.[0];
    if (targetId !== undefined) this.targets.set(id, targetId);
    return targetId;
  }

  private printEvent(id: string, event: LifecycleEvent): void {
    const status = event.status ?? 'Unknown';
    if (status === 'Pending') return;
    const took =
      event.startTime !== undefined && event.endTime !== undefined
        ? ` (${Math.round((event.endTime.getTime() - event.startTime.getTime()) / 1000)} s)`
        : '';
    this.once(
      `${id}:event:${event.lifecycleEventName ?? ''}:${status}`,
      `  ${event.lifecycleEventName ?? '?'}: ${status}${took}`,
    );
  }

  private once(key: string, line: string): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.bg.ports.log.info(line);
    this.bg.journal.note(line.trim());
  }
}
