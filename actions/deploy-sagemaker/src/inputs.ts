import {
  InputError,
  readEnvironmentUrl,
  readGitHubDeploymentInputs,
  readKeepVersions,
  readTimeout,
  readWait,
  type GitHubDeploymentInputs,
  type InputReader,
} from '@deploy-suite/kit';
import { checkServerlessDeployment, readCapacity } from './serverless';
import { readSmokeTest, type SmokeTest } from './smoke-test';
import {
  NAME_PATTERN,
  parseStepSize,
  type DeploymentMode,
  type DeploymentSettings,
  type ModelSettings,
  type StepSize,
  type VariantSettings,
} from './plan';

export const DEPLOYMENTS: readonly DeploymentMode[] = ['all-at-once', 'canary', 'linear'];

export interface Inputs {
  endpointName: string;
  model: ModelSettings;
  variant: VariantSettings;
  deployment: DeploymentSettings;
  wait: boolean;
  timeoutMs: number;
  /** Follow SageMaker's rollback of a failed update until the previous configuration serves again. */
  rollbackOnFailure: boolean;
  /** keep-versions: the newest models and configurations of the endpoint kept; 0 keeps all. */
  keepVersions: number;
  /** The GitHub deployment to record; by default under the endpoint's name. */
  github: GitHubDeploymentInputs;
  /** Shown as the GitHub deployment's link on success (SageMaker has no URL of its own to give). */
  environmentUrl: string | undefined;
  /** `smoke-test-payload`: one InvokeEndpoint after InService on the new configuration. */
  smokeTest?: SmokeTest;
  region: string | undefined;
}

// Limits of the botocore model sagemaker/2017-07-24, shapes named in each comment.
/** RoleArn: `arn:aws[a-z\-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+`, 20 to 2048 characters. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
/** EnvironmentKey `[a-zA-Z_][a-zA-Z0-9_]*` (at most 1024), EnvironmentValue at most 1024, EnvironmentMap at most 100. */
const ENV_KEY = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const ENV_LIMITS = { entries: 100, characters: 1024 } as const;
/** Url: `(https|s3)://([^/]+)/?(.*)`, at most 1024; model data is an S3 object. */
const MODEL_DATA = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/\S+$/;

/** Every input, validated, before any call to AWS. */
export function readInputs(read: InputReader): Readonly<Inputs> {
  const endpointName = nameInput('endpoint-name', read.required('endpoint-name'));
  const model = readModel(read);
  const variant: VariantSettings = {
    variantName: nameInput('variant-name', read.optional('variant-name') ?? 'AllTraffic'),
    ...readCapacity(read),
  };
  const deployment = readDeploymentSettings(read);
  checkServerlessDeployment(variant, deployment);
  return Object.freeze({
    endpointName,
    model,
    variant,
    deployment,
    wait: readWait(read),
    timeoutMs: readTimeout(read),
    rollbackOnFailure: read.bool('rollback-on-failure'),
    keepVersions: readKeepVersions(read),
    github: readGitHubDeploymentInputs(read, endpointName),
    environmentUrl: readEnvironmentUrl(read),
    ...optionalSmokeTest(read),
    region: read.optional('aws-region'),
  });
}

/** `deployment` and its guardrails: how traffic moves to the new configuration (a deploy's or rollback-to's). */
export function readDeploymentSettings(read: InputReader): DeploymentSettings {
  const mode = read.oneOf('deployment', DEPLOYMENTS);
  return {
    mode,
    ...stepSize(read, 'canary-size', 'canarySize', mode === 'canary'),
    ...stepSize(read, 'linear-step-size', 'linearStepSize', mode === 'linear'),
    waitIntervalSeconds: read.int('wait-interval', { min: 0, max: 3600 }),
    bakeMinutes: read.int('bake-minutes', { min: 0, max: 60 }),
    alarms: read.list('alarms'),
  };
}

function readModel(read: InputReader): ModelSettings {
  const modelData = read.optional('model-data');
  return {
    image: read.required('image'),
    executionRoleArn: matching(
      'execution-role-arn',
      read.required('execution-role-arn'),
      ROLE_ARN,
      'an IAM role ARN (arn:aws:iam::<account>:role/<name>) SageMaker can assume',
    ),
    environment: readEnvironment(read),
    ...(modelData === undefined
      ? {}
      : { modelDataUrl: matching('model-data', modelData, MODEL_DATA, 'an S3 URI, s3://<bucket>/<key>') }),
  };
}

function readEnvironment(read: InputReader): Record<string, string> {
  const pairs = read.keyValues('environment-variables');
  if (pairs.size > ENV_LIMITS.entries)
    throw new InputError(
      'environment-variables',
      `takes at most ${ENV_LIMITS.entries} variables; got ${pairs.size}`,
    );
  for (const [key, value] of pairs) {
    if (!ENV_KEY.test(key) || key.length > ENV_LIMITS.characters)
      throw new InputError(
        'environment-variables',
        `names variables with letters, digits and _ (not starting with a digit), at most ${ENV_LIMITS.characters} characters; got '${key}'`,
      );
    if (value.length > ENV_LIMITS.characters)
      throw new InputError(
        'environment-variables',
        `takes values of at most ${ENV_LIMITS.characters} characters; ${key}'s is ${value.length}`,
      );
  }
  return Object.fromEntries(pairs);
}

const NAME_RULE = '1 to 63 letters, digits and hyphens, starting and ending with a letter or digit';

export function nameInput(input: string, value: string): string {
  if (value.length > 63) throw new InputError(input, `must be ${NAME_RULE}; got ${value.length} characters`);
  return matching(input, value, NAME_PATTERN, NAME_RULE);
}

function matching(input: string, value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value)) throw new InputError(input, `must be ${what}; got '${value}'`);
  return value;
}

/** A step size is read only for the deployment that uses it; given for another, it is refused. */
function stepSize<K extends 'canarySize' | 'linearStepSize'>(
  read: InputReader,
  input: string,
  key: K,
  used: boolean,
): Partial<Record<K, StepSize>> {
  const value = read.optional(input);
  if (value === undefined) return {};
  if (!used)
    throw new InputError(
      input,
      `applies only to deployment: ${input === 'canary-size' ? 'canary' : 'linear'}`,
    );
  return { [key]: parseStepSize(input, value) } as Partial<Record<K, StepSize>>;
}

function optionalSmokeTest(read: InputReader): { smokeTest?: SmokeTest } {
  const smokeTest = readSmokeTest(read);
  return smokeTest === undefined ? {} : { smokeTest };
}
