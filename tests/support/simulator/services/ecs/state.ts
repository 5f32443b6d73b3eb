import type { Operation, ServiceContext } from '../../service';
import { blueGreenLink, type BlueGreenLink } from '../codedeploy-link';
import type { ContainerRecord, DeploymentRecord, ServiceEventRecord } from './rollout';
import type { EcsScenario } from './scenarios';
import { TaskDefinitionStore } from './task-definitions';

/**
 * What the simulated ECS holds: task definitions, services with their deployments and events,
 * tasks (RunTask's and the failed ones of rollouts), RunTask's client tokens and tags.
 */

export type Json = Record<string, unknown>;

const TARGET = 'AmazonEC2ContainerServiceV20141113';

export interface ServiceRecord {
  readonly name: string;
  readonly cluster: string;
  readonly arn: string;
  readonly clusterArn: string;
  readonly createdAt: number;
  readonly launchType: string;
  readonly networkConfiguration?: unknown;
  /** DeploymentController.type: ECS, or CODE_DEPLOY when CodeDeploy deploys it (blue/green). */
  readonly deploymentController: string;
  readonly loadBalancers: readonly Json[];
  desiredCount: number;
  /** CreateService's and UpdateService's deploymentConfiguration (strategy, bake time, alarms, hooks…), as given. */
  deploymentConfiguration?: Json;
  /** UpdateService's tag settings, shown by DescribeServices once set. */
  propagateTags?: string;
  enableECSManagedTags?: boolean;
  /** Newest first; INACTIVE ones stay for the service deployments API and for state(). */
  readonly deployments: DeploymentRecord[];
  /** Newest first, as DescribeServices lists them. */
  readonly events: ServiceEventRecord[];
  readonly knownGood: Set<string>;
  reads: number;
  throttled: number;
}

export interface TaskRecord {
  readonly arn: string;
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  readonly startedBy: string;
  readonly group: string;
  readonly launchType: string;
  readonly createdAt: number;
  /** RunTask's own: its overrides, the capacity provider it landed on, its network interface, its tags. */
  readonly overrides?: Json;
  readonly capacityProviderName?: string;
  readonly attachments?: Json[];
  readonly tags?: Json[];
  /** Absent: runs until stopped. */
  stopAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  readonly containers: ReadonlyArray<ContainerRecord & { exitCode?: number; reason?: string }>;
}

/**
 * How long a stopped task stays visible to ListTasks and DescribeTasks: "stopped tasks appear in the
 * returned results for at least one hour" (ECS API reference, ListTasks and DescribeTasks).
 */
export const STOPPED_TASK_RETENTION_MS = 60 * 60 * 1000;

/** Whether ListTasks and DescribeTasks still show the task at `at`: running, or stopped within the hour. */
export function visible(task: TaskRecord, at: number): boolean {
  return task.stopAt === undefined || at - task.stopAt <= STOPPED_TASK_RETENTION_MS;
}

export function clusterName(value: unknown): string {
  const text = typeof value === 'string' && value !== '' ? value : 'default';
  return text.includes(':cluster/') ? text.slice(text.indexOf(':cluster/') + 9) : text;
}

export function serviceName(value: unknown): string {
  const text = String(value ?? '');
  return text.includes(':service/') ? text.slice(text.lastIndexOf('/') + 1) : text;
}

/** An ECS operation over JSON 1.1, routed by its X-Amz-Target. */
export function ecsOperation(name: string, handle: Operation['handle']): Operation {
  return { name, route: { protocol: 'json', target: `${TARGET}.${name}` }, handle };
}

/** Everything one simulated ECS holds; made afresh on every reset. */
export class EcsStore {
  readonly taskDefinitions: TaskDefinitionStore;
  /** By `cluster/name`. */
  readonly services = new Map<string, ServiceRecord>();
  readonly tasks = new Map<string, TaskRecord>();
  /** RunTask's clientToken → the task it started. */
  readonly runTokens = new Map<string, TaskRecord>();
  /** Resource ARN → its tags. */
  readonly tags = new Map<string, Json[]>();
  /** Shared with the CodeDeploy instance of the same simulator (blue/green). */
  readonly link: BlueGreenLink;
  private counter = 0;

  constructor(readonly context: ServiceContext<EcsScenario>) {
    this.taskDefinitions = new TaskDefinitionStore(context.accountId);
    this.link = blueGreenLink(context.clock);
  }

  now(): number {
    return this.context.clock.now();
  }

  /** A fresh number: ids of deployments, tasks and network interfaces never repeat. */
  next(): number {
    return ++this.counter;
  }

  nextId(): string {
    return String(4_000_000_000_000_000_000n + BigInt(this.next()));
  }

  taskId(): string {
    return this.next().toString(16).padStart(32, 'a');
  }

  scenario(resource: string): EcsScenario {
    return this.context.scenarioFor(resource).definition;
  }
}
