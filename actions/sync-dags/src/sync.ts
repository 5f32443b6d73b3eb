import { join, relative } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Environment, MWAAClient } from '@aws-sdk/client-mwaa';
import {
  Cancelled,
  DeployFailed,
  failureStatus,
  formatBytes,
  withResult,
  messageOf,
  type Clock,
  type Log,
  type RunTool,
} from '@deploy-suite/kit';
import {
  ARTIFACT_KINDS,
  DEFAULT_ARTIFACT_KEYS,
  ENVIRONMENT_FIELDS,
  environmentChanges,
  prepareArtifacts,
  type ArtifactPlan,
} from './artifacts';
import { artifactsOf, checkEnvironmentBucket, readEnvironment } from './environment';
import { AirflowIgnore } from './airflowignore';
import { dagFilesOf } from './dag-files';
import { createPathFilter, type PathFilter } from './filters';
import { chooseIgnoreSyntax } from './ignore-syntax';
import type { Inputs } from './inputs';
import { hashLocalFiles } from './local-hash';
import { IGNORE_FILE, scanLocalTree, type LocalTree } from './local-tree';
import { outcomeOf, planArtifacts, requireVersionedBucket, updateEnvironment, uploadArtifacts } from './mwaa';
import { emptyOutcome, inFlight, type SyncOutcome } from './outcome';
import { resultOf } from './report';
import {
  bytesToUpload,
  checkDeleteLimits,
  pathsToCheck,
  type HashedFile,
  planSync,
  type RemoteObject,
  type SyncPlan,
} from './plan';
import { listRemoteTree, readStoredHashes } from './remote-tree';
import { deleteAll, uploadAll } from './transfer';
import { validateDags } from './validate';
import { isLeaseKey, Lease, LEASE_SUFFIX, type LeaseOwner } from './lease';

export interface SyncPorts {
  s3: S3Client;
  /** Made only when the run names an MWAA environment; undefined otherwise. */
  mwaa: MWAAClient | undefined;
  clock: Clock;
  log: Log;
  runTool: RunTool;
  findExecutable: (name: string) => string | undefined;
  /** The checkout: relative paths in annotations and the validation command's working folder. */
  workspace: string;
  /** Scratch space for the plugins zip and the DAG file list. */
  tempDir: string;
  /** Real folders symbolic links in the DAGs folder may lead into (allowedRoots: workspace, RUNNER_TEMP). */
  roots: readonly string[];
  pollIntervalMs: number;
  /** Who this run is, written into the lease on the prefix. */
  leaseOwner: LeaseOwner;
  /** Releases the lease: its calls still go out after a cancel, with a deadline inside the cancel's grace. */
  releaseS3: S3Client;
  /** Calls `tick` every `ms` of real time until the returned function is called (lease renewal). */
  every: (ms: number, tick: () => void) => () => void;
}

/** How often the lease is looked at for renewal; it renews only when a third of it has passed. */
const LEASE_TICK_MS = 1_000;

/**
 * Validate, take the lease, plan by content, upload, then delete, then point MWAA at the new
 * versions. Nothing is uploaded before validation passes and nothing is deleted before every
 * upload has succeeded.
 */
