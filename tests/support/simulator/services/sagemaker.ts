import { createHash } from 'node:crypto';
import { ServiceError } from '../errors';
import { defineService, type Operation, type ServiceContext, type ServiceInstance } from '../service';
import {
  alreadyExists,
  arnOf,
  capacityExceeded,
  checkName,
  emptyState,
  inProgress,
  notFound,
  type EndpointConfigRecord,
  type EndpointRecord,
  type ResourceKind,
  type Rollout,
  type SageMakerState,
} from './sagemaker-state';
import {
  SAGEMAKER_SCENARIOS,
  rolloutTimeline,
  trafficSteps,
  type RolloutPlan,
  type SageMakerScenario,
} from './sagemaker-timing';
import { invokeEndpoint } from './sagemaker-runtime';
import { tagOperations } from './sagemaker-tags';
import {
  describeEndpoint,
  describeEndpointConfig,
  describeModel,
  finished,
  listPage,
  settle,
} from './sagemaker-views';

type Fields = Readonly<Record<string, unknown>>;
type Context = ServiceContext<SageMakerScenario>;

/** SageMaker's JSON 1.1 target prefix (botocore sagemaker/2017-07-24: targetPrefix `SageMaker`). */
const json = (name: string) => ({ protocol: 'json', target: `SageMaker.${name}` }) as const;

/** Where SageMaker endpoints log: `/aws/sagemaker/Endpoints/<name>`, one stream per variant and instance. */
export const ENDPOINT_LOG_GROUP_PREFIX = '/aws/sagemaker/Endpoints/';

function firstVariant(config: EndpointConfigRecord): Fields {
  return ((config.fields['ProductionVariants'] as Fields[] | undefined) ?? [])[0] ?? {};
}

/** What a rollout will do, read once from the request and the configuration it deploys. */
function rolloutPlan(
  kind: 'create' | 'update',
  config: EndpointConfigRecord,
  deployment: Fields | undefined,
): RolloutPlan {
  const variant = firstVariant(config);
  const blueGreen = deployment?.['BlueGreenUpdatePolicy'] as Fields | undefined;
  const alarms =
    ((deployment?.['AutoRollbackConfiguration'] as Fields | undefined)?.['Alarms'] as Fields[] | undefined) ??
    [];
  const limit = blueGreen?.['MaximumExecutionTimeoutInSeconds'];
  return {
    kind,
    variant: String(variant['VariantName'] ?? 'AllTraffic'),
    steps: trafficSteps(
      blueGreen?.['TrafficRoutingConfiguration'] as Fields | undefined,
      Number(variant['InitialInstanceCount'] ?? 1),
    ),
    terminationWaitSeconds: Number(blueGreen?.['TerminationWaitInSeconds'] ?? 0),
    ...(limit === undefined ? {} : { maximumExecutionSeconds: Number(limit) }),
    alarms: alarms.map((alarm) => String(alarm['AlarmName'])),
  };
}

/** The capacity-error scenario refuses the first instance-backed variant (serverless variants have no instance quota). */
function checkCapacity(scenario: SageMakerScenario, config: EndpointConfigRecord): void {
  if (!scenario.capacityError) return;
  const variants = (config.fields['ProductionVariants'] as Fields[] | undefined) ?? [];
  const instanced = variants.find((variant) => typeof variant['InstanceType'] === 'string');
  if (instanced)
    throw capacityExceeded(String(instanced['InstanceType']), Number(instanced['InitialInstanceCount'] ?? 1));
}

/** The service's state and the helpers every operation shares. */
interface Store {
  readonly context: Context;
  readonly state: SageMakerState;
  /** Every rollout per endpoint name, kept after a deletion as CloudWatch keeps log groups. */
  readonly logs: Map<string, Rollout[]>;
  /** Tags by resource ARN (AddTags / ListTags). */
  readonly tags: Map<string, Map<string, string>>;
  now(): number;
  arn(kind: ResourceKind, name: string, region: string): string;
  get<T>(map: Map<string, T>, kind: ResourceKind, field: string, input: Fields, region: string): T;
}

