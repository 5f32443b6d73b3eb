import { InputError } from '@deploy-suite/kit';
import type {
  ContainerDefinition,
  CreateEndpointConfigInput,
  CreateModelInput,
  DescribeEndpointConfigOutput,
  DescribeModelOutput,
  ProductionVariant,
  Tag,
} from '@aws-sdk/client-sagemaker';
import {
  CONTAINER_FIELDS,
  ENDPOINT_CONFIG_FIELDS,
  MODEL_FIELDS,
  PRODUCTION_VARIANT_FIELDS,
} from './carried-fields.generated';
import type { ModelSettings, VariantSettings } from './plan';
import { productionVariant } from './serverless';

/**
 * What an update keeps from the configuration and model the endpoint serves. Teams create their
 * endpoint by hand or with IaC first, with settings the action has no input for (data capture, a
 * KMS key, async inference, a second variant, the model's VPC): an update that dropped them would
 * be an outage or a compliance failure. Every member CreateEndpointConfig / CreateModel take and
 * DescribeEndpointConfig / DescribeModel answer (carried-fields.generated.ts, from the API model)
 * is sent again, except what an input sets: an input given wins over the served value.
 */

type Fields = Readonly<Record<string, unknown>>;

/** What the endpoint serves now: its configuration, and the model of the variant this deploy replaces. */
export interface Served {
  readonly config: Partial<DescribeEndpointConfigOutput>;
  readonly model?: Partial<DescribeModelOutput>;
  /** ListTags of the configuration and of the model: Describe does not answer Tags. */
  readonly configTags?: readonly Tag[];
  readonly modelTags?: readonly Tag[];
}

export interface Carried {
  /** CreateEndpointConfig members besides the production variants (DataCaptureConfig, KmsKeyId, …). */
  readonly config: Fields;
  /** Members of the replaced production variant (VolumeSizeInGB, RoutingConfig, …). */
  readonly variant: Fields;
  /** The endpoint's production variants, in order; `undefined` marks the one this deploy replaces. */
  readonly variants: readonly (ProductionVariant | undefined)[];
  /** CreateModel members (VpcConfig, EnableNetworkIsolation, …). */
  readonly model: Fields;
  /** Members of the model's container (Environment, ModelDataUrl, ImageConfig, …). */
  readonly container: Fields;
  /** What was carried, by setting name, for the log and the summary (never values). */
  readonly kept: readonly string[];
  /** Settings the endpoint had that an input replaced with another value. */
  readonly replaced: readonly string[];
}

export const NOTHING_CARRIED: Carried = Object.freeze({
  config: {},
  variant: {},
  variants: [undefined],
  model: {},
  container: {},
  kept: [],
  replaced: [],
});

/** Set by the action itself, from its names and inputs. */
const OWNED_CONFIG = new Set<string>(['EndpointConfigName', 'ProductionVariants']);
/** The variant's capacity: instance-type/instance-count or memory-size (ServerlessConfig); pools are an alternative to InstanceType. */
const CAPACITY = ['InstanceType', 'InitialInstanceCount', 'ServerlessConfig', 'InstancePools'];
const OWNED_VARIANT = new Set<string>(['VariantName', 'ModelName', ...CAPACITY]);
const OWNED_MODEL = new Set<string>(['ModelName', 'ExecutionRoleArn', 'PrimaryContainer', 'Containers']);
/** `image` replaces the container's image; a model package or inference specification names one too. */
const OWNED_BY_IMAGE = ['Image', 'ModelPackageName', 'InferenceSpecificationName'];
const MODEL_DATA = ['ModelDataUrl', 'ModelDataSource'];

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * Values Describe answers for a setting nobody gave, which sending nothing gives again: the API
 * reference's defaults (ProductionVariant InitialVariantWeight "defaults to 1.0"; network
 * isolation off; a container hosting a single model). Not carried, so that an endpoint the action
 * made alone keeps the names it had.
 */
const DEFAULTS: Readonly<Record<string, unknown>> = {
  InitialVariantWeight: 1,
  EnableNetworkIsolation: false,
  Mode: 'SingleModel',
};

