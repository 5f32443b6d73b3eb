import { ServiceError } from '../errors';
import type {
  EndpointConfigRecord,
  EndpointRecord,
  ModelRecord,
  Rollout,
  SageMakerState,
} from './sagemaker-state';
import { type RolloutSegment, segmentAt } from './sagemaker-timing';

type Fields = Readonly<Record<string, unknown>>;
type Variant = Readonly<Record<string, unknown>>;

/** Where a rollout is now, `now` in epoch milliseconds. */
export function segmentNow(rollout: Rollout, now: number): RolloutSegment {
  return segmentAt(rollout.timeline, (now - rollout.startedAt) / 1000);
}

/** A rollout whose segment now is terminal (InService or Failed) has finished. */
export function finished(segment: RolloutSegment): boolean {
  return segment.deployed !== undefined;
}

/**
 * Brings an endpoint up to `now`: a finished rollout that deployed makes its configuration the
 * endpoint's. Reads call this first, so state is derived from virtual time, never from timers.
 */
export function settle(endpoint: EndpointRecord, now: number): RolloutSegment {
  const segment = segmentNow(endpoint.rollout, now);
  if (segment.deployed === true && endpoint.configName !== endpoint.rollout.configName) {
    endpoint.configName = endpoint.rollout.configName;
    endpoint.lastModifiedAt = endpoint.rollout.startedAt + segment.from * 1000;
  }
  return segment;
}

function variantsOf(config: EndpointConfigRecord | undefined): Variant[] {
  return (config?.fields['ProductionVariants'] as Variant[] | undefined) ?? [];
}

function deployedImages(state: SageMakerState, variant: Variant, at: number): object[] {
  const model = state.models.get(String(variant['ModelName']));
  const container = (model?.fields['PrimaryContainer'] ??
    (model?.fields['Containers'] as Fields[] | undefined)?.[0]) as Fields | undefined;
  const image = container?.['Image'];
  if (typeof image !== 'string') return [];
  // A digest reference resolves to itself; a tag is shown as given (the simulator has no registry to ask).
  return [{ SpecifiedImage: image, ResolvedImage: image, ResolutionTime: new Date(at) }];
}

/** A ProductionVariantSummary (or PendingProductionVariantSummary) of one variant of a configuration. */
function variantSummary(
  state: SageMakerState,
  variant: Variant,
  at: number,
  running: boolean,
): Record<string, unknown> {
  const weight = Number(variant['InitialVariantWeight'] ?? 1);
  const serverless = variant['ServerlessConfig'] as Fields | undefined;
  const count = serverless ? undefined : Number(variant['InitialInstanceCount'] ?? 1);
  return {
    VariantName: variant['VariantName'],
    DeployedImages: deployedImages(state, variant, at),
    CurrentWeight: weight,
    DesiredWeight: weight,
    ...(count === undefined
      ? {}
      : { CurrentInstanceCount: running ? 0 : count, DesiredInstanceCount: count }),
    ...(serverless ? { CurrentServerlessConfig: serverless, DesiredServerlessConfig: serverless } : {}),
  };
}

function pendingSummary(state: SageMakerState, rollout: Rollout, segment: RolloutSegment): object {
  const config = state.configs.get(rollout.configName);
  const status = segment.status === 'RollingBack' ? 'Deleting' : (segment.variantStatus ?? 'Creating');
  const message =
    segment.status === 'RollingBack'
      ? segment.failureReason
      : `${segment.trafficPercent ?? 0}% of traffic on the new fleet`;
  return {
    EndpointConfigName: rollout.configName,
    StartTime: new Date(rollout.startedAt),
    ProductionVariants: variantsOf(config).map((variant) => ({
      ...variantSummary(state, variant, rollout.startedAt, true),
      ...(variant['InstanceType'] ? { InstanceType: variant['InstanceType'] } : {}),
      VariantStatus: [
        {
          Status: status,
          StatusMessage: message,
          StartTime: new Date(rollout.startedAt + segment.from * 1000),
        },
      ],
    })),
  };
}

