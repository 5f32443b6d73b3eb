import type { LoadBalancer } from '@aws-sdk/client-ecs';
import { InputError } from '@deploy-suite/kit';

/**
 * The AppSpec of an Amazon ECS deployment (CodeDeploy AppSpec file reference, "AppSpec 'resources'
 * section for Amazon ECS deployments"): `Resources` lists one `AWS::ECS::Service` target whose
 * Properties name the TaskDefinition and the LoadBalancerInfo (ContainerName, ContainerPort).
 */
export type AppSpec = Record<string, unknown>;

const INPUT = 'codedeploy-appspec';
const ECS_SERVICE = 'AWS::ECS::Service';

type Resource = { Type?: unknown; Properties?: Record<string, unknown> };

/** The ECS service targets of an AppSpec, or why there are none. */
function ecsTargets(doc: AppSpec): Resource[] | string {
  const resources = doc.Resources;
  if (!Array.isArray(resources) || resources.length === 0) return 'has no Resources list';
  const targets = resources
    .flatMap((entry: unknown) =>
      typeof entry === 'object' && entry !== null ? Object.values(entry as Record<string, unknown>) : [],
    )
    .filter(
      (r): r is Resource => typeof r === 'object' && r !== null && (r as Resource).Type === ECS_SERVICE,
    );
  if (targets.length === 0) return `names no resource of Type ${ECS_SERVICE}`;
  return targets;
}

/**
 * Why a given AppSpec cannot deploy an ECS service, or undefined. The TaskDefinition itself is
 * replaced by the revision this run registered, so it may be absent or a placeholder.
 */
export function appSpecProblem(doc: AppSpec): string | undefined {
  const targets = ecsTargets(doc);
  if (typeof targets === 'string') return targets;
  for (const target of targets) {
    const info = target.Properties?.LoadBalancerInfo as Record<string, unknown> | undefined;
    if (typeof info?.ContainerName !== 'string' || info.ContainerName === '')
      return `needs Properties.LoadBalancerInfo.ContainerName on its ${ECS_SERVICE} resource`;
    const port = Number(info.ContainerPort);
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      return `needs Properties.LoadBalancerInfo.ContainerPort (1-65535) on its ${ECS_SERVICE} resource`;
  }
  return undefined;
}

/** The AppSpec with every ECS service target pointed at `taskDefinitionArn`; the document is not changed. */
export function withTaskDefinition(doc: AppSpec, taskDefinitionArn: string): AppSpec {
  const copy = structuredClone(doc);
  const targets = ecsTargets(copy);
  if (typeof targets === 'string') throw new InputError(INPUT, targets);
  for (const target of targets)
    target.Properties = { ...target.Properties, TaskDefinition: taskDefinitionArn };
  return copy;
}

/**
 * An AppSpec for a service without a file: the container and port of the service's first load
 * balancer, as the CodeDeploy console's ECS deployment does. Undefined when the service has none.
 */
export function generatedAppSpec(
  loadBalancers: readonly LoadBalancer[] | undefined,
  taskDefinitionArn: string,
): AppSpec | undefined {
  const lb = loadBalancers?.find((l) => l.containerName !== undefined && l.containerPort !== undefined);
  if (lb === undefined) return undefined;
  return {
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: ECS_SERVICE,
          Properties: {
            TaskDefinition: taskDefinitionArn,
            LoadBalancerInfo: { ContainerName: lb.containerName, ContainerPort: lb.containerPort },
          },
        },
      },
    ],
  };
}