export async function syncDags(inputs: Readonly<Inputs>, ports: SyncPorts): Promise<SyncOutcome> {
  const outcome = emptyOutcome(inputs.source, inputs.bucket, inputs.prefix, inputs.dryRun);
  let leasing: Promise<Lease | undefined> | undefined;
  let stopRenewing = (): void => undefined;
  let ended = false;
  // Taken once nothing read from the folder can still stop the run: after validation, so a DAG
  // that does not compile ends the run without writing to the bucket, the lease included. A dry
  // run changes nothing, so it takes no lease; a real run lists the prefix only once it holds one,
  // so what it plans against is what no other run is changing.
  const holdLease = (): Promise<Lease | undefined> => {
    leasing ??= inputs.dryRun
      ? Promise.resolve(undefined)
      : takeLease(inputs, ports, () => !ended).then((held) => {
          stopRenewing = ports.every(LEASE_TICK_MS, () => void held.renewIfDue());
          return held;
        });
    leasing.catch(() => undefined); // awaited by its caller; a failure before then must not go unhandled
    return leasing;
  };
  try {
    await execute(inputs, ports, outcome, holdLease);
    outcome.status = 'succeeded';
  } catch (err) {
    // The failure carries what the run did, for run() to report whatever happens to the lease.
    if (!(err instanceof Cancelled)) {
      outcome.status = failureStatus(err);
      throw withResult(err, resultOf(outcome, err));
    }
    outcome.status = 'cancelled';
    outcome.leftInFlight = inFlight(outcome);
    const failure = new DeployFailed(err.message, outcome.leftInFlight, 'cancelled');
    throw withResult(failure, resultOf(outcome, failure));
  } finally {
    // A lease still being taken when the run failed is waited for (it stops waiting for another
    // run's), so that one taken is released, never left to expire.
    ended = true;
    const held = await leasing?.catch(() => undefined);
    stopRenewing();
    await held?.release(ports.releaseS3);
  }
  return outcome;
}

function takeLease(inputs: Readonly<Inputs>, ports: SyncPorts, wanted: () => boolean): Promise<Lease> {
  return Lease.acquire(
    {
      bucket: inputs.bucket,
      prefix: inputs.prefix,
      owner: ports.leaseOwner,
      timeoutMs: inputs.leaseTimeoutMs,
      wanted,
    },
    ports,
  );
}

