import { ServiceError } from '../../errors';
import type { ContainerRecord } from './rollout';
import type { TaskFailure } from './scenarios';
import { clusterName, type EcsStore, type Json, type TaskRecord } from './state';
import type { StoredTaskDefinition } from './task-definitions';
import { volumeConfigurations } from './volumes';

/** Tasks: the ones RunTask starts and the failed ones a rollout leaves behind. */

function fill(text: string, image: string): string {
  return text.split('{image}').join(image);
}

export function containersOf(store: EcsStore, taskDefinitionArn: string): ContainerRecord[] {
  const stored = store.taskDefinitions.find(taskDefinitionArn);
  const containers = stored.taskDefinition.containerDefinitions as Json[];
  return containers.map((c) => ({
    name: String(c.name),
    image: String(c.image),
    essential: c.essential !== false,
  }));
}

/** A task that started at `startedAt` and stopped at `at` with `failure` (its essential container's). */
export function failedTask(
  store: EcsStore,
  at: number,
  base: Omit<TaskRecord, 'containers' | 'arn'>,
  failure: TaskFailure,
  startedAt: number,
): TaskRecord {
  const containers = containersOf(store, base.taskDefinitionArn);
  const essential = containers.find((c) => c.essential) ?? containers[0];
  const image = essential?.image ?? '';
  const task: TaskRecord = {
    ...base,
    arn: `${base.clusterArn.replace(':cluster/', ':task/')}/${store.taskId()}`,
    createdAt: startedAt,
    stopAt: at,
    stopCode: failure.stopCode,
    stoppedReason: fill(failure.stoppedReason, image),
    containers: containers.map((c) =>
      c === essential
        ? {
            ...c,
            ...(failure.exitCode !== undefined && { exitCode: failure.exitCode }),
            ...(failure.containerReason !== undefined && { reason: fill(failure.containerReason, image) }),
          }
        : { ...c, ...(failure.exitCode !== undefined && { exitCode: 0 }) },
    ),
  };
  store.tasks.set(task.arn, task);
  return task;
}

/** The provider a single task lands on: the one with a base, else the first with the greatest weight. */
function placedOn(strategy: readonly Json[]): string | undefined {
  if (strategy.length === 0) return undefined;
  const withBase = strategy.find((i) => typeof i.base === 'number' && i.base > 0);
  const weight = (i: Json): number => (typeof i.weight === 'number' ? i.weight : 0);
  const chosen = withBase ?? strategy.reduce((best, i) => (weight(i) > weight(best) ? i : best));
  return String(chosen.capacityProvider);
}

/** An awsvpc task's network interface as DescribeTasks shows it: the details ECS lists, by name. */
function eniAttachment(store: EcsStore, subnetId: string): Json {
  const n = store.next();
  return {
    id: `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
    type: 'ElasticNetworkInterface',
    status: 'ATTACHED',
    details: [
      { name: 'subnetId', value: subnetId },
      { name: 'networkInterfaceId', value: `eni-${n.toString(16).padStart(17, '0')}` },
      { name: 'privateIPv4Address', value: `10.0.${(n >> 8) & 255}.${n & 255}` },
    ],
  };
}

/** RunTask's placement: the capacity provider the task lands on and the launch type that follows. */
function placement(input: Json): { provider: string | undefined; launchType: string } {
  const strategy = Array.isArray(input.capacityProviderStrategy)
    ? (input.capacityProviderStrategy as Json[])
    : [];
  if (strategy.length > 0 && input.launchType !== undefined) {
    // RunTask: "If a capacityProviderStrategy is specified, the launchType parameter must be omitted."
    throw new ServiceError(
      'InvalidParameterException',
      'Specifying both a launchType and capacityProviderStrategy is not supported.',
    );
  }
  const provider = placedOn(strategy);
  if (provider !== undefined)
    return { provider, launchType: provider.startsWith('FARGATE') ? 'FARGATE' : 'EC2' };
  return { provider, launchType: typeof input.launchType === 'string' ? input.launchType : 'EC2' };
}

type Overrides = { containerOverrides?: Json[] } | undefined;
type Network = { subnets?: unknown[] } | undefined;

/** RunTask's checks of overrides and network configuration against the task definition. */
function checkRunTask(
  store: EcsStore,
  stored: StoredTaskDefinition,
  overrides: Overrides,
  network: Network,
): void {
  const names = containersOf(store, stored.arn).map((c) => c.name);
  for (const override of overrides?.containerOverrides ?? []) {
    if (override.name !== undefined && !names.includes(String(override.name))) {
      throw new ServiceError(
        'InvalidParameterException',
        `Override for container named ${String(override.name)} is not a container in the TaskDefinition.`,
      );
    }
  }
  if (stored.taskDefinition.networkMode === 'awsvpc' && !network?.subnets?.length) {
    throw new ServiceError(
      'InvalidParameterException',
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
  }
}

/** What every task RunTask starts carries, whatever way it ends. */
function runTaskBase(store: EcsStore, input: Json, region: string, stored: StoredTaskDefinition) {
  const { provider, launchType } = placement(input);
  const network = (input.networkConfiguration as { awsvpcConfiguration?: Network } | undefined)
    ?.awsvpcConfiguration;
  const overrides = input.overrides as Overrides;
  checkRunTask(store, stored, overrides, network);
  volumeConfigurations(store, input, stored.arn);
  const cluster = clusterName(input.cluster);
  return {
    clusterArn: `arn:aws:ecs:${region}:${store.context.accountId}:cluster/${cluster}`,
    taskDefinitionArn: stored.arn,
    startedBy: typeof input.startedBy === 'string' ? input.startedBy : '',
    group: typeof input.group === 'string' ? input.group : `family:${stored.family}`,
    launchType,
    createdAt: store.now(),
    ...(provider !== undefined && { capacityProviderName: provider }),
    ...(overrides !== undefined && {
      overrides: {
        containerOverrides: overrides.containerOverrides ?? [],
        inferenceAcceleratorOverrides: [],
      },
    }),
    ...(network?.subnets?.length && { attachments: [eniAttachment(store, String(network.subnets[0]))] }),
    ...(Array.isArray(input.tags) && input.tags.length > 0 && { tags: input.tags as Json[] }),
  };
}

/** A task RunTask starts: it follows the scenario chosen for its family. */
export function runTask(store: EcsStore, input: Json, region: string): TaskRecord {
  const stored = store.taskDefinitions.find(input.taskDefinition);
  const base = runTaskBase(store, input, region, stored);
  const s = store.scenario(stored.family);
  const at = base.createdAt;
  if (s.failure !== undefined && s.rollout !== 'complete') {
    const task = failedTask(store, at + s.taskFailureSeconds * 1000, base, s.failure, at);
    if (s.rollout === 'never') delete task.stopAt;
    return task;
  }
  const task: TaskRecord = {
    ...base,
    arn: `${base.clusterArn.replace(':cluster/', ':task/')}/${store.taskId()}`,
    stopAt: at + s.rolloutSeconds * 1000,
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    containers: containersOf(store, stored.arn).map((c) => ({ ...c, exitCode: 0 })),
  };
  store.tasks.set(task.arn, task);
  return task;
}