/** DescribeEndpoint's answer at `now`. */
export function describeEndpoint(state: SageMakerState, endpoint: EndpointRecord, now: number): object {
  const segment = settle(endpoint, now);
  const { rollout } = endpoint;
  const creating =
    segment.status === 'Creating' || (rollout.plan.kind === 'create' && segment.status === 'Failed');
  const running = !finished(segment);
  const config = state.configs.get(endpoint.configName);
  return {
    EndpointName: endpoint.name,
    EndpointArn: endpoint.arn,
    EndpointConfigName: endpoint.configName,
    ProductionVariants: variantsOf(config).map((variant) => ({
      ...variantSummary(state, variant, endpoint.lastModifiedAt, creating),
      ...(creating && running
        ? { VariantStatus: [{ Status: 'Creating', StartTime: new Date(rollout.startedAt) }] }
        : {}),
    })),
    EndpointStatus: segment.status,
    ...(segment.failureReason ? { FailureReason: segment.failureReason } : {}),
    CreationTime: new Date(endpoint.createdAt),
    LastModifiedTime: new Date(endpoint.lastModifiedAt),
    ...(endpoint.deploymentConfig ? { LastDeploymentConfig: endpoint.deploymentConfig } : {}),
    ...(running && rollout.plan.kind === 'update'
      ? { PendingDeploymentSummary: pendingSummary(state, rollout, segment) }
      : {}),
  };
}

export function describeModel(model: ModelRecord): object {
  return {
    ...model.fields,
    ModelName: model.name,
    ModelArn: model.arn,
    CreationTime: new Date(model.createdAt),
  };
}

export function describeEndpointConfig(config: EndpointConfigRecord): object {
  return {
    ...config.fields,
    EndpointConfigName: config.name,
    EndpointConfigArn: config.arn,
    CreationTime: new Date(config.createdAt),
  };
}

interface Listed {
  readonly name: string;
  readonly createdAt: number;
  /** EndpointStatus, for ListEndpoints' SortBy Status and StatusEquals. */
  readonly status?: string;
}

/** The ValidationException of a List* parameter outside the botocore model's constraints. */
function invalidParameter(value: unknown, field: string, constraint: string): ServiceError {
  return new ServiceError(
    'ValidationException',
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

/** MaxResults 1 to 100 and NameContains `[a-zA-Z0-9-]+` of at most 63 (botocore sagemaker/2017-07-24). */
function checkListInput(input: Fields): void {
  const max = input['MaxResults'];
  if (max !== undefined && (Number(max) < 1 || Number(max) > 100))
    throw invalidParameter(
      max,
      'maxResults',
      `Member must have value ${Number(max) < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`,
    );
  const contains = input['NameContains'];
  if (
    contains !== undefined &&
    (typeof contains !== 'string' || contains.length > 63 || !/^[a-zA-Z0-9-]*$/.test(contains))
  )
    throw invalidParameter(
      contains,
      'nameContains',
      'Member must satisfy regular expression pattern: [a-zA-Z0-9-]+',
    );
}

/** Creation-time filters, epoch seconds on the wire (JSON protocol timestamps). */
function createdWithin(input: Fields, item: Listed): boolean {
  const before = input['CreationTimeBefore'];
  const after = input['CreationTimeAfter'];
  return (
    (before === undefined || item.createdAt < Number(before) * 1000) &&
    (after === undefined || item.createdAt >= Number(after) * 1000)
  );
}

function compare(by: unknown): (a: Listed, b: Listed) => number {
  if (by === 'Name') return (a, b) => a.name.localeCompare(b.name);
  if (by === 'Status') return (a, b) => (a.status ?? '').localeCompare(b.status ?? '');
  return (a, b) => a.createdAt - b.createdAt;
}

/**
 * The List* rules of the API reference: NameContains (case-insensitive), CreationTimeBefore/After,
 * StatusEquals (endpoints), SortBy CreationTime (default), Name or Status, SortOrder Descending
 * (default) or Ascending, MaxResults pages (ListEndpoints documents 10 as the default) with a
 * NextToken.
 */
export function listPage<T extends Listed>(
  items: Iterable<T>,
  input: Fields,
): { page: T[]; nextToken?: string } {
  checkListInput(input);
  const contains = typeof input['NameContains'] === 'string' ? input['NameContains'].toLowerCase() : '';
  const status = input['StatusEquals'];
  const direction = input['SortOrder'] === 'Ascending' ? 1 : -1;
  const order = compare(input['SortBy']);
  const sorted = [...items]
    .filter((item) => item.name.toLowerCase().includes(contains) && createdWithin(input, item))
    .filter((item) => status === undefined || item.status === status)
    .sort((a, b) => direction * order(a, b));
  const start = Number(input['NextToken'] ?? 0) || 0;
  const size = Number(input['MaxResults'] ?? 10);
  const page = sorted.slice(start, start + size);
  return start + size < sorted.length ? { page, nextToken: String(start + size) } : { page };
}