async function execute(
  inputs: Readonly<Inputs>,
  ports: SyncPorts,
  outcome: SyncOutcome,
  holdLease: () => Promise<Lease | undefined>,
): Promise<void> {
  const { log, s3 } = ports;
  const filter = createPathFilter(inputs.include, inputs.exclude);
  const environment = inputs.mwaa && (await readMwaaEnvironment(inputs.mwaa.environment, inputs, ports));
  // With nothing to validate, nothing read from the folder can stop the run: the lease and the
  // listing go out first, and their round trips overlap the walk and the hashing.
  const early = inputs.validate.kind === 'none' ? leaseThenList(inputs, ports, holdLease) : undefined;
  const { files, ignore, syntax, leftOut } = await selectFiles(inputs, ports, filter, environment, outcome);
  // Hashing reads only the folder, so it runs while the DAGs are validated.
  const hashing = hashLocalFiles(files);
  hashing.catch(() => undefined); // awaited in planDags; a failure before then must not go unhandled

  outcome.validation = await log.group('Validating DAGs', () =>
    validateDags(
      files,
      inputs.validate,
      inputs.source,
      {
        syntax,
        dagFiles: () => dagFilesOf(files, ignore, inputs.concurrency),
        timeoutMs: inputs.validateTimeoutMs,
      },
      ports,
    ).catch((err: unknown) => {
      // The summary says validation failed, and why, rather than that it did not run.
      outcome.validation = `failed: ${messageOf(err)}`;
      throw err;
    }),
  );
  log.info(`Validation: ${outcome.validation}`);

  const leased = early ?? leaseThenList(inputs, ports, holdLease);
  const lease = await leased.lease;
  const remote = leased.remote;

  const given = {
    requirements: inputs.requirements,
    plugins: inputs.plugins,
    'startup-script': inputs.startupScript,
  } as const;
  const hasArtifacts = ARTIFACT_KINDS.some((kind) => given[kind] !== undefined);
  if (environment !== undefined && hasArtifacts) await requireVersionedBucket(s3, inputs.bucket);

  const planned = await log.group('Planning', async () => {
    const artifacts = await prepareArtifacts(given, environment && artifactsOf(environment), ports.tempDir);
    const artifactPlans = await planArtifacts(s3, inputs.bucket, artifacts);
    const protectedKeys = new Set([
      ...artifacts.map((a) => a.key),
      ...configuredKeys(environment),
      ...DEFAULT_ARTIFACT_KEYS,
    ]);
    return {
      ...(await planDags(
        inputs,
        ports,
        hashing,
        remote,
        (path) => filter.keeps(path) && !leftOut(path),
        protectedKeys,
      )),
      artifactPlans,
    };
  });
  const { plan, artifactPlans, objectsUnderPrefix } = planned;
  outcome.plan = plan;
  log.info(
    `Plan: ${plan.upload.length} to upload (${formatBytes(bytesToUpload(plan))}), ` +
      `${plan.delete.length} to delete, ${plan.unchanged.length} unchanged` +
      (inputs.delete || plan.delete.length > 0
        ? ''
        : ' (delete: false keeps objects no longer in the folder)'),
  );

  const destination = `s3://${inputs.bucket}/${inputs.prefix}`;
  if (inputs.dryRun) {
    describeDryRun(inputs, plan, artifactPlans, environment, outcome, log);
    checkDeleteLimits(plan, objectsUnderPrefix, inputs, destination);
    return;
  }
  checkDeleteLimits(plan, objectsUnderPrefix, inputs, destination);

  if (plan.upload.length > 0) {
    await log.group(`Uploading ${plan.upload.length} files to s3://${inputs.bucket}/${inputs.prefix}`, () =>
      uploadAll(s3, inputs.bucket, plan.upload, inputs.concurrency, log, (file) => {
        outcome.uploaded++;
        outcome.bytesUploaded += file.bytes;
      }),
    );
  }
  if (artifactPlans.length > 0) {
    outcome.artifacts = await log.group('MWAA artifacts', () =>
      uploadArtifacts(s3, inputs.bucket, artifactPlans, log),
    );
    outcome.bytesUploaded += artifactPlans
      .filter((a) => a.action === 'upload')
      .reduce((sum, a) => sum + a.size, 0);
  }
  if (plan.delete.length > 0) {
    await lease?.check('deleting');
    await log.group(`Deleting ${plan.delete.length} objects`, () =>
      deleteAll(s3, inputs.bucket, plan.delete, log, (count) => (outcome.deleted += count)),
    );
  }

  if (inputs.mwaa !== undefined && environment !== undefined) {
    const mwaa = inputs.mwaa;
    const before = environment;
    outcome.environment = {
      name: mwaa.environment,
      changes: undefined,
      updated: false,
      status: before.Status,
    };
    if (outcome.artifacts.length > 0) {
      await lease?.check('updating the MWAA environment');
      const target = outcome.environment;
      outcome.environment = await log.group(`MWAA environment ${mwaa.environment}`, () =>
        updateEnvironment(mwaa, before, outcome.artifacts, withMwaa(ports), target),
      );
    }
  }
}

/** Takes the lease, then lists the prefix: the listing starts once the lease is held. */
function leaseThenList(
  inputs: Readonly<Inputs>,
  ports: SyncPorts,
  holdLease: () => Promise<Lease | undefined>,
): { lease: Promise<Lease | undefined>; remote: Promise<Map<string, RemoteObject>> } {
  const lease = holdLease();
  const remote = lease.then(() => listRemoteTree(ports.s3, inputs.bucket, inputs.prefix));
  remote.catch(() => undefined); // awaited in planDags; a failure before then must not go unhandled
  return { lease, remote };
}

/** The ports with their MWAA client, which a run that names an environment always has. */
function withMwaa(ports: SyncPorts): SyncPorts & { mwaa: MWAAClient } {
  const { mwaa } = ports;
  if (mwaa === undefined) throw new Error('an MWAA environment is named but the ports have no MWAA client');
  return { ...ports, mwaa };
}

