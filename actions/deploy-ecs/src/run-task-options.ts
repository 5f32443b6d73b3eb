/**
 * run-task's inputs, under the names of the deploy action of aws-actions: where the task runs
 * (launch type or capacity provider strategy, subnets, security groups, public IP), what it is
 * told (container overrides) and how it is labelled (startedBy, tags). JSON inputs are checked
 * against AWS's model of RunTask (run-task-model.generated.ts) before any AWS call.
 */
import type {
  CapacityProviderStrategyItem,
  ContainerOverride,
  Tag,
  TaskVolumeConfiguration,
} from '@aws-sdk/client-ecs';
import { clip, InputError, visible, type InputReader } from '@deploy-suite/kit';
import { readTaskVolume } from './ebs-volumes';
import { parseJsonInput } from './json-input';
import { MAX_SECURITY_GROUPS, MAX_SUBNETS, tagProblems } from './ecs-limits';
import { shapeProblems, type ShapeProblem } from './ecs-model';
import { RUN_TASK_MODEL } from './run-task-model.generated';

export const LAUNCH_TYPES = ['FARGATE', 'EC2', 'EXTERNAL'] as const;
export const ASSIGN_PUBLIC_IP = ['ENABLED', 'DISABLED'] as const;
export const DEFAULT_STARTED_BY = 'deploy-suite';

export interface RunTaskOptions {
  subnets: readonly string[];
  securityGroups: readonly string[];
  /** Absent with a capacity provider strategy: RunTask takes one or the other. */
  launchType: (typeof LAUNCH_TYPES)[number] | undefined;
  capacityProviderStrategy: readonly CapacityProviderStrategyItem[];
  /** Sent only with subnets (awsvpc networking). */
  assignPublicIp: (typeof ASSIGN_PUBLIC_IP)[number] | undefined;
  containerOverrides: readonly ContainerOverride[];
  startedBy: string;
  tags: readonly Tag[];
  /** RunTask.volumeConfigurations: the EBS volume of the task definition's volume configured at launch. */
  volume: TaskVolumeConfiguration | undefined;
}

/** "A total of 8192 characters are allowed for overrides", JSON included (RunTask.overrides in the model). */
export const MAX_OVERRIDE_CHARS = 8192;
/** "A capacity provider strategy can contain a maximum of 20 capacity providers" (the model). */
export const MAX_CAPACITY_PROVIDERS = 20;
/** "Up to 128 letters (uppercase and lowercase), numbers, hyphens (-), forward slash (/), and underscores (_)" (RunTask.startedBy). */
const STARTED_BY = /^[A-Za-z0-9/_-]{1,128}$/;
const FARGATE_PROVIDERS = new Set(['FARGATE', 'FARGATE_SPOT']);

export function readRunTaskOptions(read: InputReader): RunTaskOptions {
  const capacityProviderStrategy = readCapacityProviderStrategy(
    read.optional('run-task-capacity-provider-strategy'),
  );
  const launchType = readLaunchType(read, capacityProviderStrategy.length > 0);
  const subnets = read.list('run-task-subnets');
  const onFargate =
    launchType === 'FARGATE' ||
    capacityProviderStrategy.some((i) => FARGATE_PROVIDERS.has(i.capacityProvider ?? ''));
  if (onFargate && subnets.length === 0) {
    throw new InputError(
      'run-task-subnets',
      `is required for run-task with the ${launchType === 'FARGATE' ? 'FARGATE launch type' : 'FARGATE or FARGATE_SPOT capacity provider'} (awsvpc networking)`,
    );
  }
  const securityGroups = read.list('run-task-security-groups');
  checkIds('run-task-subnets', subnets, 'subnet', MAX_SUBNETS);
  checkIds('run-task-security-groups', securityGroups, 'sg', MAX_SECURITY_GROUPS);
  const assignPublicIp = read.optional('run-task-assign-public-IP')?.toUpperCase();
  if (assignPublicIp !== undefined && !ASSIGN_PUBLIC_IP.some((v) => v === assignPublicIp)) {
    throw new InputError('run-task-assign-public-IP', `must be ENABLED or DISABLED; got '${assignPublicIp}'`);
  }
  if (assignPublicIp === 'ENABLED' && subnets.length === 0) {
    throw new InputError(
      'run-task-assign-public-IP',
      'ENABLED needs run-task-subnets: a public IP is given to the task’s network interface (awsvpc)',
    );
  }
  const startedBy = read.optional('run-task-started-by') ?? DEFAULT_STARTED_BY;
  if (!STARTED_BY.test(startedBy)) {
    throw new InputError(
      'run-task-started-by',
      `takes up to 128 letters, numbers, hyphens, underscores and slashes; got '${startedBy}'`,
    );
  }
  return {
    subnets,
    securityGroups,
    launchType,
    capacityProviderStrategy,
    assignPublicIp: assignPublicIp as RunTaskOptions['assignPublicIp'],
    containerOverrides: readContainerOverrides(read.optional('run-task-container-overrides')),
    startedBy,
    tags: readTags(read.optional('run-task-tags')),
    volume: readTaskVolume(read),
  };
}

