import { createHash } from 'node:crypto';
import { InputError, parseImageReference } from '@deploy-suite/kit';
import { carriesIntoConfig, carriesIntoModel, NOTHING_CARRIED, type Carried } from './carry';
import { shownText } from './text';
import type {
  DeploymentConfig,
  DescribeEndpointOutput,
  TrafficRoutingConfig,
} from '@aws-sdk/client-sagemaker';

/**
 * What deploy-sagemaker will do, decided before any call that changes AWS. Pure: no AWS calls;
 * the effects (CreateModel, CreateEndpointConfig, CreateEndpoint/UpdateEndpoint) come later.
 */

// Limits of the botocore model sagemaker/2017-07-24 (shapes named in each comment).
const LIMITS = {
  /** EndpointName, EndpointConfigName, ModelName, VariantName: at most 63 characters. */
  name: 63,
  /** WaitIntervalInSeconds and TerminationWaitInSeconds: 0 to 3600. */
  waitSeconds: 3600,
  /** MaximumExecutionTimeoutInSeconds: 600 to 28800. */
  executionSeconds: { min: 600, max: 28800 },
  /** AlarmList: 1 to 10 alarms; AlarmName 1 to 255 characters, not blank (`^(?!\s*$).+`). */
  alarms: 10,
  alarmName: 255,
} as const;

/** EndpointName / EndpointConfigName / VariantName pattern; ModelName's is the same set of names. */
export const NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

export type DeploymentMode = 'all-at-once' | 'canary' | 'linear';

/** A canary or linear step: a share of the new fleet (`25%`) or a number of instances (`1`). */
export interface StepSize {
  readonly unit: 'percent' | 'instances';
  readonly value: number;
}

export interface VariantSettings {
  readonly variantName: string;
  readonly instanceType?: string;
  readonly instanceCount?: number;
  /** A serverless variant (ServerlessConfig) instead of instances. */
  readonly serverless?: {
    readonly memorySizeInMB: number;
    readonly maxConcurrency: number;
    readonly provisionedConcurrency?: number;
  };
}

export interface ModelSettings {
  /** The image by digest (`registry/repo@sha256:…`); deploys are by digest. */
  readonly image: string;
  readonly executionRoleArn: string;
  readonly environment: Readonly<Record<string, string>>;
  /** `model-data`: the S3 URI of the model artifacts (ModelDataUrl), when the image does not hold them. */
  readonly modelDataUrl?: string;
}

export interface DeploymentSettings {
  readonly mode: DeploymentMode;
  readonly canarySize?: StepSize;
  readonly linearStepSize?: StepSize;
  /** Bake after each canary or linear step (and after all-at-once's single shift). */
  readonly waitIntervalSeconds: number;
  /** `bake-minutes`: how long the fully shifted new fleet is watched before the old one goes. */
  readonly bakeMinutes: number;
  readonly alarms: readonly string[];
  readonly maximumExecutionSeconds?: number;
}

/** `25%` or `2`: the `canary-size`/`linear-step-size` inputs. */
export function parseStepSize(input: string, value: string): StepSize {
  const match = /^\s*(\d+)\s*(%?)\s*$/.exec(value);
  const amount = Number(match?.[1]);
  if (!match || amount < 1 || (match[2] === '%' && amount > 100)) {
    throw new InputError(
      input,
      `must be a percentage of the new fleet (1% to 100%) or a number of instances (1 or more); got '${value}'`,
    );
  }
  return { unit: match[2] === '%' ? 'percent' : 'instances', value: amount };
}

