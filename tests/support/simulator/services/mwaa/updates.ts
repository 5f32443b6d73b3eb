import { ServiceError } from '../../errors';
import type { Config, EnvironmentRecord, InFlightUpdate, MwaaStore, UpdateRecord } from './state';
import { updatePhase, type UpdatePhase } from './timing';

/** Updates over virtual time: nothing runs on a timer, an environment is settled whenever it is read. */

export function phaseOf(store: MwaaStore, update: InFlightUpdate): UpdatePhase {
  return updatePhase(update.scenario, (store.now() - update.startedAt) / 1000);
}

/** The environment by name, settled. */
export function openEnvironment(store: MwaaStore, name: unknown): EnvironmentRecord {
  const environment = store.get(name);
  settle(store, environment);
  return environment;
}

/** Folds a finished creation or update into the environment, so the next update starts from its outcome. */
export function settle(store: MwaaStore, environment: EnvironmentRecord): void {
  const update = environment.inFlight;
  if (store.now() >= environment.readyAt && environment.status === 'CREATING')
    environment.status = 'AVAILABLE';
  if (!update) return;
  const phase = phaseOf(store, update);
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

/** Starts an update that plays the scenario chosen for the environment; the requested fields show at once. */
export function startUpdate(store: MwaaStore, environment: EnvironmentRecord, requested: Config): void {
  const status = environment.inFlight ? phaseOf(store, environment.inFlight).status : environment.status;
  // MWAA's API reference lists ValidationException (400) as UpdateEnvironment's answer to a request
  // the environment cannot take; its text names the status, as in "Environments with
  // CREATE_FAILED status cannot be updated." (quoted from a real answer in
  // cloud-custodian/cloud-custodian pull request 8866).
  if (status !== 'AVAILABLE' && status !== 'UPDATE_FAILED')
    throw new ServiceError('ValidationException', `Environments with ${status} status cannot be updated.`);
  const scenario = store.context.scenarioFor(environment.name);
  const record: UpdateRecord = {
    startedAt: store.now(),
    scenario: scenario.name,
    requested,
    outcome: 'PENDING',
  };
  environment.updates.push(record);
  environment.inFlight = {
    startedAt: record.startedAt,
    scenario: scenario.definition,
    previous: environment.config,
    record,
  };
  environment.config = { ...environment.config, ...requested };
}
