import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type Service,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { DeployFailed } from '@deploy-suite/kit';
import type { Ports } from './ports';

export interface ServiceRef {
  cluster: string;
  service: string;
}

/** Reads a service; one that is missing or not ACTIVE fails the step naming it. */
export async function describeService(ports: Ports, ref: ServiceRef): Promise<Service> {
  const answer = await ports.ecs.send(
    new DescribeServicesCommand({ cluster: ref.cluster, services: [ref.service] }),
  );
  const service = answer.services?.[0];
  if (service === undefined || service.status !== 'ACTIVE') {
    const why = answer.failures?.[0]?.reason ?? service?.status ?? 'MISSING';
    throw new DeployFailed(`Service ${ref.service} in cluster ${ref.cluster} cannot be deployed to: ${why}`);
  }
  return service;
}

/** A task definition (by family, family:revision or ARN) with its tags. */
export async function describeTaskDefinition(
  ports: Ports,
  reference: string,
): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] }> {
  const answer = await ports.ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }),
  );
  if (answer.taskDefinition === undefined)
    throw new DeployFailed(`ECS describes no task definition ${reference}`);
  return { taskDefinition: answer.taskDefinition, tags: answer.tags ?? [] };
}
