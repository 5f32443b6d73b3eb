import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { InputError, parseImageReference, readTimeout, readWait, type InputReader } from '@deploy-suite/kit';
import {
  readEnvironmentUrl,
  readGitHubDeploymentInputs,
  type GitHubDeploymentInputs,
} from '@deploy-suite/kit';
import {
  ECS_NAME,
  ECS_NAME_RULE,
  imageProblem,
  MAX_DESIRED_COUNT,
  resourceReferenceProblem,
  secretReferenceProblem,
} from './ecs-limits';
import { appSpecProblem } from './appspec';
import {
  CONTAINER_OVERRIDE_INPUTS,
  readRenderOverrides,
  TASK_OVERRIDE_INPUTS,
  type RenderOverrides,
} from './render-overrides';
import { readRunTaskOptions, type RunTaskOptions } from './run-task-options';
import { readServiceVolume, VOLUME_INPUT, VOLUME_NAME_INPUT } from './ebs-volumes';
import type { ServiceVolumeConfiguration } from '@aws-sdk/client-ecs';

/** UpdateService.propagateTags (PropagateTags in the ECS API model). */
export const PROPAGATE_TAGS = ['TASK_DEFINITION', 'SERVICE', 'NONE'] as const;
/** The SDK's attempts per call, as aws-max-attempts bounds them in the kit. */
const MAX_ATTEMPTS = { min: 1, max: 20 };

export type RollbackTarget = { kind: 'previous' } | { kind: 'task-definition'; ref: string };

/** The codedeploy-* inputs, for a service whose deployment controller is CODE_DEPLOY. */
export interface CodeDeployInputs {
  /**
   * The AppSpec file, parsed; undefined to generate it from the service's load balancer. The
   * default appspec.yaml that cannot be used keeps its problem, raised only for a CODE_DEPLOY service.
   */
  appSpec:
    { path: string; document: Record<string, unknown> } | { path: string; problem: InputError } | undefined;
  application: string | undefined;
  deploymentGroup: string | undefined;
  deploymentConfig: string | undefined;
  description: string | undefined;
}