async function readMwaaEnvironment(
  name: string,
  inputs: Readonly<Inputs>,
  ports: SyncPorts,
): Promise<Environment> {
  const environment = await readEnvironment(withMwaa(ports).mwaa, name);
  checkEnvironmentBucket(environment, inputs.bucket, inputs.prefix, ports.log);
  ports.log.info(`MWAA environment ${name} is ${environment.Status ?? 'in an unknown state'}`);
  return environment;
}

/**
 * Walks the folder and decides what is uploaded: every file include / exclude keep, less what
 * .airflowignore names only when respect-airflowignore opts in. The .airflowignore rules are read
 * in the syntax the target Airflow uses, which may come from the environment.
 */
async function selectFiles(
  inputs: Readonly<Inputs>,
  ports: SyncPorts,
  filter: PathFilter,
  environment: Environment | undefined,
  outcome: SyncOutcome,
) {
  const { log } = ports;
  const tree = await scanLocalTree(inputs.source, { filter, roots: ports.roots });
  reportSkippedLinks(tree, inputs.source, ports);
  const decision = chooseIgnoreSyntax(inputs.airflowignoreSyntax, environment);
  if (decision.warning !== undefined) log.warning(decision.warning);
  const ignore = new AirflowIgnore(decision.syntax, tree.ignoreFiles, { re2: decision.re2 });
  reportInvalidPatterns(ignore, inputs.source, ports);
  if (tree.ignoreFiles.size > 0) log.info(`.airflowignore read as ${decision.syntax}: ${decision.reason}`);

  reportLeaseNames(tree, inputs.prefix, ports);
  const leftOut = (path: string): boolean =>
    isLeaseKey(inputs.prefix + path) || (inputs.respectAirflowignore && ignore.ignores(path));
  const files = tree.files.filter((file) => !leftOut(file.path));
  const ignoredButUploaded = inputs.respectAirflowignore
    ? 0
    : tree.files.filter((file) => ignore.ignores(file.path)).length;
  outcome.skipped = tree.excluded + (tree.files.length - files.length);
  log.info(
    `${files.length} files in ${relative(ports.workspace, inputs.source) || '.'}` +
      (outcome.skipped > 0 ? ` (${outcome.skipped} left out by ${leftOutBy(inputs)})` : '') +
      (ignoredButUploaded > 0
        ? `; ${ignoredButUploaded} named by .airflowignore are uploaded too (DAGs import them; Airflow does not parse them)`
        : ''),
  );
  return { files, ignore, syntax: decision.syntax, leftOut };
}

async function planDags(
  inputs: Readonly<Inputs>,
  ports: SyncPorts,
  hashing: Promise<HashedFile[]>,
  listing: Promise<Map<string, RemoteObject>>,
  selected: (path: string) => boolean,
  protectedKeys: ReadonlySet<string>,
): Promise<{ plan: SyncPlan; objectsUnderPrefix: number }> {
  const [hashed, remote] = await Promise.all([hashing, listing]);
  ports.log.info(`${remote.size} objects under s3://${inputs.bucket}/${inputs.prefix}`);
  const toCheck = pathsToCheck(hashed, remote)
    .map((path) => remote.get(path))
    .filter((object): object is RemoteObject => object !== undefined);
  const stored = await readStoredHashes(ports.s3, inputs.bucket, toCheck, inputs.concurrency);
  if (toCheck.length > 0)
    ports.log.info(`Read the stored MD5 of ${toCheck.length} objects whose ETag could not tell`);
  const plan = planSync(hashed, remote, stored, {
    prefix: inputs.prefix,
    delete: inputs.delete,
    selected,
    protectedKeys,
  });
  return { plan, objectsUnderPrefix: remote.size };
}

function leftOutBy(inputs: Readonly<Inputs>): string {
  const by = [
    ...(inputs.include.length > 0 ? ['include'] : []),
    ...(inputs.exclude.length > 0 ? ['exclude'] : []),
    ...(inputs.respectAirflowignore ? ['.airflowignore (respect-airflowignore: true)'] : []),
  ];
  return by.join(', ') || 'include / exclude';
}

