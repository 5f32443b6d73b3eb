/**
 * The render-time overrides of the task definition, under the names the render action of
 * aws-actions gives them (task-role-arn, execution-role-arn, log-configuration-log-driver,
 * log-configuration-options, docker-labels, command, env-files): read and checked before any AWS
 * call, then applied to the task (roles) and to the named containers (the rest).
 */
import { InputError, type InputReader } from '@deploy-suite/kit';
import { isObject } from './ecs-model';
import { REGISTER_TASK_DEFINITION_MODEL as MODEL } from './register-task-definition-model.generated';

type Json = Record<string, unknown>;

export interface RenderOverrides {
  taskRoleArn: string | undefined;
  executionRoleArn: string | undefined;
  logDriver: string | undefined;
  /** Merged by name into logConfiguration.options. */
  logOptions: ReadonlyMap<string, string>;
  /** Merged by name into dockerLabels; empty values are kept (Docker takes a label without a value). */
  dockerLabels: ReadonlyMap<string, string>;
  command: readonly string[] | undefined;
  /** S3 object ARNs; they replace the container's environmentFiles. */
  envFiles: readonly string[];
}

export const NO_RENDER_OVERRIDES: RenderOverrides = Object.freeze({
  taskRoleArn: undefined,
  executionRoleArn: undefined,
  logDriver: undefined,
  logOptions: new Map(),
  dockerLabels: new Map(),
  command: undefined,
  envFiles: [],
});

/** The inputs that change the task (the rest change containers). */
export const TASK_OVERRIDE_INPUTS = ['task-role-arn', 'execution-role-arn'] as const;
export const CONTAINER_OVERRIDE_INPUTS = [
  'log-configuration-log-driver',
  'log-configuration-options',
  'docker-labels',
  'command',
  'env-files',
] as const;

/**
 * An IAM role ARN: partition, 12-digit account, an optional path (`/` … `/`, printable ASCII) and a
 * role name of up to 64 of `A-Za-z0-9+=,.@_-` (IAM API reference: Role.Path, Role.RoleName).
 */
export const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/;

/**
 * An S3 object ARN (`arn:aws:s3:::bucket/key`, bucket names of 3–63 lower-case letters, digits,
 * dots and hyphens) whose key ends `.env`: "The file must have a .env file extension"
 * (EnvironmentFile in the ECS API model).
 */
const S3_ENV_FILE_ARN = /^arn:aws(?:-[a-z]+)*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/\S*\.env$/;

/** "You can specify up to ten environment files" (ContainerDefinition.environmentFiles in the model). */
export const MAX_ENV_FILES = 10;

const LOG_DRIVERS: readonly string[] = (() => {
  const shape = MODEL.shapes.LogDriver;
  return shape?.type === 'string' ? (shape.enum ?? []) : [];
})();

export function readRenderOverrides(read: InputReader): RenderOverrides {
  return Object.freeze({
    taskRoleArn: roleArn('task-role-arn', read.optional('task-role-arn')),
    executionRoleArn: roleArn('execution-role-arn', read.optional('execution-role-arn')),
    logDriver: logDriver(read.optional('log-configuration-log-driver')),
    logOptions: read.keyValues('log-configuration-options'),
    dockerLabels: read.keyValues('docker-labels'),
    command: parseCommand(read.optional('command')),
    envFiles: envFiles(read.lines('env-files')),
  });
}

function roleArn(input: string, value: string | undefined): string | undefined {
  if (value === undefined || ROLE_ARN.test(value)) return value;
  throw new InputError(input, `must be an IAM role ARN (arn:aws:iam::<account>:role/<name>); got '${value}'`);
}

function logDriver(value: string | undefined): string | undefined {
  if (value === undefined || LOG_DRIVERS.includes(value)) return value;
  throw new InputError(
    'log-configuration-log-driver',
    `must be one of ${LOG_DRIVERS.join(', ')} (LogConfiguration.logDriver in the ECS API model); got '${value}'`,
  );
}

/**
 * A JSON list of strings, taken as it is (arguments with spaces); otherwise split at whitespace,
 * as the render action of aws-actions splits it, quotes not interpreted.
 */
export function parseCommand(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  if (value.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((a) => typeof a === 'string')) {
      throw new InputError(
        'command',
        'must be a JSON list of strings when it starts with [, e.g. ["python","score.py"]',
      );
    }
    return parsed as string[];
  }
  return value.split(/\s+/).filter((part) => part !== '');
}

function envFiles(arns: readonly string[]): string[] {
  if (arns.length > MAX_ENV_FILES) {
    throw new InputError('env-files', `takes at most ${MAX_ENV_FILES} files; got ${arns.length}`);
  }
  const bad = arns.find((arn) => !S3_ENV_FILE_ARN.test(arn));
  if (bad !== undefined) {
    throw new InputError(
      'env-files',
      `must hold S3 object ARNs of .env files, one a line (arn:aws:s3:::bucket/path/app.env); got '${bad}'`,
    );
  }
  return [...arns];
}

/** True when an override changes containers (so the containers to change must be known). */
export function changesContainers(o: RenderOverrides): boolean {
  return (
    o.logDriver !== undefined ||
    o.logOptions.size > 0 ||
    o.dockerLabels.size > 0 ||
    o.command !== undefined ||
    o.envFiles.length > 0
  );
}

/** The task-level overrides: the task's and the execution role. */
export function applyTaskOverrides(task: Json, o: RenderOverrides): Json {
  return {
    ...task,
    ...(o.taskRoleArn !== undefined && { taskRoleArn: o.taskRoleArn }),
    ...(o.executionRoleArn !== undefined && { executionRoleArn: o.executionRoleArn }),
  };
}

/** The container-level overrides on one container. */
export function applyContainerOverrides(container: Json, o: RenderOverrides): Json {
  const next: Json = { ...container };
  if (o.logDriver !== undefined || o.logOptions.size > 0) {
    const log = isObject(container.logConfiguration) ? container.logConfiguration : {};
    const driver = o.logDriver ?? log.logDriver;
    if (driver === undefined) {
      throw new InputError(
        'log-configuration-options',
        `needs log-configuration-log-driver: container '${String(container.name)}' has no logConfiguration to add options to`,
      );
    }
    const options = { ...(isObject(log.options) ? log.options : {}), ...Object.fromEntries(o.logOptions) };
    next.logConfiguration = {
      ...log,
      logDriver: driver,
      ...(Object.keys(options).length > 0 && { options }),
    };
  }
  if (o.dockerLabels.size > 0) {
    const labels = isObject(container.dockerLabels) ? container.dockerLabels : {};
    next.dockerLabels = { ...labels, ...Object.fromEntries(o.dockerLabels) };
  }
  if (o.command !== undefined) next.command = [...o.command];
  if (o.envFiles.length > 0) next.environmentFiles = o.envFiles.map((value) => ({ value, type: 's3' }));
  return next;
}

/** Roughly what the overrides add, in bytes: enough to tell whether the template alone is over the limit. */
export function overrideBytes(o: RenderOverrides): number {
  const strings = [
    ...[...o.logOptions, ...o.dockerLabels].flat(),
    ...(o.command ?? []),
    ...o.envFiles,
    o.taskRoleArn ?? '',
    o.executionRoleArn ?? '',
  ];
  return strings.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
}