/** A short, stable hash of settings: canonical JSON (keys sorted), SHA-256, 8 hex digits. */
export function settingsHash(value: unknown): string {
  const canonical = JSON.stringify(value, (_key, member: unknown) =>
    member && typeof member === 'object' && !Array.isArray(member)
      ? Object.fromEntries(
          Object.entries(member as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : member,
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 8);
}

/** The image's digest, 12 hex digits; an image without a digest is refused (deploy by digest). */
function shortDigest(image: string): string {
  const reference = parseImageReference(image);
  if (typeof reference === 'string') throw new InputError('image', reference);
  if (!reference.digest) {
    throw new InputError(
      'image',
      `must name the image by digest (repository@sha256:…), as build-push outputs it; got '${image}'`,
    );
  }
  return reference.digest.slice('sha256:'.length, 'sha256:'.length + NAME_DIGITS.digest);
}

/**
 * Names of the model and endpoint configuration for a deploy: `<endpoint>-<digest12>-<hash8>`.
 * Models and endpoint configurations cannot be changed once created, so each name changes with
 * what it holds: the model's hash covers image, role and environment; the configuration's covers
 * the model name and the variant settings. The endpoint name is cut to fit 63 characters, and the
 * result matches the EndpointConfigName/ModelName patterns (alphanumerics and single hyphens).
 */
export function resourceNames(
  endpointName: string,
  model: ModelSettings,
  variant: VariantSettings,
  carried: Carried = NOTHING_CARRIED,
): { readonly modelName: string; readonly endpointConfigName: string } {
  if (!NAME_PATTERN.test(endpointName) || endpointName.length > LIMITS.name) {
    throw new InputError(
      'endpoint-name',
      `must be 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit; got '${endpointName}'`,
    );
  }
  const digest = shortDigest(model.image);
  const base = resourceNameBase(endpointName);
  // What is carried over enters the hash only when there is some, so that the names of an endpoint
  // the action made alone stay what they were: a re-run is idempotent, a changed setting renames.
  const modelContent = carriesIntoModel(carried)
    ? { ...model, carried: { model: carried.model, container: carried.container } }
    : model;
  const modelName = `${base}-${digest}-${settingsHash(modelContent)}`;
  const configContent = carriesIntoConfig(carried)
    ? {
        modelName,
        variant,
        carried: { config: carried.config, variant: carried.variant, variants: carried.variants },
      }
    : { modelName, variant };
  return { modelName, endpointConfigName: `${base}-${digest}-${settingsHash(configContent)}` };
}

/** Hex digits of the digest and of the settings hash in every name resourceNames makes. */
export const NAME_DIGITS = { digest: 12, hash: 8 } as const;

/**
 * The endpoint name as it begins the names of its models and configurations: cut so that
 * `-<digest12>-<hash8>` fits in 63 characters, without a trailing hyphen.
 */
export function resourceNameBase(endpointName: string): string {
  const room = LIMITS.name - (1 + NAME_DIGITS.digest + 1 + NAME_DIGITS.hash);
  return endpointName.slice(0, room).replace(/-+$/, '');
}

function checkSeconds(input: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError(input, `must be a whole number of seconds from ${min} to ${max}; got ${value}`);
  }
  return value;
}

/** A step as CapacitySize, within the guardrail rules of AWS's developer guide. */
function capacitySize(input: string, size: StepSize | undefined, maxPercent: number, minPercent: number) {
  if (!size) throw new InputError(input, 'is required for this deployment');
  if (size.unit === 'percent' && (size.value < minPercent || size.value > maxPercent)) {
    throw new InputError(
      input,
      `must be from ${minPercent}% to ${maxPercent}% of the new fleet; got ${size.value}%`,
    );
  }
  return {
    Type: size.unit === 'percent' ? 'CAPACITY_PERCENT' : 'INSTANCE_COUNT',
    Value: size.value,
  } as const;
}

/**
 * UpdateEndpoint's DeploymentConfig for `deployment` ("Blue/Green Deployments" in the SageMaker
 * developer guide): all-at-once, canary (the canary at most 50% of the new fleet) or linear (steps
 * of 10% to 50%), each step baking `WaitIntervalInSeconds`; `bake-minutes` becomes
 * TerminationWaitInSeconds (the old fleet is kept that long after the last shift); alarms become
 * AutoRollbackConfiguration, without which nothing rolls back during a bake.
 */
export function deploymentConfig(settings: DeploymentSettings): DeploymentConfig {
  const wait = checkSeconds('wait-interval', settings.waitIntervalSeconds, 0, LIMITS.waitSeconds);
  const termination = checkSeconds('bake-minutes', settings.bakeMinutes * 60, 0, LIMITS.waitSeconds);
  const routing: TrafficRoutingConfig =
    settings.mode === 'canary'
      ? {
          Type: 'CANARY',
          WaitIntervalInSeconds: wait,
          CanarySize: capacitySize('canary-size', settings.canarySize, 50, 1),
        }
      : settings.mode === 'linear'
        ? {
            Type: 'LINEAR',
            WaitIntervalInSeconds: wait,
            LinearStepSize: capacitySize('linear-step-size', settings.linearStepSize, 50, 10),
          }
        : { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: wait };
  const limit = settings.maximumExecutionSeconds;
  const { min, max } = LIMITS.executionSeconds;
  return {
    BlueGreenUpdatePolicy: {
      TrafficRoutingConfiguration: routing,
      TerminationWaitInSeconds: termination,
      ...(limit === undefined
        ? {}
        : { MaximumExecutionTimeoutInSeconds: checkSeconds('timeout', limit, min, max) }),
    },
    ...(settings.alarms.length > 0
      ? { AutoRollbackConfiguration: { Alarms: alarmList(settings.alarms) } }
      : {}),
  };
}

/**
 * CloudWatch's AlarmName "must contain only UTF-8 characters, and can't contain ASCII control
 * characters" (CloudWatch API Reference, PutMetricAlarm): SageMaker would refuse such a name only
 * at UpdateEndpoint, after the model and configuration exist.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

function alarmList(alarms: readonly string[]): { AlarmName: string }[] {
  if (alarms.length > LIMITS.alarms)
    throw new InputError('alarms', `takes at most ${LIMITS.alarms} alarms; got ${alarms.length}`);
  const bad = alarms.find(
    (name) => name.trim() === '' || name.length > LIMITS.alarmName || CONTROL_CHARACTER.test(name),
  );
  if (bad !== undefined)
    throw new InputError(
      'alarms',
      `names alarms of 1 to ${LIMITS.alarmName} characters, not blank and without control characters; got '${shownText(bad, 100)}'`,
    );
  return alarms.map((AlarmName) => ({ AlarmName }));
}

export type EndpointAction =
  /** No endpoint of that name: CreateEndpoint. */
  | { readonly kind: 'create' }
  /** InService on another configuration: UpdateEndpoint with the DeploymentConfig. */
  | { readonly kind: 'update'; readonly from: string }
  /** Already InService on this configuration: nothing to change. */
  | { readonly kind: 'nothing' }
  /** A creation or update of this very configuration is running (a re-run): follow it. */
  | { readonly kind: 'follow'; readonly status: string }
  /** Another change is running; SageMaker refuses updates until it ends: wait, then decide again. */
  | { readonly kind: 'wait'; readonly status: string }
  /** The endpoint cannot be updated (Failed, UpdateRollbackFailed, Deleting, OutOfService). */
  | { readonly kind: 'blocked'; readonly status: string; readonly reason: string };

const RUNNING = new Set(['Creating', 'Updating', 'SystemUpdating', 'RollingBack']);

/**
 * Create, update, or nothing, from a DescribeEndpoint answer (undefined: the endpoint does not
 * exist). Statuses as the API reference's EndpointStatus defines them: a Failed endpoint can only
 * be deleted; while Creating, Updating, SystemUpdating or RollingBack, UpdateEndpoint is refused.
 */
export function endpointAction(
  endpoint:
    | Pick<
        DescribeEndpointOutput,
        'EndpointStatus' | 'EndpointConfigName' | 'PendingDeploymentSummary' | 'FailureReason'
      >
    | undefined,
  endpointConfigName: string,
): EndpointAction {
  if (!endpoint) return { kind: 'create' };
  const status = endpoint.EndpointStatus ?? 'unknown';
  if (RUNNING.has(status)) {
    const target =
      endpoint.PendingDeploymentSummary?.EndpointConfigName ??
      (status === 'Creating' ? endpoint.EndpointConfigName : undefined);
    return target === endpointConfigName && status !== 'RollingBack'
      ? { kind: 'follow', status }
      : { kind: 'wait', status };
  }
  if (status === 'InService') {
    return endpoint.EndpointConfigName === endpointConfigName
      ? { kind: 'nothing' }
      : { kind: 'update', from: endpoint.EndpointConfigName ?? '' };
  }
  const reason =
    status === 'Failed'
      ? `the endpoint is Failed (${endpoint.FailureReason ?? 'no reason given'}); SageMaker allows only DeleteEndpoint on it`
      : `the endpoint is ${status}; it cannot be updated in that state`;
  return { kind: 'blocked', status, reason };
}
