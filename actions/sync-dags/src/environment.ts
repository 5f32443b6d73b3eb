import {
  GetEnvironmentCommand,
  UpdateEnvironmentCommand,
  type Environment,
  type MWAAClient,
} from '@aws-sdk/client-mwaa';
import { DeployFailed, InputError, waitFor, type Clock, type Log } from '@deploy-suite/kit';
import type { EnvironmentArtifacts } from './artifacts';

export interface EnvironmentPorts {
  mwaa: MWAAClient;
  clock: Clock;
  log: Log;
  pollIntervalMs: number;
}

/** Statuses in which MWAA refuses an update and will move on by itself. */
const BUSY = new Set([
  'CREATING',
  'UPDATING',
  'ROLLING_BACK',
  'CREATING_SNAPSHOT',
  'PENDING',
  'MAINTENANCE',
  'DELETING',
]);
/** Statuses an update can end in that are not success. */
const FAILED = new Set(['UPDATE_FAILED', 'CREATE_FAILED', 'UNAVAILABLE', 'DELETED']);

export async function readEnvironment(mwaa: MWAAClient, name: string): Promise<Environment> {
  try {
    const answer = await mwaa.send(new GetEnvironmentCommand({ Name: name }));
    if (answer.Environment === undefined)
      throw new Error(`MWAA GetEnvironment returned no environment for ${name}`);
    return answer.Environment;
  } catch (err) {
    if ((err as { name?: string }).name === 'ResourceNotFoundException') {
      throw new InputError(
        'mwaa-environment',
        `names no MWAA environment in this region: '${name}' was not found`,
      );
    }
    throw err;
  }
}

/**
 * An environment reads its DAGs, requirements and plugins from one bucket; pinning versions of
 * objects in another bucket would point it at files it cannot see.
 */
export function checkEnvironmentBucket(
  environment: Environment,
  bucket: string,
  prefix: string,
  log: Log,
): void {
  const expected = `arn:aws:s3:::${bucket}`;
  if (environment.SourceBucketArn !== undefined && environment.SourceBucketArn !== expected) {
    throw new InputError(
      'bucket',
      `is '${bucket}', but MWAA environment ${environment.Name ?? ''} reads from ${environment.SourceBucketArn}`,
    );
  }
  const dagPath = environment.DagS3Path?.replace(/^\/+|\/+$/g, '');
  if (dagPath !== undefined && dagPath !== '' && `${dagPath}/` !== prefix) {
    log.warning(
      `MWAA environment ${environment.Name ?? ''} reads DAGs from '${dagPath}/', but prefix is '${prefix}': Airflow will not see these files`,
    );
  }
}

export function artifactsOf(environment: Environment): EnvironmentArtifacts {
  return {
    RequirementsS3Path: environment.RequirementsS3Path,
    RequirementsS3ObjectVersion: environment.RequirementsS3ObjectVersion,
    PluginsS3Path: environment.PluginsS3Path,
    PluginsS3ObjectVersion: environment.PluginsS3ObjectVersion,
    StartupScriptS3Path: environment.StartupScriptS3Path,
    StartupScriptS3ObjectVersion: environment.StartupScriptS3ObjectVersion,
  };
}

/** Waits (when it is busy) until MWAA would accept an update. */
export async function waitUntilUpdatable(
  name: string,
  current: Environment,
  timeoutMs: number,
  ports: EnvironmentPorts,
): Promise<Environment> {
  if (!BUSY.has(current.Status ?? '')) return current;
  ports.log.info(
    `MWAA environment ${name} is ${current.Status ?? 'busy'}; waiting for it to settle before updating`,
  );
  const printer = statusPrinter(name, ports.log, current.Status);
  return waitFor({
    what: `MWAA environment ${name} to accept an update`,
    timeoutMs,
    intervalMs: ports.pollIntervalMs,
    clock: ports.clock,
    check: async () => {
      const environment = await readEnvironment(ports.mwaa, name);
      const status = environment.Status ?? 'UNKNOWN';
      printer(status);
      if (BUSY.has(status)) return { done: false, status };
      return { done: true, value: environment };
    },
  });
}

export async function startUpdate(
  mwaa: MWAAClient,
  name: string,
  changes: EnvironmentArtifacts,
): Promise<void> {
  await mwaa.send(new UpdateEnvironmentCommand({ Name: name, ...definedOnly(changes) }));
}

/**
 * Waits for the update just started to end. Status alone can lie: an update that fails and rolls
 * back ends AVAILABLE with LastUpdate.Status FAILED, so LastUpdate decides. An outcome counts only
 * once the update has been seen under way (or LastUpdate is newer than before), so the state from
 * before the call is never taken for the result.
 */
export async function waitForUpdate(
  name: string,
  before: Environment,
  timeoutMs: number,
  ports: EnvironmentPorts,
  onStatus: (status: string) => void = () => undefined,
): Promise<Environment> {
  const previousUpdate = before.LastUpdate?.CreatedAt?.getTime();
  const printer = statusPrinter(name, ports.log, undefined);
  let started = false;
  let last: Environment | undefined;
  return waitFor({
    what: `MWAA environment ${name} to finish its update`,
    timeoutMs,
    intervalMs: ports.pollIntervalMs,
    clock: ports.clock,
    evidence: () => (last?.LastUpdate?.Error ? [describeError(last)] : []),
    check: async () => {
      const environment = await readEnvironment(ports.mwaa, name);
      last = environment;
      const status = environment.Status ?? 'UNKNOWN';
      printer(status);
      onStatus(status);
      const update = environment.LastUpdate;
      const updatedAt = update?.CreatedAt?.getTime();
      started ||=
        BUSY.has(status) ||
        update?.Status === 'PENDING' ||
        (updatedAt !== undefined && (previousUpdate === undefined || updatedAt > previousUpdate));
      if (!started || BUSY.has(status)) return { done: false, status };
      if (FAILED.has(status) || update?.Status === 'FAILED') {
        throw new DeployFailed(
          `MWAA environment ${name} update failed (${status}): ${describeError(environment)}`,
          [`LastUpdate: ${update?.Status ?? 'unknown'}`, `Status: ${status}`],
          status,
        );
      }
      if (status === 'AVAILABLE') return { done: true, value: environment };
      return { done: false, status };
    },
  });
}

function describeError(environment: Environment): string {
  const error = environment.LastUpdate?.Error;
  if (error === undefined) return 'MWAA gave no error message';
  return [error.ErrorCode, error.ErrorMessage].filter((part) => part !== undefined && part !== '').join(': ');
}

/** One log line per status change. */
function statusPrinter(name: string, log: Log, initial: string | undefined): (status: string) => void {
  let shown = initial;
  return (status) => {
    if (status === shown) return;
    shown = status;
    log.info(`MWAA environment ${name}: ${status}`);
  };
}

function definedOnly(changes: EnvironmentArtifacts): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(changes)) if (typeof value === 'string') out[field] = value;
  return out;
}