export interface Inputs {
  cluster: string;
  service: string | undefined;
  /** The parsed task definition file, or undefined to use the service's current one. */
  taskDefinition: { path: string; document: Record<string, unknown> } | undefined;
  containerNames: readonly string[];
  image: string | undefined;
  /** Images by container name, from `container=image` lines: several containers in one revision. */
  images: ReadonlyMap<string, string>;
  environment: ReadonlyMap<string, string>;
  secrets: ReadonlyMap<string, string>;
  /** Roles, log configuration, docker labels, command and environment files, at render time. */
  overrides: RenderOverrides;
  desiredCount: number | undefined;
  /** UpdateService.propagateTags; undefined leaves the service's setting as it is. */
  propagateTags: (typeof PROPAGATE_TAGS)[number] | undefined;
  /** UpdateService's and RunTask's enableECSManagedTags; undefined sends nothing. */
  enableEcsManagedTags: boolean | undefined;
  /** From max-retries (the deploy action of aws-actions' name): SDK attempts per call. Undefined: aws-max-attempts. */
  maxAttempts: number | undefined;
  /** UpdateService.volumeConfigurations (service-managed-ebs-volume*); undefined leaves the service's. */
  serviceVolume: ServiceVolumeConfiguration | undefined;
  forceNewDeployment: boolean;
  wait: boolean;
  timeoutMs: number;
  rollbackOnFailure: boolean;
  rollbackTo: RollbackTarget | undefined;
  runTask: RunTaskOptions | undefined;
  codeDeploy: CodeDeployInputs;
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
  const service = read.optional('service');
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
    for (const other of [
      'container-name',
      'image',
      'images',
      'environment-variables',
      'secrets',
      ...TASK_OVERRIDE_INPUTS,
      ...CONTAINER_OVERRIDE_INPUTS,
      VOLUME_NAME_INPUT,
      VOLUME_INPUT,
    ]) {
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
  if (image !== undefined) checkImage('image', image);
  const images = read.keyValues('images');
  for (const [container, ref] of images) {
    if (!ECS_NAME.test(container)) {
      throw new InputError('images', `has an invalid container name '${container}' (${ECS_NAME_RULE})`);
    }
    if (ref === '') throw new InputError('images', `needs an image for '${container}' (container=image)`);
    checkImage('images', ref, `has an image for '${container}' that `);
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
    const why = secretReferenceProblem(arn);
    if (why !== undefined) throw new InputError('secrets', `has for ${name}: ${why}`);
  }
  const cluster = read.string('cluster') || 'default';
  const clusterProblem = resourceReferenceProblem('cluster', cluster);
  if (clusterProblem !== undefined) throw new InputError('cluster', clusterProblem);
  const serviceProblem = service && resourceReferenceProblem('service', service);
  if (serviceProblem) throw new InputError('service', serviceProblem);
  const desiredCount = read.optionalInt('desired-count', { min: 0, max: MAX_DESIRED_COUNT });
  if (desiredCount !== undefined && service === undefined) {
    throw new InputError('desired-count', 'needs service: the service whose task count to set');
  }
  const runTask = read.bool('run-task') ? readRunTaskOptions(read) : undefined;
  const propagateTags = readPropagateTags(read.optional('propagate-tags'));
  if (propagateTags !== undefined && service === undefined) {
    throw new InputError('propagate-tags', 'needs service: it is a setting of the service (UpdateService)');
  }
  const enableEcsManagedTags =
    read.optional('enable-ecs-managed-tags') === undefined ? undefined : read.bool('enable-ecs-managed-tags');
  const serviceVolume = readServiceVolume(read);
  if (serviceVolume !== undefined && service === undefined) {
    throw new InputError(
      VOLUME_NAME_INPUT,
      'needs service: the volume is configured on the service (UpdateService)',
    );
  }
  return Object.freeze({
    cluster,
    service,
    taskDefinition:
      taskDefinitionPath === undefined ? undefined : readTaskDefinitionFile(read, taskDefinitionPath),
    containerNames: read.list('container-name'),
    image,
    images,
    environment,
    secrets,
    overrides: readRenderOverrides(read),
    desiredCount,
    propagateTags,
    enableEcsManagedTags,
    maxAttempts: read.optionalInt('max-retries', MAX_ATTEMPTS),
    serviceVolume,
    forceNewDeployment: read.bool('force-new-deployment'),
    wait: readWait(read),
    // Fractions of a minute are allowed down to 6 s, for short jobs and for tests.
    timeoutMs: readTimeout(read),
    rollbackOnFailure: read.bool('rollback-on-failure'),
    rollbackTo,
    runTask,
    codeDeploy: readCodeDeployInputs(read),
    region: read.optional('aws-region'),
    github: readGitHubDeploymentInputs(read, service ?? ''),
    environmentUrl: readEnvironmentUrl(read),
  });
}

function checkImage(input: string, image: string, prefix = ''): void {
  const ref = parseImageReference(image);
  if (typeof ref === 'string') throw new InputError(input, `${ref}; got '${image}'`);
  if (ref.tag === undefined && ref.digest === undefined) {
    throw new InputError(input, `must name a tag or a digest (repo:tag or repo@sha256:...); got '${image}'`);
  }
  const why = imageProblem(image);
  if (why !== undefined) throw new InputError(input, `${prefix}${why}`);
}

function readPropagateTags(value: string | undefined): Inputs['propagateTags'] {
  if (value === undefined) return undefined;
  const match = PROPAGATE_TAGS.find((v) => v === value.toUpperCase());
  if (match === undefined) {
    throw new InputError('propagate-tags', `must be one of ${PROPAGATE_TAGS.join(', ')}; got '${value}'`);
  }
  return match;
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

/** CodeDeploy names: 1-100 characters (ApplicationName, DeploymentGroupName, DeploymentConfigName). */
const CODEDEPLOY_NAME = /^[\w.+=,@/-]{1,100}$/;
/** The anchor's default AppSpec file, used when it exists and codedeploy-appspec is not given. */
const DEFAULT_APPSPEC = 'appspec.yaml';

function readCodeDeployInputs(read: InputReader): CodeDeployInputs {
  const name = (input: string): string | undefined => {
    const value = read.optional(input);
    if (value !== undefined && !CODEDEPLOY_NAME.test(value))
      throw new InputError(input, `must be 1-100 letters, digits and _ . + = , @ / -; got '${value}'`);
    return value;
  };
  const given = read.optional('codedeploy-appspec');
  // The default file matters only for a CODE_DEPLOY service: its problems wait until one is seen.
  let appSpec: CodeDeployInputs['appSpec'];
  if (given !== undefined) appSpec = readAppSpecFile(read, given);
  else if (defaultAppSpecExists(read)) {
    try {
      appSpec = readAppSpecFile(read, DEFAULT_APPSPEC);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      appSpec = { path: DEFAULT_APPSPEC, problem: err };
    }
  }
  return {
    appSpec,
    application: name('codedeploy-application'),
    deploymentGroup: name('codedeploy-deployment-group'),
    deploymentConfig: name('codedeploy-deployment-config'),
    description: read.optional('codedeploy-deployment-description'),
  };
}

/** Whether the workspace holds appspec.yaml (a file the reader would accept). */
function defaultAppSpecExists(read: InputReader): boolean {
  try {
    read.path('codedeploy-appspec', DEFAULT_APPSPEC, 'file');
    return true;
  } catch (err) {
    if (err instanceof InputError) return false;
    throw err;
  }
}

function readAppSpecFile(
  read: InputReader,
  value: string,
): { path: string; document: Record<string, unknown> } {
  const parsed = readStructuredFile(read, 'codedeploy-appspec', value, 'an AppSpec object');
  const why = appSpecProblem(parsed.document);
  if (why !== undefined) throw new InputError('codedeploy-appspec', `${why} ('${value}')`);
  return parsed;
}

/** Reads a JSON or YAML task definition; a syntax error names the line. */
export function readTaskDefinitionFile(
  read: InputReader,
  value: string,
): { path: string; document: Record<string, unknown> } {
  return readStructuredFile(read, 'task-definition', value, 'a task definition object');
}

function readStructuredFile(
  read: InputReader,
  input: string,
  value: string,
  what: string,
): { path: string; document: Record<string, unknown> } {
  const path = read.path(input, value, 'file');
  const doc = parseDocument(readFileSync(path, 'utf8'));
  const first = doc.errors[0];
  if (first !== undefined) {
    const line = first.linePos?.[0]?.line;
    throw new InputError(
      input,
      `is not valid JSON or YAML${line ? ` at line ${line}` : ''}: ${first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  const document: unknown = doc.toJS();
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new InputError(input, `must hold ${what}; '${value}' does not`);
  }
  return { path, document: document as Record<string, unknown> };
}
