import { ServiceError } from '../../errors';
import { nativeConfig, planNative } from './native';
import { advanceDeployment, planRollout, type NativeState } from './rollout';
import { clusterName, type EcsStore, type Json, type ServiceRecord } from './state';
import { hostFor, primary, requireService, startDeployment } from './updates';
import { volumeConfigurations } from './volumes';

/** CreateService and UpdateService: what they change on a service and the deployment they start. */

function newService(store: EcsStore, input: Json, region: string, taskDefinition: string): ServiceRecord {
  const cluster = clusterName(input.cluster);
  const name = String(input.serviceName ?? '');
  const { accountId } = store.context;
  return {
    name,
    cluster,
    arn: `arn:aws:ecs:${region}:${accountId}:service/${cluster}/${name}`,
    clusterArn: `arn:aws:ecs:${region}:${accountId}:cluster/${cluster}`,
    createdAt: store.now(),
    launchType: typeof input.launchType === 'string' ? input.launchType : 'FARGATE',
    ...(input.networkConfiguration !== undefined && { networkConfiguration: input.networkConfiguration }),
    deploymentController: String((input.deploymentController as Json | undefined)?.type ?? 'ECS'),
    loadBalancers: Array.isArray(input.loadBalancers) ? (input.loadBalancers as Json[]) : [],
    desiredCount: typeof input.desiredCount === 'number' ? input.desiredCount : 1,
    ...(isObject(input.deploymentConfiguration) && {
      deploymentConfiguration: input.deploymentConfiguration,
    }),
    deployments: [],
    events: [],
    knownGood: new Set([taskDefinition]),
    reads: 0,
    throttled: 0,
  };
}

export function createService(store: EcsStore, input: Json, region: string): ServiceRecord {
  const cluster = clusterName(input.cluster);
  const name = String(input.serviceName ?? '');
  if (!name) throw new ServiceError('InvalidParameterException', 'serviceName is required.');
  if (store.services.has(`${cluster}/${name}`)) {
    throw new ServiceError('InvalidParameterException', 'Creation of service was not idempotent.');
  }
  const taskDefinition = store.taskDefinitions.find(input.taskDefinition).arn;
  const at = store.now();
  const service = newService(store, input, region, taskDefinition);
  store.services.set(`${cluster}/${name}`, service);
  // A new service starts stable, so every test begins from a known-good revision.
  const first = startDeployment(
    store,
    service,
    at,
    taskDefinition,
    { kind: 'complete', seconds: 0 },
    undefined,
  );
  const volumes = volumeConfigurations(store, input, taskDefinition);
  if (volumes !== undefined) first.volumeConfigurations = volumes;
  advanceDeployment(first, name, at, hostFor(store, service));
  if (Array.isArray(input.tags) && input.tags.length > 0) store.tags.set(service.arn, input.tags as Json[]);
  return service;
}

export function updateService(store: EcsStore, input: Json): ServiceRecord {
  const service = requireService(store, input.cluster, input.service);
  // UpdateService: with the blue/green (CODE_DEPLOY) controller only the desired count, deployment
  // configuration, tag settings and a few more can be changed; a new task definition needs a
  // CodeDeploy deployment (ECS API reference, UpdateService).
  if (service.deploymentController === 'CODE_DEPLOY' && input.taskDefinition !== undefined) {
    throw new ServiceError(
      'InvalidParameterException',
      'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
    );
  }
  const at = store.now();
  // Tag settings change no deployment ("This parameter doesn't trigger a new service deployment").
  if (typeof input.propagateTags === 'string') service.propagateTags = input.propagateTags;
  if (typeof input.enableECSManagedTags === 'boolean')
    service.enableECSManagedTags = input.enableECSManagedTags;
  if (typeof input.desiredCount === 'number') {
    service.desiredCount = input.desiredCount;
    for (const d of service.deployments) if (d.status === 'PRIMARY') d.desiredCount = input.desiredCount;
  }
  // A new deploymentConfiguration applies from the next deployment on (merged field by field).
  if (isObject(input.deploymentConfiguration)) {
    service.deploymentConfiguration = {
      ...service.deploymentConfiguration,
      ...input.deploymentConfiguration,
    };
  }
  const current = primary(service);
  const requested =
    input.taskDefinition === undefined
      ? current.taskDefinition
      : store.taskDefinitions.find(input.taskDefinition).arn;
  const volumes = volumeConfigurations(store, input, requested);
  // "If this configuration differs from the existing one, it triggers a new deployment" (UpdateService.volumeConfigurations).
  const newVolumes =
    volumes !== undefined && JSON.stringify(volumes) !== JSON.stringify(current.volumeConfigurations ?? []);
  if (requested !== current.taskDefinition || input.forceNewDeployment === true || newVolumes) {
    const plan = planRollout(store.scenario(service.name), service.knownGood.has(requested));
    const native = nativeState(store, service, service.knownGood.has(requested));
    const started = startDeployment(store, service, at, requested, plan, current.taskDefinition, native);
    // Without volumeConfigurations the service keeps the configuration it had.
    const kept = volumes ?? current.volumeConfigurations;
    if (kept !== undefined) started.volumeConfigurations = kept;
    else delete started.volumeConfigurations;
  }
  return service;
}

/** The plan of a deployment under a native strategy (BLUE_GREEN, LINEAR, CANARY); undefined for ROLLING. */
function nativeState(store: EcsStore, service: ServiceRecord, knownGood: boolean): NativeState | undefined {
  const config = nativeConfig(service.deploymentConfiguration);
  if (config === undefined || service.deploymentController !== 'ECS') return undefined;
  const plan = planNative(config, store.scenario(service.name), knownGood, service.desiredCount);
  return { plan, config, stage: undefined, production: 0, test: 0, tasksStopped: 0 };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