/** The environment's own artifact keys: never deleted, even when they sit under the DAG prefix. */
function configuredKeys(environment: Environment | undefined): string[] {
  if (environment === undefined) return [];
  const artifacts = artifactsOf(environment);
  return ARTIFACT_KINDS.map((kind) => artifacts[ENVIRONMENT_FIELDS[kind].path])
    .filter((key): key is string => key !== undefined && key !== '')
    .map((key) => key.replace(/^\/+/, ''));
}

function reportInvalidPatterns(ignore: AirflowIgnore, source: string, ports: SyncPorts): void {
  const what = ignore.syntax === 'regexp' ? 'a valid regular expression' : 'a valid glob pattern';
  for (const bad of ignore.invalid) {
    ports.log.warning(
      `.airflowignore pattern '${bad.pattern}' is not ${what} (${ignore.syntax} syntax) and was skipped, as Airflow skips it: ${bad.reason}`,
      {
        file: relative(ports.workspace, join(source, bad.folder, IGNORE_FILE)),
        line: bad.line,
        title: 'Invalid .airflowignore pattern',
      },
    );
  }
}

/** A file named like a lease would overwrite another prefix's lease (or be taken for one): never uploaded. */
function reportLeaseNames(tree: LocalTree, prefix: string, ports: SyncPorts): void {
  for (const file of tree.files.filter((f) => isLeaseKey(prefix + f.path))) {
    ports.log.warning(
      `${file.path} is not uploaded: keys ending in ${LEASE_SUFFIX} are sync-dags leases, never synced or deleted`,
    );
  }
}

/** Links leading outside the workspace and RUNNER_TEMP are not followed: their content is not the repository's. */
function reportSkippedLinks(tree: LocalTree, source: string, ports: SyncPorts): void {
  for (const link of tree.skippedLinks) {
    const where = relative(ports.workspace, join(source, link.path));
    ports.log.warning(
      link.reason === 'outside'
        ? `Symbolic link ${where} leads outside the workspace and RUNNER_TEMP; not followed, not uploaded`
        : `Symbolic link ${where} points at nothing; not uploaded`,
      { file: where, title: 'Symbolic link skipped' },
    );
  }
}

const NEW_VERSION = '(new version)';

function describeDryRun(
  inputs: Readonly<Inputs>,
  plan: SyncPlan,
  artifactPlans: readonly ArtifactPlan[],
  environment: Environment | undefined,
  outcome: SyncOutcome,
  log: Log,
): void {
  log.info('Dry run: nothing is uploaded, deleted or updated.');
  for (const file of plan.upload)
    log.info(`upload    ${file.path} (${file.reason}, ${formatBytes(file.size)})`);
  for (const object of plan.delete) log.info(`delete    ${object.path}`);
  for (const file of plan.unchanged) log.info(`unchanged ${file.path}`);
  outcome.artifacts = artifactPlans.map((artifact) => outcomeOf(artifact, artifact.versionId, false));
  for (const artifact of artifactPlans) {
    log.info(
      `${artifact.action === 'upload' ? 'upload   ' : 'unchanged'} ${artifact.kind} -> ${artifact.key}`,
    );
  }
  if (inputs.mwaa !== undefined && environment !== undefined) {
    const pinned = artifactPlans.map((artifact) => ({
      kind: artifact.kind,
      key: artifact.key,
      versionId: artifact.action === 'upload' ? NEW_VERSION : (artifact.versionId ?? NEW_VERSION),
    }));
    const changes = pinned.length > 0 ? environmentChanges(pinned, artifactsOf(environment)) : undefined;
    outcome.environment = {
      name: inputs.mwaa.environment,
      changes,
      updated: false,
      status: environment.Status,
    };
    log.info(
      changes === undefined
        ? `MWAA environment ${inputs.mwaa.environment}: no update needed`
        : `MWAA environment ${inputs.mwaa.environment}: would call UpdateEnvironment`,
    );
  }
}
