import { join, relative } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Environment, MWAAClient } from '@aws-sdk/client-mwaa';
import { Cancelled, DeployFailed, md5OfFile, type Clock, type Log, type RunTool } from '@deploy-suite/kit';
import {
  ARTIFACT_KINDS,
  ENVIRONMENT_FIELDS,
  environmentChanges,
  prepareArtifacts,
  type ArtifactPlan,
} from './artifacts';
import { artifactsOf, checkEnvironmentBucket, readEnvironment } from './environment';
import { createPathFilter } from './filters';
import type { Inputs } from './inputs';
import { scanLocalTree, type LocalTree } from './local-tree';
import { outcomeOf, planArtifacts, requireVersionedBucket, updateEnvironment, uploadArtifacts } from './mwaa';
import { emptyOutcome, inFlight, type SyncOutcome } from './outcome';
import { bytesToUpload, pathsToCheck, planSync, type RemoteObject, type SyncPlan } from './plan';
import { mapWithConcurrency } from './pool';
import { listRemoteTree, readStoredHashes } from './remote-tree';
import { deleteAll, formatBytes, uploadAll } from './transfer';
import { validateDags } from './validate';

export interface SyncPorts {
  s3: S3Client;
  mwaa: MWAAClient;
  clock: Clock;
  log: Log;
  runTool: RunTool;
  findExecutable: (name: string) => string | undefined;
  /** The checkout: relative paths in annotations and the validation command's working folder. */
  workspace: string;
  /** Scratch space for the plugins zip. */
  tempDir: string;
  pollIntervalMs: number;
  /** Writes outputs and the job summary; called once at the end, whether the run succeeded or not. */
  publish: (outcome: SyncOutcome) => Promise<void>;
}

/**
 * Validate, plan by content, upload, then delete, then point MWAA at the new versions. Nothing
 * is uploaded before validation passes and nothing is deleted before every upload has succeeded.
 */
export async function syncDags(inputs: Readonly<Inputs>, ports: SyncPorts): Promise<SyncOutcome> {
  const outcome = emptyOutcome(inputs.source, inputs.bucket, inputs.prefix, inputs.dryRun);
  try {
    await execute(inputs, ports, outcome);
    outcome.status = 'succeeded';
  } catch (err) {
    if (!(err instanceof Cancelled)) throw err;
    outcome.status = 'cancelled';
    outcome.leftInFlight = inFlight(outcome);
    throw new DeployFailed(err.message, outcome.leftInFlight, 'cancelled');
  } finally {
    await ports.publish(outcome);
  }
  return outcome;
}