function makeStore(context: Context): Store {
  const arn = (kind: ResourceKind, name: string, region: string) =>
    arnOf(kind, name, region, context.accountId);
  return {
    context,
    state: emptyState(),
    logs: new Map(),
    tags: new Map(),
    now: () => context.clock.now(),
    arn,
    get(map, kind, field, input, region) {
      const name = String(input[field] ?? '');
      const found = map.get(name);
      if (!found) throw notFound(kind, arn(kind, name, region));
      return found;
    },
  };
}

function startRollout(
  store: Store,
  endpoint: string,
  kind: 'create' | 'update',
  config: EndpointConfigRecord,
  deployment: Fields | undefined,
  previous?: string,
): Rollout {
  const scenario = store.context.scenarioFor(endpoint);
  checkCapacity(scenario.definition, config);
  const plan = rolloutPlan(kind, config, deployment);
  const rollout: Rollout = {
    startedAt: store.now(),
    scenario: scenario.name,
    definition: scenario.definition,
    plan,
    configName: config.name,
    ...(previous === undefined ? {} : { previousConfigName: previous }),
    timeline: rolloutTimeline(scenario.definition, plan),
  };
  store.logs.set(endpoint, [...(store.logs.get(endpoint) ?? []), rollout]);
  return rollout;
}

/**
 * The Tags of CreateModel / CreateEndpointConfig tag the new resource (API reference: "Tags … an
 * array of key-value pairs"), so ListTags answers them; every other member the request holds is
 * kept as given and Describe answers it back.
 */
function tagOnCreate(store: Store, resourceArn: string, tags: unknown): void {
  if (!Array.isArray(tags) || tags.length === 0) return;
  store.tags.set(
    resourceArn,
    new Map((tags as Fields[]).map((tag) => [String(tag['Key']), String(tag['Value'] ?? '')])),
  );
}

function modelOperations(store: Store): Operation[] {
  const { state, now, arn, get } = store;
  return [
    {
      name: 'CreateModel',
      route: json('CreateModel'),
      handle: ({ input, region }) => {
        const name = checkName('ModelName', input['ModelName'], 'model');
        if (state.models.has(name)) throw alreadyExists('model', arn('model', name, region));
        if (!input['PrimaryContainer'] && !input['Containers']) {
          throw new ServiceError(
            'ValidationException',
            'Either PrimaryContainer or Containers must be specified.',
          );
        }
        const { ModelName: _name, Tags: tags, ...fields } = input;
        state.models.set(name, { name, arn: arn('model', name, region), createdAt: now(), fields });
        tagOnCreate(store, arn('model', name, region), tags);
        return { ModelArn: arn('model', name, region) };
      },
    },
    {
      name: 'DescribeModel',
      route: json('DescribeModel'),
      handle: ({ input, region }) => describeModel(get(state.models, 'model', 'ModelName', input, region)),
    },
    {
      name: 'DeleteModel',
      route: json('DeleteModel'),
      handle: ({ input, region }) => {
        state.models.delete(get(state.models, 'model', 'ModelName', input, region).name);
        return {};
      },
    },
    {
      name: 'ListModels',
      route: json('ListModels'),
      handle: ({ input }) => {
        const { page, nextToken } = listPage(state.models.values(), input);
        const Models = page.map((m) => ({
          ModelName: m.name,
          ModelArn: m.arn,
          CreationTime: new Date(m.createdAt),
        }));
        return { Models, ...(nextToken ? { NextToken: nextToken } : {}) };
      },
    },
  ];
}

/** ProductionVariantServerlessConfig's ranges (botocore sagemaker/2017-07-24), refused in AWS's validation words. */
const SERVERLESS_RANGES = {
  memorySizeInMB: [1024, 6144],
  maxConcurrency: [1, 200],
  provisionedConcurrency: [1, 200],
} as const;

