import { defineService, type ServiceContext, type ServiceInstance } from '../service';
import { seed, state } from './ecs/control';
import { serviceHandlers } from './ecs/handlers-services';
import { tagHandlers } from './ecs/handlers-tags';
import { taskDefinitionHandlers } from './ecs/handlers-task-definitions';
import { taskHandlers } from './ecs/handlers-tasks';
import { connectBlueGreen } from './ecs/link';
import { ECS_SCENARIOS, type EcsScenario } from './ecs/scenarios';
import { EcsStore } from './ecs/state';

/**
 * Amazon ECS over JSON 1.1, for what moto lacks: services that roll out over virtual time. The
 * parts live in `ecs/`: `state.ts` (records and the store), `scenarios.ts` and `rollout.ts` (pure
 * timing rules), `updates.ts` and `services.ts` (deployments over virtual time), `tasks.ts`,
 * `task-definitions.ts`, `views.ts` (wire shapes), `link.ts` (CodeDeploy's blue/green side),
 * `control.ts` (seed, state) and one `handlers-*.ts` per group of resources.
 */

function createEcs(context: ServiceContext<EcsScenario>): ServiceInstance {
  const store = new EcsStore(context);
  connectBlueGreen(store);
  return {
    operations: [
      ...taskDefinitionHandlers(store),
      ...serviceHandlers(store),
      ...taskHandlers(store),
      ...tagHandlers(store),
    ],
    seed: (input, region) => seed(store, input, region),
    state: () => state(store),
  };
}

/** Amazon ECS over JSON 1.1: task definitions, services that roll out over virtual time, tasks and tags. */
export const ecsService = defineService<EcsScenario>({
  service: 'ecs',
  signingName: 'ecs',
  scenarios: ECS_SCENARIOS,
  defaultScenario: 'healthy',
  create: createEcs,
});
