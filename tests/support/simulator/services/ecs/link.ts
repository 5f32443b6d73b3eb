import type { EcsStore } from './state';
import { failedTask } from './tasks';
import { findService, primary } from './updates';

/** ECS's side of the blue/green link: what CodeDeploy reads of a service, and the tasks its task sets stop. */
export function connectBlueGreen(store: EcsStore): void {
  store.link.ecs = {
    service: (cluster, name) => {
      const found = findService(store, cluster, name);
      return (
        found && {
          arn: found.arn,
          clusterArn: found.clusterArn,
          deploymentController: found.deploymentController,
          taskDefinition: primary(found).taskDefinition,
          desiredCount: found.desiredCount,
          launchType: found.launchType,
          loadBalancers: found.loadBalancers,
        }
      );
    },
    hasTaskDefinition: (arn) => store.taskDefinitions.all().some((t) => t.arn === arn),
    stoppedTask: (cluster, name, taskSet, taskDefinitionArn, at, failure) => {
      const service = store.services.get(`${cluster}/${name}`);
      if (service === undefined) return;
      const targetGroup = String(service.loadBalancers[0]?.targetGroupArn ?? '');
      const base = {
        clusterArn: service.clusterArn,
        taskDefinitionArn,
        startedBy: taskSet,
        group: `service:${service.name}`,
        launchType: service.launchType,
        createdAt: at,
      };
      const reason = failure.stoppedReason.split('{targetGroup}').join(targetGroup);
      failedTask(store, at, base, { ...failure, stoppedReason: reason }, at - 5_000);
    },
  };
}
