import { defineService, type ServiceContext, type ServiceInstance } from '../service';
import { environmentHandlers, environmentView } from './mwaa/handlers';
import { MwaaStore, withoutName, type Config } from './mwaa/state';
import { MWAA_SCENARIOS, type MwaaScenario } from './mwaa/timing';
import { settle } from './mwaa/updates';

/**
 * Amazon MWAA environments. The parts live in `mwaa/`: `state.ts` (records and the store),
 * `timing.ts` (scenarios and where an update stands, pure), `updates.ts` (updates over virtual
 * time) and `handlers.ts` (the wire operations and the environment's shape).
 */

/** The S3 object versions an update pins; recorded on the environment so tests can assert them. */
export const MWAA_OBJECT_VERSION_FIELDS = [
  'RequirementsS3ObjectVersion',
  'PluginsS3ObjectVersion',
  'StartupScriptS3ObjectVersion',
] as const;

function createMwaa(context: ServiceContext<MwaaScenario>): ServiceInstance {
  const store = new MwaaStore(context);
  return {
    operations: environmentHandlers(store),
    seed: (input: Config, region: string) => {
      if (typeof input.Name !== 'string' || !input.Name)
        throw new Error('seeding an MWAA environment needs a Name');
      return {
        Environment: environmentView(store, store.create(input.Name, withoutName(input), region, false)),
      };
    },
    state: () => ({
      environments: [...store.environments.values()].map((environment) => {
        settle(store, environment);
        return {
          ...environmentView(store, environment),
          Scenario: context.scenarioFor(environment.name).name,
          Updates: environment.updates.map((u) => ({ ...u, startedAt: new Date(u.startedAt).toISOString() })),
        };
      }),
    }),
  };
}

/** Amazon MWAA over REST-JSON (moto has no MWAA): create, get, update and list environments. */
export const mwaaService = defineService<MwaaScenario>({
  service: 'mwaa',
  signingName: 'airflow',
  scenarios: MWAA_SCENARIOS,
  defaultScenario: 'healthy',
  create: createMwaa,
});