/** The members of `from` named in `fields` and not owned, dropping absent ones and defaults. */
function pick(from: Fields | undefined, fields: readonly string[], owned: ReadonlySet<string>): Fields {
  const picked: Record<string, unknown> = {};
  for (const field of fields) {
    const value = from?.[field];
    if (!owned.has(field) && present(value) && value !== DEFAULTS[field]) picked[field] = value;
  }
  return picked;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The settings carried into the new configuration and model, and what they replace: a pure
 * function of what is served and of the inputs. The variant named by `variant-name` is replaced
 * (each other production variant, and every shadow variant, is kept unchanged with its own
 * model); blue/green updates need the new configuration to keep the variant names ("Exclusions",
 * SageMaker developer guide, deployment guardrails), so a name the endpoint does not serve is
 * refused before anything changes.
 */
export function carryOver(
  endpointName: string,
  served: Served | undefined,
  model: ModelSettings,
  variant: VariantSettings,
): Carried {
  if (!served) return NOTHING_CARRIED;
  const servedVariants = served.config.ProductionVariants ?? [];
  const index = servedVariants.findIndex((v) => v.VariantName === variant.variantName);
  if (index < 0 && servedVariants.length > 0)
    throw new InputError(
      'variant-name',
      `must name a production variant of ${endpointName} (${servedVariants.map((v) => `'${v.VariantName ?? ''}'`).join(', ')}): an update keeps the variant names; got '${variant.variantName}'`,
    );
  const replacedVariant = servedVariants[index] as unknown as Fields | undefined;
  // A variant without a model hosts inference components (CreateInferenceComponent), which an
  // update of the configuration would not carry: another way of deploying altogether.
  if (replacedVariant && !present(replacedVariant['ModelName']))
    throw new InputError(
      'variant-name',
      `names ${endpointName}'s variant '${variant.variantName}', which hosts inference components rather than a model; deploy-sagemaker replaces a variant's model: deploy to another endpoint-name`,
    );
  const container = served.model?.PrimaryContainer as Fields | undefined;
  if (served.model?.Containers && served.model.Containers.length > 0)
    throw new InputError(
      'image',
      `cannot replace the model of ${endpointName}'s variant '${variant.variantName}': it is an inference pipeline (${served.model.Containers.length} containers), and deploy-sagemaker deploys one container; deploy to another endpoint-name`,
    );
  const config = {
    ...pick(served.config as Fields, ENDPOINT_CONFIG_FIELDS, OWNED_CONFIG),
    ...userTags(served.configTags),
  };
  const variantFields = pick(replacedVariant, PRODUCTION_VARIANT_FIELDS, OWNED_VARIANT);
  const modelFields = {
    ...pick(served.model as Fields | undefined, MODEL_FIELDS, OWNED_MODEL),
    ...userTags(served.modelTags),
  };
  const containerFields = carriedContainer(container, model);
  const newVariant = productionVariant(variant, '') as unknown as Fields;
  const replaced = [
    ...CAPACITY.filter(
      (f) => present(replacedVariant?.[f]) && !same(replacedVariant?.[f], newVariant[f]),
    ).map((f) => `variant ${variant.variantName}: ${f}`),
    ...(present(served.model?.ExecutionRoleArn) && served.model?.ExecutionRoleArn !== model.executionRoleArn
      ? ['model: ExecutionRoleArn']
      : []),
    ...replacedContainerFields(container, model).map((f) => `model: ${f}`),
  ];
  const others = servedVariants.filter((_, i) => i !== index);
  return {
    config,
    variant: variantFields,
    variants:
      servedVariants.length === 0 ? [undefined] : servedVariants.map((v, i) => (i === index ? undefined : v)),
    model: modelFields,
    container: containerFields,
    kept: [
      ...Object.keys(config),
      ...Object.keys(variantFields).map((f) => `variant ${variant.variantName}: ${f}`),
      ...others.map((v) => `variant ${v.VariantName ?? ''} (unchanged)`),
      ...Object.keys(modelFields).map((f) => `model: ${f}`),
      ...Object.keys(containerFields).map((f) => `model: ${f}`),
    ],
    replaced,
  };
}

/**
 * Tags to send again: keys starting `aws:` are AWS's own and cannot be set (AddTags, "Tag keys
 * beginning with aws: are reserved").
 */
function userTags(tags: readonly Tag[] | undefined): { Tags?: Tag[] } {
  const kept = (tags ?? []).filter((tag) => !(tag.Key ?? '').toLowerCase().startsWith('aws:'));
  return kept.length > 0 ? { Tags: kept.map(({ Key, Value }) => ({ Key, Value })) } : {};
}

/**
 * The container's members besides the image. `environment-variables` and `model-data`, when
 * given, replace the served Environment and model data; left empty, the served ones stay (a
 * model's artifacts and variables are part of what it serves).
 */
function carriedContainer(container: Fields | undefined, model: ModelSettings): Fields {
  const owned = new Set<string>(OWNED_BY_IMAGE);
  if (Object.keys(model.environment).length > 0) owned.add('Environment');
  if (model.modelDataUrl !== undefined) for (const f of MODEL_DATA) owned.add(f);
  // ModelDataUrl and ModelDataSource are alternatives; should both come back, the URL is kept.
  if (present(container?.['ModelDataUrl'])) owned.add('ModelDataSource');
  const picked = pick(container, CONTAINER_FIELDS, owned);
  const environment = picked['Environment'] as Fields | undefined;
  return environment && Object.keys(environment).length === 0
    ? Object.fromEntries(Object.entries(picked).filter(([f]) => f !== 'Environment'))
    : picked;
}

function replacedContainerFields(container: Fields | undefined, model: ModelSettings): string[] {
  const replaced: string[] = [];
  const environment = container?.['Environment'] as Fields | undefined;
  if (
    Object.keys(model.environment).length > 0 &&
    environment &&
    Object.keys(environment).length > 0 &&
    !same(environment, model.environment)
  )
    replaced.push('Environment');
  if (model.modelDataUrl !== undefined)
    for (const f of MODEL_DATA)
      if (present(container?.[f]) && !(f === 'ModelDataUrl' && container?.[f] === model.modelDataUrl))
        replaced.push(f);
  for (const f of ['ModelPackageName', 'InferenceSpecificationName'])
    if (present(container?.[f])) replaced.push(f);
  return replaced;
}

/** Whether anything is carried into the model: it then enters the model name's hash. */
export function carriesIntoModel(carried: Carried): boolean {
  return Object.keys(carried.model).length > 0 || Object.keys(carried.container).length > 0;
}

/** Whether anything is carried into the configuration: it then enters the configuration name's hash. */
export function carriesIntoConfig(carried: Carried): boolean {
  return (
    Object.keys(carried.config).length > 0 ||
    Object.keys(carried.variant).length > 0 ||
    carried.variants.length > 1
  );
}

/** CreateModel: the inputs' image, role, environment and model data over what is carried. */
export function createModelRequest(name: string, model: ModelSettings, carried: Carried): CreateModelInput {
  const container: ContainerDefinition = {
    ...(carried.container as ContainerDefinition),
    Image: model.image,
    ...(Object.keys(model.environment).length > 0 || !carried.container['Environment']
      ? { Environment: { ...model.environment } }
      : {}),
    ...(model.modelDataUrl === undefined ? {} : { ModelDataUrl: model.modelDataUrl }),
  };
  return {
    ...(carried.model as Partial<CreateModelInput>),
    ModelName: name,
    ExecutionRoleArn: model.executionRoleArn,
    PrimaryContainer: container,
  };
}

/** CreateEndpointConfig: the new variant in the replaced one's place, the others and the rest carried. */
export function createEndpointConfigRequest(
  name: string,
  modelName: string,
  variant: VariantSettings,
  carried: Carried,
): CreateEndpointConfigInput {
  const replacing = {
    ...(carried.variant as Partial<ProductionVariant>),
    ...productionVariant(variant, modelName),
  };
  return {
    ...(carried.config as Partial<CreateEndpointConfigInput>),
    EndpointConfigName: name,
    ProductionVariants: carried.variants.map((v) => v ?? replacing),
  };
}
