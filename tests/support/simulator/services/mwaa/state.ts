import { ServiceError } from '../../errors';
import type { ServiceContext } from '../../service';
import type { EnvironmentStatus, MwaaScenario, UpdateStatus } from './timing';

/** What the simulated MWAA holds: environments, their configuration, the update in flight and every update asked for. */

export type Config = Readonly<Record<string, unknown>>;

export interface UpdateError {
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

/** One UpdateEnvironment request, kept for `/_sim/services/mwaa/state`. */
export interface UpdateRecord {
  readonly startedAt: number;
  readonly scenario: string;
  readonly requested: Config;
  outcome: UpdateStatus;
}

export interface InFlightUpdate {
  readonly startedAt: number;
  /** Read when the update starts: choosing another scenario affects the next update. */
  readonly scenario: MwaaScenario;
  /** The configuration a failed update restores. */
  readonly previous: Config;
  readonly record: UpdateRecord;
}

export interface EnvironmentRecord {
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

/** The fields an environment has before anyone sets them (a subset of GetEnvironment's answer). */
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

/** The request's fields without the path parameter `Name`. */
export function withoutName(input: Config): Config {
  const { Name: _name, ...rest } = input;
  return rest;
}

/** One service instance's environments; made afresh on every simulator reset. */
export class MwaaStore {
  readonly environments = new Map<string, EnvironmentRecord>();

  constructor(readonly context: ServiceContext<MwaaScenario>) {}

  now(): number {
    return this.context.clock.now();
  }

  /** The environment by name, or MWAA's ResourceNotFoundException (404). */
  get(name: unknown): EnvironmentRecord {
    const environment = typeof name === 'string' ? this.environments.get(name) : undefined;
    if (!environment)
      throw new ServiceError('ResourceNotFoundException', `Environment ${String(name)} was not found.`, 404);
    return environment;
  }

  /** CREATING for the scenario's `createSeconds` when `creating`, else AVAILABLE at once (seeded). */
  create(name: string, config: Config, region: string, creating: boolean): EnvironmentRecord {
    if (this.environments.has(name))
      throw new ServiceError('ValidationException', `Environment ${name} already exists.`);
    const createdAt = this.now();
    const readyAt = creating
      ? createdAt + this.context.scenarioFor(name).definition.createSeconds * 1000
      : createdAt;
    const environment: EnvironmentRecord = {
      name,
      arn: `arn:aws:airflow:${region}:${this.context.accountId}:environment/${name}`,
      createdAt,
      readyAt,
      config: { ...defaultConfig(name, this.context.accountId), ...config },
      status: creating ? 'CREATING' : 'AVAILABLE',
      updates: [],
    };
    this.environments.set(name, environment);
    return environment;
  }
}
