import { GetBucketVersioningCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Environment } from '@aws-sdk/client-mwaa';
import { DeployFailed, formatBytes, type Log } from '@deploy-suite/kit';
import {
  environmentChanges,
  planArtifact,
  type ArtifactPlan,
  type LocalArtifact,
  type PinnedArtifact,
} from './artifacts';
import {
  artifactsOf,
  readEnvironment,
  startUpdate,
  waitForUpdate,
  waitUntilUpdatable,
  type EnvironmentPorts,
} from './environment';
import type { MwaaInputs } from './inputs';
import type { ArtifactOutcome, EnvironmentOutcome } from './outcome';
import { headObject } from './remote-tree';
import { uploadWithHash } from './transfer';

/** MWAA pins requirements, plugins and the startup script by object version: no versioning, no pin. */
export async function requireVersionedBucket(s3: S3Client, bucket: string): Promise<void> {
  const answer = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
  if (answer.Status !== 'Enabled') {
    throw new DeployFailed(
      `Bucket ${bucket} does not have versioning enabled (${answer.Status ?? 'never enabled'}); MWAA runs requirements, plugins and startup scripts by S3 object version, so nothing was uploaded`,
      [
        `Enable it once: aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled`,
      ],
    );
  }
}

export async function planArtifacts(
  s3: S3Client,
  bucket: string,
  artifacts: readonly LocalArtifact[],
): Promise<ArtifactPlan[]> {
  const plans: ArtifactPlan[] = [];
  for (const artifact of artifacts)
    plans.push(planArtifact(artifact, await headObject(s3, bucket, artifact.key)));
  return plans;
}

/** Uploads the artifacts that changed; every artifact comes back with the version to pin. */
export async function uploadArtifacts(
  s3: S3Client,
  bucket: string,
  plans: readonly ArtifactPlan[],
  log: Log,
): Promise<ArtifactOutcome[]> {
  const outcomes: ArtifactOutcome[] = [];
  for (const plan of plans) {
    let versionId = plan.versionId;
    if (plan.action === 'upload') {
      versionId = (
        await uploadWithHash(s3, bucket, {
          absolutePath: plan.file,
          key: plan.key,
          md5: plan.md5,
          size: plan.size,
        })
      ).versionId;
      log.info(
        `uploaded ${plan.kind} to s3://${bucket}/${plan.key} (${plan.reason}, ${formatBytes(plan.size)}, version ${versionId ?? 'none'})`,
      );
    } else {
      log.info(`${plan.kind} unchanged at s3://${bucket}/${plan.key} (version ${versionId ?? 'none'})`);
    }
    outcomes.push(outcomeOf(plan, versionId, plan.action === 'upload'));
  }
  return outcomes;
}

export function outcomeOf(
  plan: ArtifactPlan,
  versionId: string | undefined,
  uploaded: boolean,
): ArtifactOutcome {
  return { kind: plan.kind, key: plan.key, action: plan.action, reason: plan.reason, versionId, uploaded };
}

/**
 * Points the environment at the artifacts' versions when they differ from what it runs, then
 * (by default) waits until it is AVAILABLE again. Nothing differs: no UpdateEnvironment call.
 */
export async function updateEnvironment(
  inputs: MwaaInputs,
  before: Environment,
  artifacts: readonly ArtifactOutcome[],
  ports: EnvironmentPorts,
  outcome: EnvironmentOutcome = {
    name: inputs.environment,
    changes: undefined,
    updated: false,
    status: before.Status,
  },
): Promise<EnvironmentOutcome> {
  const name = inputs.environment;
  const pinned: PinnedArtifact[] = artifacts.map((artifact) => {
    if (artifact.versionId === undefined) {
      throw new DeployFailed(
        `s3 object ${artifact.key} has no version id; is versioning enabled on the bucket?`,
      );
    }
    return { kind: artifact.kind, key: artifact.key, versionId: artifact.versionId };
  });
  const changes = environmentChanges(pinned, artifactsOf(before));
  outcome.changes = changes;
  if (changes === undefined) {
    ports.log.info(`MWAA environment ${name} already runs these versions; no update needed`);
    return outcome;
  }
  const ready = await waitUntilUpdatable(name, before, inputs.timeoutMs, ports);
  ports.log.info(`Updating MWAA environment ${name}: ${describeChanges(changes)}`);
  await startUpdate(ports.mwaa, name, changes, ready, ports.log);
  outcome.updated = true;
  if (!inputs.waitForEnvironment) {
    outcome.status = (await readEnvironment(ports.mwaa, name)).Status;
    ports.log.info(`Not waiting for the update (wait: false); status now ${outcome.status ?? 'unknown'}`);
    return outcome;
  }
  outcome.status = 'UPDATING';
  const settled = await waitForUpdate(
    name,
    ready,
    inputs.timeoutMs,
    ports,
    (status) => (outcome.status = status),
  );
  outcome.status = settled.Status;
  ports.log.info(`MWAA environment ${name} is ${outcome.status ?? 'AVAILABLE'} with the new versions`);
  return outcome;
}

export function describeChanges(changes: object): string {
  return Object.entries(changes)
    .filter(([, value]) => typeof value === 'string')
    .map(([field, value]) => `${field}=${String(value)}`)
    .join(', ');
}