function checkServerless(config: Fields | undefined, position: number): void {
  if (!config) return;
  for (const [member, [min, max]] of Object.entries(SERVERLESS_RANGES)) {
    const value = config[member[0]?.toUpperCase() + member.slice(1)];
    if (value === undefined && member === 'provisionedConcurrency') continue;
    const at = `productionVariants.${position}.member.serverlessConfig.${member}`;
    const number = Number(value);
    const broken =
      value === undefined
        ? 'Member must not be null'
        : number < min
          ? `Member must have value greater than or equal to ${min}`
          : number > max
            ? `Member must have value less than or equal to ${max}`
            : undefined;
    if (broken)
      throw new ServiceError(
        'ValidationException',
        `1 validation error detected: Value '${String(value ?? null)}' at '${at}' failed to satisfy constraint: ${broken}`,
      );
  }
}

function checkVariants(store: Store, input: Fields, region: string): void {
  const variants = input['ProductionVariants'];
  if (!Array.isArray(variants) || variants.length === 0) {
    throw new ServiceError('ValidationException', 'ProductionVariants must contain at least one variant.');
  }
  (variants as Fields[]).forEach((variant, index) => {
    checkServerless(variant['ServerlessConfig'] as Fields | undefined, index + 1);
  });
  for (const variant of variants as Fields[]) {
    store.get(store.state.models, 'model', 'ModelName', variant, region);
    const serverless = variant['ServerlessConfig'] !== undefined;
    if (serverless === (variant['InstanceType'] !== undefined)) {
      throw new ServiceError(
        'ValidationException',
        `Production variant ${String(variant['VariantName'])} must specify either InstanceType and InitialInstanceCount, or ServerlessConfig.`,
      );
    }
  }
}

function configOperations(store: Store): Operation[] {
  const { state, now, arn, get } = store;
  return [
    {
      name: 'CreateEndpointConfig',
      route: json('CreateEndpointConfig'),
      handle: ({ input, region }) => {
        const name = checkName('EndpointConfigName', input['EndpointConfigName'], 'endpoint');
        if (state.configs.has(name))
          throw alreadyExists('endpoint-config', arn('endpoint-config', name, region));
        checkVariants(store, input, region);
        const { EndpointConfigName: _name, Tags: tags, ...fields } = input;
        tagOnCreate(store, arn('endpoint-config', name, region), tags);
        state.configs.set(name, {
          name,
          arn: arn('endpoint-config', name, region),
          createdAt: now(),
          fields,
        });
        return { EndpointConfigArn: arn('endpoint-config', name, region) };
      },
    },
    {
      name: 'DescribeEndpointConfig',
      route: json('DescribeEndpointConfig'),
      handle: ({ input, region }) =>
        describeEndpointConfig(get(state.configs, 'endpoint-config', 'EndpointConfigName', input, region)),
    },
    {
      name: 'DeleteEndpointConfig',
      route: json('DeleteEndpointConfig'),
      handle: ({ input, region }) => {
        state.configs.delete(get(state.configs, 'endpoint-config', 'EndpointConfigName', input, region).name);
        return {};
      },
    },
    {
      name: 'ListEndpointConfigs',
      route: json('ListEndpointConfigs'),
      handle: ({ input }) => {
        const { page, nextToken } = listPage(state.configs.values(), input);
        const EndpointConfigs = page.map((c) => ({
          EndpointConfigName: c.name,
          EndpointConfigArn: c.arn,
          CreationTime: new Date(c.createdAt),
        }));
        return { EndpointConfigs, ...(nextToken ? { NextToken: nextToken } : {}) };
      },
    },
  ];
}

