import type { Operation } from '../../service';
import { withoutName, type EnvironmentRecord, type MwaaStore } from './state';
import { openEnvironment, phaseOf, startUpdate } from './updates';

/** MWAA's REST-JSON operations on environments, and how an environment reads on the wire. */
export function environmentHandlers(store: MwaaStore): Operation[] {
  return [
    {
      name: 'CreateEnvironment',
      route: { protocol: 'rest-json', method: 'PUT', path: '/environments/{Name}' },
      handle: ({ input, region }) => ({
        Arn: store.create(String(input.Name), withoutName(input), region, true).arn,
      }),
    },
    {
      name: 'GetEnvironment',
      route: { protocol: 'rest-json', method: 'GET', path: '/environments/{Name}' },
      handle: ({ input }) => ({ Environment: environmentView(store, openEnvironment(store, input.Name)) }),
    },
    {
      name: 'UpdateEnvironment',
      route: { protocol: 'rest-json', method: 'PATCH', path: '/environments/{Name}' },
      handle: ({ input }) => {
        const environment = openEnvironment(store, input.Name);
        startUpdate(store, environment, withoutName(input));
        return { Arn: environment.arn };
      },
    },
    {
      name: 'ListEnvironments',
      route: { protocol: 'rest-json', method: 'GET', path: '/environments' },
      handle: () => ({ Environments: [...store.environments.keys()].sort() }),
    },
  ];
}

/**
 * GetEnvironment's `Environment`: while an update runs, the requested fields until a failure
 * restores the previous ones, and LastUpdate PENDING.
 */
export function environmentView(store: MwaaStore, environment: EnvironmentRecord): Record<string, unknown> {
  const update = environment.inFlight;
  const phase = update && phaseOf(store, update);
  const config = phase && !phase.applied && update ? update.previous : environment.config;
  const lastUpdate = update
    ? { Status: phase?.updateStatus ?? 'PENDING', CreatedAt: new Date(update.startedAt) }
    : environment.lastUpdate && {
        ...environment.lastUpdate,
        CreatedAt: new Date(environment.lastUpdate.CreatedAt),
      };
  return {
    ...config,
    Name: environment.name,
    Arn: environment.arn,
    Status: phase?.status ?? environment.status,
    CreatedAt: new Date(environment.createdAt),
    WebserverUrl: `${environment.name}.airflow.simulator.local`,
    ...(lastUpdate && { LastUpdate: lastUpdate }),
  };
}
