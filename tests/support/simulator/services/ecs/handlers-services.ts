import { ServiceError } from '../../errors';
import type { Operation } from '../../service';
import { stoppedPlan } from './native';
import { createService, updateService } from './services';
import { ecsOperation as op, type EcsStore, type Json } from './state';
import { findService, requireService, throttle } from './updates';
import { serviceDeploymentView, serviceView } from './views';

/** What ListServiceDeployments tells of each deployment. */
const BRIEF_FIELDS = [
  'serviceDeploymentArn',
  'serviceArn',
  'clusterArn',
  'createdAt',
  'startedAt',
  'finishedAt',
  'targetServiceRevisionArn',
  'status',
  'statusReason',
] as const;

function describeServices(store: EcsStore, input: Json): Json {
  const names = Array.isArray(input.services) ? input.services : [];
  const found: Json[] = [];
  const failures: Json[] = [];
  for (const name of names) {
    const service = findService(store, input.cluster, name);
    if (!service) {
      failures.push({ arn: String(name), reason: 'MISSING' });
      continue;
    }
    throttle(store, service);
    found.push(serviceView(store, service));
  }
  return { services: found, failures };
}

function listServiceDeployments(store: EcsStore, input: Json): Json {
  const service = requireService(store, input.cluster, input.service);
  throttle(store, service);
  const wanted = Array.isArray(input.status) ? (input.status as string[]) : undefined;
  return {
    serviceDeployments: service.deployments
      .filter((d) => wanted === undefined || wanted.includes(d.serviceDeploymentStatus))
      .map((d) => {
        const view = serviceDeploymentView(service, d);
        const full: Json = { ...view, targetServiceRevisionArn: (view.targetServiceRevision as Json).arn };
        return Object.fromEntries(BRIEF_FIELDS.filter((f) => f in full).map((f) => [f, full[f]]));
      }),
  };
}

function describeServiceDeployments(store: EcsStore, input: Json): Json {
  const arns = Array.isArray(input.serviceDeploymentArns) ? (input.serviceDeploymentArns as string[]) : [];
  const found: Json[] = [];
  const failures: Json[] = [];
  for (const arn of arns) {
    const [cluster, name] = (arn.split('service-deployment/')[1] ?? '').split('/');
    const service = findService(store, cluster, name);
    const deployment = service?.deployments.find((d) => d.arn === arn);
    if (!service || !deployment) {
      failures.push({ arn, reason: 'MISSING' });
      continue;
    }
    throttle(store, service);
    found.push(serviceDeploymentView(service, deployment));
  }
  return { serviceDeployments: found, failures };
}

/**
 * StopServiceDeployment (stopType ROLLBACK) of a native deployment still going: it rolls back to the
 * source revision. Others answer ConflictException (the simulator's words); rolling deployments are
 * not modelled here.
 */
function stopServiceDeployment(store: EcsStore, input: Json): Json {
  const arn = String(input.serviceDeploymentArn ?? '');
  const [cluster, name] = (arn.split('service-deployment/')[1] ?? '').split('/');
  const service = findService(store, cluster, name);
  const deployment = service?.deployments.find((d) => d.arn === arn);
  if (!service || !deployment)
    throw new ServiceError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
  if (input.stopType !== 'ROLLBACK')
    throw new ServiceError('InvalidParameterException', 'Only stopType ROLLBACK is supported.');
  if (deployment.native === undefined) {
    throw new ServiceError(
      'UnsupportedFeatureException',
      'The simulator stops service deployments of native strategies only.',
    );
  }
  const going =
    deployment.serviceDeploymentStatus === 'PENDING' || deployment.serviceDeploymentStatus === 'IN_PROGRESS';
  if (going) deployment.native.plan = stoppedPlan(deployment.native.plan, store.now() - deployment.createdAt);
  else if (deployment.finishedAt !== undefined) {
    throw new ServiceError(
      'ConflictException',
      `The service deployment is ${deployment.serviceDeploymentStatus} and cannot be stopped.`,
    );
  }
  return { serviceDeploymentArn: arn };
}

/** Services and their deployments: create, update, describe, and the service deployments API. */
export function serviceHandlers(store: EcsStore): Operation[] {
  return [
    op('CreateService', ({ input, region }) => ({
      service: serviceView(store, createService(store, input, region)),
    })),
    op('UpdateService', ({ input }) => ({ service: serviceView(store, updateService(store, input)) })),
    op('DescribeServices', ({ input }) => describeServices(store, input)),
    op('ListServiceDeployments', ({ input }) => listServiceDeployments(store, input)),
    op('DescribeServiceDeployments', ({ input }) => describeServiceDeployments(store, input)),
    op('StopServiceDeployment', ({ input }) => stopServiceDeployment(store, input)),
  ];
}