function createEndpoint(store: Store, input: Fields, region: string): object {
  const { state, arn, get } = store;
  const name = checkName('EndpointName', input['EndpointName'], 'endpoint');
  if (state.endpoints.has(name)) throw alreadyExists('endpoint', arn('endpoint', name, region));
  const config = get(state.configs, 'endpoint-config', 'EndpointConfigName', input, region);
  const deployment = input['DeploymentConfig'] as Fields | undefined;
  const rollout = startRollout(store, name, 'create', config, deployment);
  const endpoint: EndpointRecord = {
    name,
    arn: arn('endpoint', name, region),
    createdAt: rollout.startedAt,
    configName: config.name,
    lastModifiedAt: rollout.startedAt,
    ...(deployment ? { deploymentConfig: deployment } : {}),
    rollout,
    history: [rollout],
  };
  state.endpoints.set(name, endpoint);
  return { EndpointArn: endpoint.arn };
}

/**
 * UpdateEndpoint: refused while a creation or update runs; a Failed endpoint cannot be updated
 * either (AWS: delete and create it again). RetainDeploymentConfig keeps the last DeploymentConfig.
 */
function updateEndpoint(store: Store, input: Fields, region: string): object {
  const { state, get } = store;
  const endpoint = get(state.endpoints, 'endpoint', 'EndpointName', input, region);
  const segment = settle(endpoint, store.now());
  if (!finished(segment) || segment.status === 'Failed') throw inProgress(endpoint.arn);
  const config = get(state.configs, 'endpoint-config', 'EndpointConfigName', input, region);
  const deployment =
    (input['DeploymentConfig'] as Fields | undefined) ??
    (input['RetainDeploymentConfig'] === true ? endpoint.deploymentConfig : undefined);
  const rollout = startRollout(store, endpoint.name, 'update', config, deployment, endpoint.configName);
  endpoint.rollout = rollout;
  endpoint.history.push(rollout);
  endpoint.lastModifiedAt = rollout.startedAt;
  if (deployment) endpoint.deploymentConfig = deployment;
  else delete endpoint.deploymentConfig;
  return { EndpointArn: endpoint.arn };
}

/** ListEndpoints: EndpointSummary has no configuration; DescribeEndpoint tells which one an endpoint uses. */
function listEndpoints(state: SageMakerState, input: Fields, now: number): object {
  const endpoints = [...state.endpoints.values()].map((endpoint) => ({
    endpoint,
    name: endpoint.name,
    createdAt: endpoint.createdAt,
    status: settle(endpoint, now).status,
  }));
  const { page, nextToken } = listPage(endpoints, input);
  const Endpoints = page.map(({ endpoint, status }) => ({
    EndpointName: endpoint.name,
    EndpointArn: endpoint.arn,
    CreationTime: new Date(endpoint.createdAt),
    LastModifiedTime: new Date(endpoint.lastModifiedAt),
    EndpointStatus: status,
  }));
  return { Endpoints, ...(nextToken ? { NextToken: nextToken } : {}) };
}

function endpointOperations(store: Store): Operation[] {
  const { state, now, get } = store;
  return [
    {
      name: 'CreateEndpoint',
      route: json('CreateEndpoint'),
      handle: ({ input, region }) => createEndpoint(store, input, region),
    },
    {
      name: 'UpdateEndpoint',
      route: json('UpdateEndpoint'),
      handle: ({ input, region }) => updateEndpoint(store, input, region),
    },
    {
      name: 'DescribeEndpoint',
      route: json('DescribeEndpoint'),
      handle: ({ input, region }) =>
        describeEndpoint(state, get(state.endpoints, 'endpoint', 'EndpointName', input, region), now()),
    },
    {
      name: 'ListEndpoints',
      route: json('ListEndpoints'),
      handle: ({ input }) => listEndpoints(state, input, now()),
    },
    {
      name: 'DeleteEndpoint',
      route: json('DeleteEndpoint'),
      handle: ({ input, region }) => {
        // SageMaker refuses to delete an endpoint while a creation or update runs, in the update's words.
        const endpoint = get(state.endpoints, 'endpoint', 'EndpointName', input, region);
        if (!finished(settle(endpoint, now()))) throw inProgress(endpoint.arn);
        state.endpoints.delete(endpoint.name);
        return {};
      },
    },
  ];
}