async function execute(inputs: Readonly<Inputs>, ports: SyncPorts, outcome: SyncOutcome): Promise<void> {
  const { log, s3 } = ports;
  const filter = createPathFilter(inputs.include, inputs.exclude);
  // The listing only reads, so it starts now and runs while the folder is walked, validated and
  // hashed: a fresh-checkout re-sync then costs about the slowest of those, not their sum.
  const remote = listRemoteTree(s3, inputs.bucket, inputs.prefix);
  remote.catch(() => undefined); // awaited in planDags; a failure before then must not go unhandled
  const tree = await scanLocalTree(inputs.source, {
    respectAirflowignore: inputs.respectAirflowignore,
    filter,
  });
  reportInvalidPatterns(tree, inputs.source, ports);
  outcome.skipped = tree.skipped;
  log.info(
    `${tree.files.length} files in ${relative(ports.workspace, inputs.source) || '.'}` +
      (tree.skipped > 0 ? ` (${tree.skipped} left out by .airflowignore, include or exclude)` : ''),
  );

  outcome.validation = await log.group('Validating DAGs', () =>
    validateDags(tree.files, inputs.validate, inputs.source, ports),
  );
  log.info(`Validation: ${outcome.validation}`);

  const given = {
    requirements: inputs.requirements,
    plugins: inputs.plugins,
    'startup-script': inputs.startupScript,
  } as const;
  const hasArtifacts = ARTIFACT_KINDS.some((kind) => given[kind] !== undefined);
  let environment: Environment | undefined;
  if (inputs.mwaa !== undefined) {
    environment = await readEnvironment(ports.mwaa, inputs.mwaa.environment);
    checkEnvironmentBucket(environment, inputs.bucket, inputs.prefix, log);
    log.info(`MWAA environment ${inputs.mwaa.environment} is ${environment.Status ?? 'in an unknown state'}`);
    if (hasArtifacts) await requireVersionedBucket(s3, inputs.bucket);
  }

  const planned = await log.group('Planning', async () => {
    const artifacts = await prepareArtifacts(given, environment && artifactsOf(environment), ports.tempDir);
    const artifactPlans = await planArtifacts(s3, inputs.bucket, artifacts);
    const protectedKeys = new Set([...artifacts.map((a) => a.key), ...configuredKeys(environment)]);
    const plan = await planDags(
      inputs,
      ports,
      tree,
      remote,
      (path) => filter.keeps(path) && !ignored(inputs, tree, path),
      protectedKeys,
    );
    return { plan, artifactPlans };
  });
  const { plan, artifactPlans } = planned;
  outcome.plan = plan;
  log.info(
    `Plan: ${plan.upload.length} to upload (${formatBytes(bytesToUpload(plan))}), ` +
      `${plan.delete.length} to delete, ${plan.unchanged.length} unchanged` +
      (inputs.delete || plan.delete.length > 0
        ? ''
        : ' (delete: false keeps objects no longer in the folder)'),
  );

  if (inputs.dryRun) {
    describeDryRun(inputs, plan, artifactPlans, environment, outcome, log);
    return;
  }

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
      const target = outcome.environment;
      outcome.environment = await log.group(`MWAA environment ${mwaa.environment}`, () =>
        updateEnvironment(mwaa, before, outcome.artifacts, ports, target),
      );
    }
  }
}

async function planDags(
  inputs: Readonly<Inputs>,
  ports: SyncPorts,
  tree: LocalTree,
  listing: Promise<Map<string, RemoteObject>>,
  selected: (path: string) => boolean,
  protectedKeys: ReadonlySet<string>,
): Promise<SyncPlan> {
  const [hashed, remote] = await Promise.all([
    mapWithConcurrency(tree.files, inputs.concurrency, async (file) => ({
      ...file,
      md5: await md5OfFile(file.absolutePath, file.size),
    })),
    listing,
  ]);
  ports.log.info(`${remote.size} objects under s3://${inputs.bucket}/${inputs.prefix}`);
  const toCheck = pathsToCheck(hashed, remote)
    .map((path) => remote.get(path))
    .filter((object): object is RemoteObject => object !== undefined);
  const stored = await readStoredHashes(ports.s3, inputs.bucket, toCheck, inputs.concurrency);
  if (toCheck.length > 0)
    ports.log.info(`Read the stored MD5 of ${toCheck.length} objects whose ETag could not tell`);
  return planSync(hashed, remote, stored, {
    prefix: inputs.prefix,
    delete: inputs.delete,
    selected,
    protectedKeys,
  });
}

function ignored(inputs: Readonly<Inputs>, tree: LocalTree, path: string): boolean {
  return inputs.respectAirflowignore && tree.ignore.ignores(path);
}

/** The environment's own artifact keys: never deleted, even when they sit under the DAG prefix. */
function configuredKeys(environment: Environment | undefined): string[] {
  if (environment === undefined) return [];
  const artifacts = artifactsOf(environment);
  return ARTIFACT_KINDS.map((kind) => artifacts[ENVIRONMENT_FIELDS[kind].path])
    .filter((key): key is string => key !== undefined && key !== '')
    .map((key) => key.replace(/^\/+/, ''));
}

function reportInvalidPatterns(tree: LocalTree, source: string, ports: SyncPorts): void {
  for (const bad of tree.invalidPatterns) {
    ports.log.warning(
      `.airflowignore pattern '${bad.pattern}' is not a valid regular expression and was skipped: ${bad.reason}`,
      {
        file: relative(ports.workspace, join(source, bad.base, '.airflowignore')),
        line: bad.line,
        title: 'Invalid .airflowignore pattern',
      },
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
