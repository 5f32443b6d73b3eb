import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { InputError, parseImageReference, readTimeout, readWait, type InputReader } from '@deploy-suite/kit';
import { readGitHubDeploymentInputs, type GitHubDeploymentInputs } from '@deploy-suite/kit';
import { CLUSTER_ARN, ECS_NAME, SERVICE_ARN } from './names';

export const LAUNCH_TYPES = ['FARGATE', 'EC2', 'EXTERNAL'] as const;

export type RollbackTarget = { kind: 'previous' } | { kind: 'task-definition'; ref: string };

export interface Inputs {
  cluster: string;
  service: string | undefined;
  /** The parsed task definition file, or undefined to use the service's current one. */
  taskDefinition: { path: string; document: Record<string, unknown> } | undefined;
  containerNames: readonly string[];
  image: string | undefined;
  environment: ReadonlyMap<string, string>;
  secrets: ReadonlyMap<string, string>;
  desiredCount: number | undefined;
  forceNewDeployment: boolean;
  wait: boolean;
  timeoutMs: number;
  rollbackOnFailure: boolean;
  rollbackTo: RollbackTarget | undefined;
  runTask:
    | {
        subnets: readonly string[];
        securityGroups: readonly string[];
        launchType: (typeof LAUNCH_TYPES)[number];
      }
    | undefined;
  region: string | undefined;
  /** The GitHub deployment to record; by default under the service's name. */
  github: GitHubDeploymentInputs;
  /** Shown as the GitHub deployment's link once the service runs the new revision. */
  environmentUrl: string | undefined;
}

const TASK_DEFINITION_ARN =
  /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+$/;
const FAMILY_REVISION = /^[A-Za-z0-9_-]{1,255}:\d+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Every input, validated, before any call that changes AWS. */
export function readInputs(read: InputReader): Readonly<Inputs> {
  const cluster = ecsNameOrArn('cluster', read.string('cluster') || 'default', CLUSTER_ARN);
  const service = read.optional('service');
  if (service !== undefined) ecsNameOrArn('service', service, SERVICE_ARN);
  const taskDefinitionPath = read.optional('task-definition');
  const rollbackTo = readRollbackTarget(read.optional('rollback-to'));
  if (rollbackTo !== undefined) {
    if (taskDefinitionPath !== undefined) {
      throw new InputError(
        'rollback-to',
        'cannot be combined with task-definition: a rollback redeploys a revision as it was',
      );
    }
    if (service === undefined) throw new InputError('rollback-to', 'needs service: the service to roll back');
    // A rollback redeploys one revision exactly as it ran; anything that would change it is refused.
    for (const other of ['container-name', 'image', 'environment-variables', 'secrets']) {
      if (read.optional(other) !== undefined) {
        throw new InputError(
          'rollback-to',
          `cannot be combined with ${other}: a rollback redeploys a revision as it was`,
        );
      }
    }
    if (read.bool('run-task')) throw new InputError('rollback-to', 'cannot be combined with run-task');
  }
  if (taskDefinitionPath === undefined && service === undefined) {
    throw new InputError(
      'task-definition',
      "is required when no service is given (the service's current task definition is the template otherwise)",
    );
  }
  const image = read.optional('image');
  if (image !== undefined) {
    const ref = parseImageReference(image);
    if (typeof ref === 'string') throw new InputError('image', `${ref}; got '${image}'`);
    if (ref.tag === undefined && ref.digest === undefined) {
      throw new InputError(
        'image',
        `must name a tag or a digest (repo:tag or repo@sha256:...); got '${image}'`,
      );
    }
  }
  const environment = read.keyValues('environment-variables');
  for (const name of environment.keys()) {
    if (!ENV_NAME.test(name))
      throw new InputError('environment-variables', `has an invalid variable name '${name}'`);
  }
  const secrets = read.keyValues('secrets');
  for (const [name, arn] of secrets) {
    if (!ENV_NAME.test(name)) throw new InputError('secrets', `has an invalid variable name '${name}'`);
    if (arn === '')
      throw new InputError('secrets', `needs a Secrets Manager or SSM parameter ARN for '${name}'`);
  }
  const runTask = read.bool('run-task') ? readRunTask(read) : undefined;
  return Object.freeze({
    cluster,
    service,
    taskDefinition:
      taskDefinitionPath === undefined ? undefined : readTaskDefinitionFile(read, taskDefinitionPath),
    containerNames: read.list('container-name'),
    image,
    environment,
    secrets,
    desiredCount: read.optionalInt('desired-count', { min: 0 }),
    forceNewDeployment: read.bool('force-new-deployment'),
    wait: readWait(read),
    // Fractions of a minute are allowed down to 6 s, for short jobs and for tests.
    timeoutMs: readTimeout(read),
    rollbackOnFailure: read.bool('rollback-on-failure'),
    rollbackTo,
    runTask,
    region: read.optional('aws-region'),
    github: readGitHubDeploymentInputs(read, service ?? ''),
    environmentUrl: readEnvironmentUrl(read.optional('environment-url')),
  });
}

/** A cluster or service as ECS names it: a name by its rule, or the resource's ARN. */
function ecsNameOrArn(name: string, value: string, arn: RegExp): string {
  if (ECS_NAME.test(value) || arn.test(value)) return value;
  throw new InputError(
    name,
    `must be an ECS ${name} name (1-255 letters, digits, hyphens and underscores) or its ARN; got '${value}'`,
  );
}

function readEnvironmentUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const protocol = URL.canParse(value) ? new URL(value).protocol : '';
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new InputError('environment-url', `must be an http(s) URL; got '${value}'`);
  }
  return value;
}

function readRunTask(read: InputReader): NonNullable<Inputs['runTask']> {
  const launchType = read.oneOf('run-task-launch-type', LAUNCH_TYPES);
  const subnets = read.list('run-task-subnets');
  if (launchType === 'FARGATE' && subnets.length === 0) {
    throw new InputError(
      'run-task-subnets',
      'is required for run-task with the FARGATE launch type (awsvpc networking)',
    );
  }
  return { subnets, securityGroups: read.list('run-task-security-groups'), launchType };
}

function readRollbackTarget(value: string | undefined): RollbackTarget | undefined {
  if (value === undefined) return undefined;
  if (value === 'previous') return { kind: 'previous' };
  if (TASK_DEFINITION_ARN.test(value) || FAMILY_REVISION.test(value))
    return { kind: 'task-definition', ref: value };
  throw new InputError(
    'rollback-to',
    `must be previous, a task definition ARN, or family:revision; got '${value}'`,
  );
}

/** Reads a JSON or YAML task definition; a syntax error names the line. */
export function readTaskDefinitionFile(
  read: InputReader,
  value: string,
): { path: string; document: Record<string, unknown> } {
  const path = read.path('task-definition', value, 'file');
  const doc = parseDocument(readFileSync(path, 'utf8'));
  const first = doc.errors[0];
  if (first !== undefined) {
    const line = first.linePos?.[0]?.line;
    throw new InputError(
      'task-definition',
      `is not valid JSON or YAML${line ? ` at line ${line}` : ''}: ${first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  const document: unknown = doc.toJS();
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new InputError('task-definition', `must hold a task definition object; '${value}' does not`);
  }
  return { path, document: document as Record<string, unknown> };
}
