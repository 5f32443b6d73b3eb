import { defineService, type ServiceContext, type ServiceInstance } from '../service';
import { seed, state } from './elastic-beanstalk/control';
import { applicationHandlers } from './elastic-beanstalk/handlers-applications';
import { configurationHandlers } from './elastic-beanstalk/handlers-configuration';
import { environmentHandlers } from './elastic-beanstalk/handlers-environments';
import { eventAndHealthHandlers } from './elastic-beanstalk/handlers-events-health';
import { tagHandlers } from './elastic-beanstalk/handlers-tags';
import { BeanstalkStore } from './elastic-beanstalk/state';
import { BEANSTALK_SCENARIOS, type BeanstalkScenario } from './elastic-beanstalk/timing';

/**
 * Elastic Beanstalk over the Query protocol, for what moto lacks: application versions, environment
 * updates that take time and fail in the scenario's way, their events and health. The parts live in
 * `elastic-beanstalk/`: `state.ts` (records and the store), `timing.ts` (scenarios and the events
 * an update plans, pure), `updates.ts` (updates over virtual time), `views.ts` (wire shapes) and
 * one `handlers-*.ts` per group of resources.
 */

export { EVENTS_PAGE_CAP } from './elastic-beanstalk/handlers-events-health';

function createBeanstalk(context: ServiceContext<BeanstalkScenario>): ServiceInstance {
  const store = new BeanstalkStore(context);
  return {
    operations: [
      ...applicationHandlers(store),
      ...environmentHandlers(store),
      ...eventAndHealthHandlers(store),
      ...configurationHandlers(store),
      ...tagHandlers(store),
    ],
    seed: (input, region) => seed(store, input, region),
    state: () => state(store),
  };
}

/** AWS Elastic Beanstalk (Query protocol): versions, environments, updates over time, events and health. */
export const elasticBeanstalkService = defineService<BeanstalkScenario>({
  service: 'elasticbeanstalk',
  signingName: 'elasticbeanstalk',
  xmlNamespace: 'http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/',
  scenarios: BEANSTALK_SCENARIOS,
  defaultScenario: 'healthy',
  create: createBeanstalk,
});
