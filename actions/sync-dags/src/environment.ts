import type { Environment, MWAAClient } from '@aws-sdk/client-mwaa';
import { DeployFailed, InputError, messageOf, waitFor, type Clock, type Log } from '@deploy-suite/kit';
import { ENVIRONMENT_FIELDS, type EnvironmentArtifacts } from './artifacts';
import { loadMwaaSdk } from './mwaa-sdk';

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
  const { GetEnvironmentCommand } = await loadMwaaSdk();
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

/**
 * UpdateEnvironment, safe to repeat. When an answer is lost on the way back, the SDK sends the call
 * again; the first one already put the environment in UPDATING, so MWAA refuses the repeat with a
 * ValidationException (the API's one error for a request the environment's state does not allow).
 * The environment is then read back: updating toward exactly these versions, in an update newer
 * than the one seen before the call, is this run's update and the wait goes on as if MWAA had
 * answered; anything else is someone else's update, named in the error.
 */
export async function startUpdate(
  mwaa: MWAAClient,
  name: string,
  changes: EnvironmentArtifacts,
  before: Environment,
  log: Log,
): Promise<void> {
  const { UpdateEnvironmentCommand } = await loadMwaaSdk();
  try {
    await mwaa.send(new UpdateEnvironmentCommand({ Name: name, ...definedOnly(changes) }));
  } catch (err) {
    if ((err as { name?: string }).name !== 'ValidationException') throw err;
    const now = await readEnvironment(mwaa, name);
    const verdict = judgeRefusedUpdate(changes, before, now);
    if (verdict.ours) {
      log.info(
        `MWAA refused a repeat of UpdateEnvironment (${messageOf(err)}), but ${name} is already ${now.Status ?? 'updating'} toward these versions: this run's update, whose answer was lost; waiting for it`,
      );
      return;
    }
    throw new DeployFailed(`MWAA environment ${name} refused the update: ${verdict.why}`, [
      `MWAA said: ${messageOf(err)}`,
      'Run the step again once that update has ended.',
    ]);
  }
}

/** Statuses of an update under way (CREATING_SNAPSHOT is the first part of some updates). */
const UPDATE_UNDER_WAY = new Set(['UPDATING', 'CREATING_SNAPSHOT']);

export type RefusedUpdateVerdict = { ours: true } | { ours: false; why: string };

/**
 * Whose update made MWAA refuse ours. Ours when the environment shows every field we sent (the
 * object versions included), and its LastUpdate started after the one seen before the call and is
 * still going or succeeded. MWAA does not say who asked for an update, so the versions and the
 * start time are the evidence.
 */
export function judgeRefusedUpdate(
  sent: EnvironmentArtifacts,
  before: Environment,
  now: Environment,
): RefusedUpdateVerdict {
  const status = now.Status ?? 'UNKNOWN';
  const update = now.LastUpdate;
  const startedAt = update?.CreatedAt?.getTime();
  const previous = before.LastUpdate?.CreatedAt?.getTime();
  const newer = startedAt !== undefined && (previous === undefined || startedAt > previous);
  const differing = Object.entries(definedOnly(sent)).filter(
    ([field, value]) => stripSlash(now[field as keyof Environment]) !== stripSlash(value),
  );
  const going = UPDATE_UNDER_WAY.has(status) || (status === 'AVAILABLE' && update?.Status === 'SUCCESS');
  if (newer && going && differing.length === 0) return { ours: true };
  const started = startedAt === undefined ? 'at an unknown time' : `at ${new Date(startedAt).toISOString()}`;
  const source = update?.Source === undefined ? '' : ` by ${update.Source}`;
  const toward = Object.values(ENVIRONMENT_FIELDS)
    .map(({ version }) => `${version}=${String(now[version] ?? 'none')}`)
    .join(', ');
  const mismatch =
    differing.length === 0
      ? newer
        ? `its update ended ${update?.Status ?? 'in an unknown state'}`
        : 'no update newer than the one before this run is under way'
      : `not this run's versions (${differing.map(([field, value]) => `${field} ${String(now[field as keyof Environment] ?? 'none')} instead of ${value}`).join('; ')})`;
  return {
    ours: false,
    why: `it is ${status} with an update started ${started}${source} toward ${toward}: ${mismatch}`,
  };
}

function stripSlash(value: unknown): string | undefined {
  return typeof value === 'string' ? value.replace(/^\/+/, '') : undefined;
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
