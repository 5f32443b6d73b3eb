import { ServiceError } from '../errors';
import { defineService, type ServiceContext, type ServiceInstance } from '../service';
import {
  MWAA_SCENARIOS,
  updatePhase,
  type EnvironmentStatus,
  type MwaaScenario,
  type UpdatePhase,
  type UpdateStatus,
} from './mwaa-lifecycle';

/** The S3 object versions an update pins; recorded on the environment so tests can assert them. */
export const MWAA_OBJECT_VERSION_FIELDS = [
  'RequirementsS3ObjectVersion',
  'PluginsS3ObjectVersion',
  'StartupScriptS3ObjectVersion',
] as const;

type Config = Readonly<Record<string, unknown>>;

interface UpdateError {
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

interface UpdateRecord {
  readonly startedAt: number;
  readonly scenario: string;
  readonly requested: Config;
  outcome: UpdateStatus;
}

interface InFlightUpdate {
  readonly startedAt: number;
  readonly scenario: MwaaScenario;
  readonly previous: Config;
  readonly record: UpdateRecord;
}

interface EnvironmentRecord {
  readonly name: string;
  readonly arn: string;
  readonly createdAt: number;
  readonly readyAt: number;
  config: Config;
  status: EnvironmentStatus;
  lastUpdate?: { readonly Status: UpdateStatus; readonly CreatedAt: number; readonly Error?: UpdateError };
  inFlight?: InFlightUpdate;
  readonly updates: UpdateRecord[];
}

function defaultConfig(name: string, accountId: string): Config {
  return {
    AirflowVersion: '2.8.1',
    EnvironmentClass: 'mw1.small',
    SourceBucketArn: `arn:aws:s3:::airflow-${name}`,
    DagS3Path: 'dags',
    ExecutionRoleArn: `arn:aws:iam::${accountId}:role/mwaa-${name}`,
    WebserverAccessMode: 'PRIVATE_ONLY',
  };
}

function withoutName(input: Config): Config {
  const { Name: _name, ...rest } = input;
  return rest;
}

function createMwaa(context: ServiceContext<MwaaScenario>): ServiceInstance {
  const environments = new Map<string, EnvironmentRecord>();
  const now = (): number => context.clock.now();

  function find(name: unknown): EnvironmentRecord {
    const environment = typeof name === 'string' ? environments.get(name) : undefined;
    if (!environment) {
      throw new ServiceError('ResourceNotFoundException', `Environment ${String(name)} was not found.`, 404);
    }
    settle(environment);
    return environment;
  }

  function phaseOf(update: InFlightUpdate): UpdatePhase {
    return updatePhase(update.scenario, (now() - update.startedAt) / 1000);
  }

  /** Folds a finished update into the environment, so the next update starts from its outcome. */
  function settle(environment: EnvironmentRecord): void {
    const update = environment.inFlight;
    if (now() >= environment.readyAt && environment.status === 'CREATING') environment.status = 'AVAILABLE';
    if (!update) return;
    const phase = phaseOf(update);
    if (!phase.settled) return;
    if (!phase.applied) environment.config = update.previous;
    environment.status = phase.status;
    environment.lastUpdate = {
      Status: phase.updateStatus,
      CreatedAt: update.startedAt,
      ...(phase.updateStatus === 'FAILED' && update.scenario.error && { Error: update.scenario.error }),
    };
    update.record.outcome = phase.updateStatus;
    delete environment.inFlight;
  }

  function view(environment: EnvironmentRecord): Record<string, unknown> {
    const update = environment.inFlight;
    const phase = update && phaseOf(update);
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

  function create(name: string, config: Config, region: string, creating: boolean): EnvironmentRecord {
    if (environments.has(name))
      throw new ServiceError('ValidationException', `Environment ${name} already exists.`);
    const createdAt = now();
    const readyAt = creating
      ? createdAt + context.scenarioFor(name).definition.createSeconds * 1000
      : createdAt;
    const environment: EnvironmentRecord = {
      name,
      arn: `arn:aws:airflow:${region}:${context.accountId}:environment/${name}`,
      createdAt,
      readyAt,
      config: { ...defaultConfig(name, context.accountId), ...config },
      status: creating ? 'CREATING' : 'AVAILABLE',
      updates: [],
    };
    environments.set(name, environment);
    return environment;
  }

  function startUpdate(environment: EnvironmentRecord, requested: Config): void {
    const status = environment.inFlight ? phaseOf(environment.inFlight).status : environment.status;
    // MWAA's API reference lists ValidationException (400) as UpdateEnvironment's answer to a request
    // the environment cannot take; its text names the status, as in "Environments with
    // CREATE_FAILED status cannot be updated." (quoted from a real answer in
    // cloud-custodian/cloud-custodian pull request 8866).
    if (status !== 'AVAILABLE' && status !== 'UPDATE_FAILED') {
      throw new ServiceError('ValidationException', `Environments with ${status} status cannot be updated.`);
    }
    const scenario = context.scenarioFor(environment.name);
    const record: UpdateRecord = { startedAt: now(), scenario: scenario.name, requested, outcome: 'PENDING' };
    environment.updates.push(record);
    environment.inFlight = {
      startedAt: record.startedAt,
      scenario: scenario.definition,
      previous: environment.config,
      record,
    };
    environment.config = { ...environment.config, ...requested };
  }

  return {
    operations: [
      {
        name: 'CreateEnvironment',
        route: { protocol: 'rest-json', method: 'PUT', path: '/environments/{Name}' },
        handle: ({ input, region }) => ({
          Arn: create(String(input.Name), withoutName(input), region, true).arn,
        }),
      },
      {
        name: 'GetEnvironment',
        route: { protocol: 'rest-json', method: 'GET', path: '/environments/{Name}' },
        handle: ({ input }) => ({ Environment: view(find(input.Name)) }),
      },
      {
        name: 'UpdateEnvironment',
        route: { protocol: 'rest-json', method: 'PATCH', path: '/environments/{Name}' },
        handle: ({ input }) => {
          const environment = find(input.Name);
          startUpdate(environment, withoutName(input));
          return { Arn: environment.arn };
        },
      },
      {
        name: 'ListEnvironments',
        route: { protocol: 'rest-json', method: 'GET', path: '/environments' },
        handle: () => ({ Environments: [...environments.keys()].sort() }),
      },
    ],
    seed: (input: Config, region: string) => {
      if (typeof input.Name !== 'string' || !input.Name)
        throw new Error('seeding an MWAA environment needs a Name');
      return { Environment: view(create(input.Name, withoutName(input), region, false)) };
    },
    state: () => ({
      environments: [...environments.values()].map((environment) => {
        settle(environment);
        return {
          ...view(environment),
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
