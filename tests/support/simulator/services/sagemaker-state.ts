import { ServiceError } from '../errors';
import type { RolloutPlan, RolloutSegment, SageMakerScenario } from './sagemaker-timing';

type Fields = Readonly<Record<string, unknown>>;

export interface ModelRecord {
  readonly name: string;
  readonly arn: string;
  readonly createdAt: number;
  readonly fields: Fields;
}

export interface EndpointConfigRecord {
  readonly name: string;
  readonly arn: string;
  readonly createdAt: number;
  readonly fields: Fields;
}

/** A creation or update in progress or finished; the endpoint reads its timeline at the current time. */
export interface Rollout {
  readonly startedAt: number;
  readonly scenario: string;
  readonly definition: SageMakerScenario;
  readonly plan: RolloutPlan;
  readonly configName: string;
  readonly previousConfigName?: string;
  readonly timeline: readonly RolloutSegment[];
}

export interface EndpointRecord {
  readonly name: string;
  readonly arn: string;
  readonly createdAt: number;
  /** The configuration the endpoint serves once no rollout is running. */
  configName: string;
  lastModifiedAt: number;
  deploymentConfig?: Fields;
  rollout: Rollout;
  /** Every rollout, oldest first, for the state control call and the log. */
  readonly history: Rollout[];
}

export interface SageMakerState {
  readonly models: Map<string, ModelRecord>;
  readonly configs: Map<string, EndpointConfigRecord>;
  readonly endpoints: Map<string, EndpointRecord>;
}

export function emptyState(): SageMakerState {
  return { models: new Map(), configs: new Map(), endpoints: new Map() };
}

// Name patterns from the botocore model (sagemaker/2017-07-24): EndpointName and EndpointConfigName
// `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`, ModelName `[a-zA-Z0-9]([\-a-zA-Z0-9]*[a-zA-Z0-9])?`, all at most 63.
const ENDPOINT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const MODEL_NAME = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

/** The ValidationException SageMaker answers when a name breaks the model's constraints. */
export function checkName(field: string, value: unknown, kind: 'endpoint' | 'model'): string {
  const pattern = kind === 'model' ? MODEL_NAME : ENDPOINT_NAME;
  if (typeof value !== 'string' || value.length > 63 || !pattern.test(value)) {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value '${String(value)}' at '${field[0]?.toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source.slice(1, -1)}`,
    );
  }
  return value;
}

export type ResourceKind = 'model' | 'endpoint-config' | 'endpoint';

const KIND_WORDS: Record<ResourceKind, string> = {
  model: 'model',
  'endpoint-config': 'endpoint configuration',
  endpoint: 'endpoint',
};

export function arnOf(kind: ResourceKind, name: string, region: string, accountId: string): string {
  // ARNs carry names in lower case (SageMaker's ARNs are case-insensitive and lower-cased).
  return `arn:aws:sagemaker:${region}:${accountId}:${kind}/${name.toLowerCase()}`;
}

/** `Could not find endpoint "arn:…".`: SageMaker's ValidationException for a name it does not hold. */
export function notFound(kind: ResourceKind, arn: string): ServiceError {
  return new ServiceError('ValidationException', `Could not find ${KIND_WORDS[kind]} "${arn}".`);
}

/** `Cannot create already existing endpoint "arn:…".` */
export function alreadyExists(kind: ResourceKind, arn: string): ServiceError {
  return new ServiceError(
    'ValidationException',
    `Cannot create already existing ${KIND_WORDS[kind]} "${arn}".`,
  );
}

/** UpdateEndpoint (or DeleteEndpoint) while a creation or update runs. */
export function inProgress(arn: string): ServiceError {
  return new ServiceError('ValidationException', `Cannot update in-progress endpoint "${arn}".`);
}

/**
 * ResourceLimitExceeded as AWS words it for instance quotas (quoted in public issue threads, e.g.
 * aws/amazon-sagemaker-examples#307, aws-samples/aws-genai-llm-chatbot#244).
 */
export function capacityExceeded(instanceType: string, delta: number): ServiceError {
  return new ServiceError(
    'ResourceLimitExceeded',
    `The account-level service limit '${instanceType} for endpoint usage' is 0 Instances, with current utilization of 0 Instances and a request delta of ${delta} Instances. Please use AWS Service Quotas to request an increase for this quota. If AWS Service Quotas is not available, contact AWS support to request an increase for this quota.`,
  );
}
