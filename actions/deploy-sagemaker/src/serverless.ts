import { InputError, type InputReader } from '@deploy-suite/kit';
import type {
  ProductionVariant,
  ProductionVariantInstanceType,
  ProductionVariantSummary,
} from '@aws-sdk/client-sagemaker';
import type { DeploymentSettings, VariantSettings } from './plan';

/**
 * Where the variant runs: on instances (`instance-type`, `instance-count`) or serverless
 * (`memory-size`, `max-concurrency`, `provisioned-concurrency`). Exactly one of the two is given.
 */

// Limits of the botocore model sagemaker/2017-07-24, shapes named in each comment.
/** ProductionVariantInstanceType: the `ml.` instance families. */
const INSTANCE_TYPE = /^ml\.[a-z0-9]+(\.[a-z0-9-]+)*\.[a-z0-9]+$/;
/** InitialInstanceCount: at least 1 (the model gives no upper bound; a quota applies). */
const INSTANCE_COUNT = { min: 1, max: 1000 } as const;
/**
 * ServerlessMemorySizeInMB 1024 to 6144, "in 1 GB increments" (ProductionVariantServerlessConfig);
 * ServerlessMaxConcurrency and ServerlessProvisionedConcurrency 1 to 200, provisioned at most the
 * maximum.
 */
export const SERVERLESS_LIMITS = {
  memory: { min: 1024, max: 6144, step: 1024 },
  concurrency: { min: 1, max: 200 },
} as const;

const SERVERLESS_INPUTS = ['max-concurrency', 'provisioned-concurrency'] as const;

/** The variant's capacity, from `instance-type` or `memory-size`; both or neither is one error line. */
export function readCapacity(
  read: InputReader,
): Pick<VariantSettings, 'instanceType' | 'instanceCount' | 'serverless'> {
  const instanceType = read.optional('instance-type');
  const memory = read.optional('memory-size');
  if (instanceType === undefined && memory === undefined)
    throw new InputError(
      'instance-type',
      'is required, unless memory-size is given: instance-type (and instance-count) for a variant on instances, memory-size (and max-concurrency) for a serverless variant',
    );
  if (instanceType !== undefined && memory !== undefined)
    throw new InputError(
      'instance-type',
      'cannot be combined with memory-size: give instance-type for a variant on instances, or memory-size for a serverless variant',
    );
  if (instanceType !== undefined) {
    for (const input of SERVERLESS_INPUTS)
      if (read.optional(input) !== undefined)
        throw new InputError(
          input,
          'applies only to a serverless variant (memory-size), not to instance-type',
        );
    if (!INSTANCE_TYPE.test(instanceType))
      throw new InputError(
        'instance-type',
        `must be an ml. instance type such as ml.m5.large; got '${instanceType}'`,
      );
    return {
      instanceType,
      instanceCount: read.optionalInt('instance-count', INSTANCE_COUNT) ?? 1,
    };
  }
  if (read.optional('instance-count') !== undefined)
    throw new InputError(
      'instance-count',
      'applies only to instance-type; a serverless variant (memory-size) has no instances',
    );
  return { serverless: readServerless(read) };
}

function readServerless(read: InputReader): NonNullable<VariantSettings['serverless']> {
  const { memory, concurrency } = SERVERLESS_LIMITS;
  const memorySizeInMB = read.int('memory-size', memory);
  if (memorySizeInMB % memory.step !== 0)
    throw new InputError(
      'memory-size',
      `must be 1024, 2048, 3072, 4096, 5120 or 6144 (MB, in 1 GB steps); got ${memorySizeInMB}`,
    );
  if (read.optional('max-concurrency') === undefined)
    throw new InputError(
      'max-concurrency',
      `is required with memory-size: the concurrent invocations the serverless variant may serve (${concurrency.min} to ${concurrency.max})`,
    );
  const maxConcurrency = read.int('max-concurrency', concurrency);
  const provisioned = read.optionalInt('provisioned-concurrency', concurrency);
  if (provisioned !== undefined && provisioned > maxConcurrency)
    throw new InputError(
      'provisioned-concurrency',
      `must be at most max-concurrency (${maxConcurrency}); got ${provisioned}`,
    );
  return {
    memorySizeInMB,
    maxConcurrency,
    ...(provisioned === undefined ? {} : { provisionedConcurrency: provisioned }),
  };
}

/**
 * A serverless variant has no instances, so a canary or linear step counted in instances
 * (CapacitySize INSTANCE_COUNT, "of the variant's total instance count") means nothing there; a
 * share of capacity does. Blue/green traffic shifting itself is allowed: the developer guide's
 * deployment guardrails "Exclusions" lists serverless endpoints only for rolling deployments.
 */
export function checkServerlessDeployment(variant: VariantSettings, deployment: DeploymentSettings): void {
  if (variant.serverless) refuseInstanceSteps(deployment, 'with memory-size');
}

/** The same rule for a variant known to be serverless; `where` says why it is (`with memory-size`). */
export function refuseInstanceSteps(deployment: DeploymentSettings, where: string): void {
  for (const [input, size] of [
    ['canary-size', deployment.canarySize],
    ['linear-step-size', deployment.linearStepSize],
  ] as const) {
    if (size?.unit === 'instances')
      throw new InputError(
        input,
        `must be a percentage (such as 25%) ${where}: a serverless variant has no instances to count; got ${size.value}`,
      );
  }
}

/**
 * Why an endpoint cannot be updated to this variant, if it cannot: SageMaker does not update a
 * real-time (instance-based) endpoint to a serverless one (developer guide, "Update a serverless
 * endpoint"). The endpoint's variants come from DescribeEndpoint: a serverless one carries
 * CurrentServerlessConfig.
 */
export function conversionRefusal(
  serving: readonly ProductionVariantSummary[] | undefined,
  variant: VariantSettings,
): string | undefined {
  if (!variant.serverless || !serving || serving.length === 0) return undefined;
  const onInstances = serving.some((v) => !v.CurrentServerlessConfig && !v.DesiredServerlessConfig);
  return onInstances
    ? 'the endpoint runs on instances, and SageMaker does not update a real-time endpoint to a serverless one (developer guide, "Update a serverless endpoint"); deploy the serverless variant to a new endpoint-name'
    : undefined;
}

/** The ProductionVariant of CreateEndpointConfig: InstanceType and InitialInstanceCount, or ServerlessConfig. */
export function productionVariant(variant: VariantSettings, modelName: string): ProductionVariant {
  const { serverless } = variant;
  return {
    VariantName: variant.variantName,
    ModelName: modelName,
    ...(serverless
      ? {
          ServerlessConfig: {
            MemorySizeInMB: serverless.memorySizeInMB,
            MaxConcurrency: serverless.maxConcurrency,
            ...(serverless.provisionedConcurrency === undefined
              ? {}
              : { ProvisionedConcurrency: serverless.provisionedConcurrency }),
          },
        }
      : {
          // Checked against the ml. pattern by inputs; the SDK's enum lags new instance families.
          InstanceType: variant.instanceType as ProductionVariantInstanceType,
          InitialInstanceCount: variant.instanceCount,
        }),
  };
}