function createSageMaker(context: Context): ServiceInstance {
  const store = makeStore(context);
  const { state, now } = store;
  return {
    operations: [
      ...modelOperations(store),
      ...configOperations(store),
      ...endpointOperations(store),
      invokeEndpoint(context, state),
      ...tagOperations(store.tags, (arn) =>
        [state.endpoints, state.configs, state.models].some((map) =>
          [...map.values()].some((resource) => resource.arn === arn),
        ),
      ),
      filterLogEvents(context, store.logs),
    ],
    state: () => ({
      models: [...state.models.values()],
      endpointConfigs: [...state.configs.values()],
      endpoints: [...state.endpoints.values()].map((endpoint) => ({
        name: endpoint.name,
        configName: endpoint.configName,
        status: settle(endpoint, now()).status,
        rollouts: endpoint.history.map(({ startedAt, scenario, plan, configName, timeline }) => ({
          startedAt,
          scenario,
          plan,
          configName,
          timeline,
        })),
      })),
    }),
  };
}

function instanceId(endpoint: string, rollout: Rollout): string {
  return `i-${createHash('sha256').update(`${endpoint}/${rollout.startedAt}`).digest('hex').slice(0, 17)}`;
}

/**
 * CloudWatch Logs FilterLogEvents (JSON 1.1, `Logs_20140328.FilterLogEvents`) for SageMaker's log
 * groups: one line when each segment of a rollout starts, in the stream `<variant>/<instance>`
 * (the layout of "Log Amazon SageMaker AI events with Amazon CloudWatch"). Other groups are
 * ResourceNotFoundException "The specified log group does not exist."
 */
function filterLogEvents(context: Context, logs: Map<string, Rollout[]>): Operation {
  return {
    name: 'FilterLogEvents',
    route: { protocol: 'json', target: 'Logs_20140328.FilterLogEvents' },
    handle: ({ input }) => {
      const group = String(input['logGroupName'] ?? input['logGroupIdentifier'] ?? '');
      const rollouts = group.startsWith(ENDPOINT_LOG_GROUP_PREFIX)
        ? logs.get(group.slice(ENDPOINT_LOG_GROUP_PREFIX.length))
        : undefined;
      if (!rollouts)
        throw new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.');
      const now = context.clock.now();
      const start = Number(input['startTime'] ?? 0);
      const end = Number(input['endTime'] ?? Number.MAX_SAFE_INTEGER);
      const prefix = String(input['logStreamNamePrefix'] ?? '');
      const events = rollouts.flatMap((rollout) => {
        const stream = `${rollout.plan.variant}/${instanceId(group, rollout)}`;
        return rollout.timeline
          .map((segment, i) => ({
            segment,
            i,
            timestamp: Math.round(rollout.startedAt + segment.from * 1000),
          }))
          .filter(({ timestamp }) => timestamp <= now && timestamp >= start && timestamp <= end)
          .filter(() => stream.startsWith(prefix))
          .map(({ segment, i, timestamp }) => ({
            logStreamName: stream,
            timestamp,
            ingestionTime: timestamp,
            message: segment.log,
            eventId: `${rollout.startedAt}-${i}`,
          }));
      });
      events.sort((a, b) => a.timestamp - b.timestamp);
      const streams = [...new Set(events.map((event) => event.logStreamName))];
      return {
        events,
        searchedLogStreams: streams.map((logStreamName) => ({ logStreamName, searchedCompletely: true })),
      };
    },
  };
}

export const sageMakerService = defineService<SageMakerScenario>({
  service: 'sagemaker',
  signingName: 'sagemaker',
  scenarios: SAGEMAKER_SCENARIOS,
  defaultScenario: 'healthy',
  create: createSageMaker,
});