/** Launch type is optional: with a capacity provider strategy it must be left out (RunTask.launchType). */
function readLaunchType(read: InputReader, withStrategy: boolean): RunTaskOptions['launchType'] {
  const given = read.optional('run-task-launch-type');
  if (given === undefined) return withStrategy ? undefined : 'FARGATE';
  if (withStrategy) {
    throw new InputError(
      'run-task-launch-type',
      'cannot be combined with run-task-capacity-provider-strategy: RunTask takes one or the other',
    );
  }
  const match = LAUNCH_TYPES.find((t) => t === given.toUpperCase());
  if (match === undefined) {
    throw new InputError('run-task-launch-type', `must be one of ${LAUNCH_TYPES.join(', ')}; got '${given}'`);
  }
  return match;
}

/** VPC resource ids as EC2 gives them (subnet-0abc…, sg-0abc…), no more than the API takes. */
function checkIds(input: string, ids: readonly string[], prefix: string, max: number): void {
  if (ids.length > max) throw new InputError(input, `takes at most ${max}; got ${ids.length}`);
  const bad = ids.find((id) => !new RegExp(`^${prefix}-[0-9a-f]{8}(?:[0-9a-f]{9})?$`).test(id));
  if (bad !== undefined)
    throw new InputError(input, `must hold ${prefix}-… ids (${prefix}-0123456789abcdef0); got '${bad}'`);
}

function readContainerOverrides(value: string | undefined): ContainerOverride[] {
  if (value === undefined) return [];
  const overrides = parseJson('run-task-container-overrides', value, 'ContainerOverrides');
  const problems: ShapeProblem[] = [];
  overrides.forEach((override, i) => {
    // "If a non-empty container override is specified, the name parameter must be included" (ContainerOverride).
    if (Object.keys(override).length > 0 && typeof override.name !== 'string') {
      problems.push({ path: `[${i}].name`, why: 'is required: the container the override is for' });
    }
  });
  refuse('run-task-container-overrides', problems);
  const chars = JSON.stringify({ containerOverrides: overrides }).length;
  if (chars > MAX_OVERRIDE_CHARS) {
    throw new InputError(
      'run-task-container-overrides',
      `is ${chars} characters as JSON; RunTask takes at most ${MAX_OVERRIDE_CHARS} for overrides`,
    );
  }
  return overrides as unknown as ContainerOverride[];
}

function readCapacityProviderStrategy(value: string | undefined): CapacityProviderStrategyItem[] {
  if (value === undefined) return [];
  const items = parseJson('run-task-capacity-provider-strategy', value, 'CapacityProviderStrategy');
  const problems: ShapeProblem[] = [];
  if (items.length > MAX_CAPACITY_PROVIDERS) {
    problems.push({
      path: '(top level)',
      why: `has ${items.length} items; RunTask takes at most ${MAX_CAPACITY_PROVIDERS}`,
    });
  }
  // "Only one capacity provider in a strategy can have a base defined"; with several, "at least one
  // ... must have a weight value greater than zero" (CapacityProviderStrategyItem in the model).
  if (items.filter((i) => typeof i.base === 'number' && i.base > 0).length > 1) {
    problems.push({
      path: '(top level)',
      why: 'gives a base to more than one capacity provider; only one may have one',
    });
  }
  if (items.length > 1 && !items.some((i) => typeof i.weight === 'number' && i.weight > 0)) {
    problems.push({ path: '(top level)', why: 'needs a weight above 0 on at least one capacity provider' });
  }
  refuse('run-task-capacity-provider-strategy', problems);
  return items as unknown as CapacityProviderStrategyItem[];
}

function readTags(value: string | undefined): Tag[] {
  if (value === undefined) return [];
  const tags = parseJson('run-task-tags', value, 'Tags');
  refuse('run-task-tags', tagProblems(tags));
  return tags as unknown as Tag[];
}

/** A JSON list checked against a shape of the RunTask model; each problem named by its path. */
function parseJson(input: string, value: string, shape: string): Record<string, unknown>[] {
  const parsed = parseJsonInput(input, value);
  refuse(input, shapeProblems(RUN_TASK_MODEL, shape, parsed));
  return parsed as Record<string, unknown>[];
}

function refuse(input: string, problems: readonly ShapeProblem[]): void {
  if (problems.length === 0) return;
  const shown = problems.slice(0, 5).map((p) => visible(clip(`${p.path}: ${p.why}`, 200)));
  const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
  throw new InputError(input, `is not what ECS RunTask takes: ${shown.join('; ')}${more}`);
}

/** Containers the overrides name that the task definition does not have. */
export function unknownOverrideContainers(options: RunTaskOptions, containers: readonly string[]): string[] {
  return options.containerOverrides
    .map((o) => o.name)
    .filter((name): name is string => name !== undefined && !containers.includes(name));
}
