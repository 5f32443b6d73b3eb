import type { DeploymentRecord } from './rollout';
import { createService } from './services';
import type { EcsStore, Json, ServiceRecord } from './state';
import { settle } from './updates';
import { deploymentView, serviceView } from './views';

/** The control endpoint's side of ECS: seed a service in one go, and what the store holds. */

/** `{ serviceName, cluster?, taskDefinition: {...} | 'family:rev', desiredCount? }`: registers and creates in one go. */
export function seed(store: EcsStore, input: Json, region: string): Json {
  const definition = input.taskDefinition;
  const arn =
    typeof definition === 'object' && definition !== null
      ? store.taskDefinitions.register(definition as Json, region, store.now()).arn
      : store.taskDefinitions.find(definition).arn;
  return { service: serviceView(store, createService(store, { ...input, taskDefinition: arn }, region)) };
}

function deploymentState(d: DeploymentRecord): Json {
  return {
    ...deploymentView(d),
    serviceDeploymentArn: d.arn,
    serviceDeploymentStatus: d.serviceDeploymentStatus,
    scenario: d.scenario,
    createdAt: new Date(d.createdAt).toISOString(),
    updatedAt: new Date(d.updatedAt).toISOString(),
    ...(d.finishedAt !== undefined && {
      finishedAt: new Date(d.finishedAt).toISOString(),
      finishedAtMs: d.finishedAt,
    }),
  };
}

function serviceState(store: EcsStore, service: ServiceRecord): Json {
  settle(store, service);
  return {
    serviceName: service.name,
    cluster: service.cluster,
    scenario: store.context.scenarioFor(service.name).name,
    taskDefinition: serviceView(store, service).taskDefinition,
    deploymentController: service.deploymentController,
    ...(service.deploymentController === 'CODE_DEPLOY' && { taskSets: serviceView(store, service).taskSets }),
    throttled: service.throttled,
    knownGood: [...service.knownGood],
    deployments: service.deployments.map(deploymentState),
    events: service.events.map((e) => ({ ...e, createdAt: new Date(e.createdAt).toISOString() })),
  };
}

export function state(store: EcsStore): Json {
  return {
    services: [...store.services.values()].map((service) => serviceState(store, service)),
    taskDefinitions: store.taskDefinitions.all().map((t) => ({ arn: t.arn, request: t.request })),
  };
}
