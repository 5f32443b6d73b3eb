import {
  CreateApplicationVersionCommand,
  CreateStorageLocationCommand,
  type ApplicationVersionDescription,
} from '@aws-sdk/client-elastic-beanstalk';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import {
  DeployFailed,
  formatBytes,
  md5FromEtag,
  messageOf,
  uploadFileToS3,
  waitFor,
} from '@deploy-suite/kit';
import { eventsSince, findVersion, versionsOf } from './beanstalk';
import type { Bundle } from './bundle';
import type { Inputs } from './inputs';
import {
  bundleKey,
  checksumInDescription,
  chooseVersion,
  describeVersion,
  type KnownVersion,
  type VersionChoice,
} from './plan';
import type { Ports } from './ports';
import { isVersionExists, repeatSafe } from './repeat-safe';

/** S3 user metadata carrying the bundle's MD5 (the ETag of a multipart upload is not one). */
export const MD5_METADATA = 'bundle-md5';

/**
 * Decides, reading only, which version the deploy uses: an existing one holding the same bundle,
 * a new one, or a refusal (a label already taken by another bundle) raised before any upload.
 */
export async function chooseApplicationVersion(
  inputs: Readonly<Inputs>,
  ports: Ports,
  bundle: Bundle | undefined,
): Promise<Exclude<VersionChoice, { kind: 'refuse' }>> {
  const versions = await versionsOf(ports.eb, inputs.application);
  const known = await Promise.all(
    versions.map(async (v): Promise<KnownVersion> => {
      const label = v.VersionLabel ?? '';
      let md5 = checksumInDescription(v.Description);
      // Versions made by other tools carry no checksum; their S3 object may still tell.
      if (md5 === undefined && bundle !== undefined && label === inputs.versionLabel)
        md5 = await s3Checksum(ports, v);
      return { label, md5, created: v.DateCreated?.getTime() ?? 0 };
    }),
  );
  const choice = chooseVersion(
    { label: inputs.versionLabel, commit: inputs.commit, md5: bundle?.md5 },
    known,
  );
  if (choice.kind === 'refuse') throw new DeployFailed(`Cannot use version ${choice.label}: ${choice.why}`);
  return choice;
}

async function s3Checksum(ports: Ports, version: ApplicationVersionDescription): Promise<string | undefined> {
  const bucket = version.SourceBundle?.S3Bucket;
  const key = version.SourceBundle?.S3Key;
  if (!bucket || !key) return undefined;
  try {
    const head = await ports.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.Metadata?.[MD5_METADATA] ?? md5FromEtag(head.ETag);
  } catch {
    return undefined;
  }
}

export interface CreatedVersion {
  bucket: string;
  key: string;
  multipart: boolean;
}

/** Streams the bundle to S3, creates the version with processing on, and waits until it is processed. */
export async function createApplicationVersion(
  inputs: Readonly<Inputs>,
  ports: Ports,
  label: string,
  bundle: Bundle,
): Promise<CreatedVersion> {
  const { eb, log } = ports;
  const bucket = inputs.bucket ?? (await eb.send(new CreateStorageLocationCommand({}))).S3Bucket;
  if (!bucket) throw new Error('CreateStorageLocation answered without a bucket');
  const key = bundleKey(inputs.application, label, bundle.md5);
  log.info(`Uploading ${formatBytes(bundle.bytes)} to s3://${bucket}/${key}`);
  const uploaded = await repeatSafe(
    () =>
      uploadFileToS3(ports.s3, {
        bucket,
        key,
        path: bundle.path,
        contentType: 'application/zip',
        metadata: { [MD5_METADATA]: bundle.md5 },
        // Two reused 8 MiB part buffers: a 200 MiB deploy stays far inside 150 MiB of memory.
        queueSize: 2,
      }),
    (err) => uploadedBefore(ports, bucket, key, bundle, err),
  );
  await repeatSafe(
    () =>
      eb.send(
        new CreateApplicationVersionCommand({
          ApplicationName: inputs.application,
          VersionLabel: label,
          Description: describeVersion(inputs.versionDescription, bundle.md5),
          SourceBundle: { S3Bucket: bucket, S3Key: key },
          Process: true,
        }),
      ),
    (err) => createdBefore(inputs, ports, label, bundle, err),
  );
  log.info(`Created version ${label}; waiting until Elastic Beanstalk has processed it`);
  await waitUntilProcessed(inputs, ports, label);
  return { bucket, key, multipart: uploaded.multipart };
}

/**
 * After a failed upload (a multipart upload whose completion was answered but the answer lost
 * fails its retry with NoSuchUpload): the object holding this bundle's checksum means it is there.
 */
async function uploadedBefore(
  ports: Ports,
  bucket: string,
  key: string,
  bundle: Bundle,
  err: unknown,
): Promise<{ multipart: boolean } | undefined> {
  let head;
  try {
    head = await ports.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch {
    return undefined; // not there: the upload's own error says why
  }
  if (head.Metadata?.[MD5_METADATA] !== bundle.md5) return undefined;
  ports.log.info(
    `The upload failed (${messageOf(err)}) but s3://${bucket}/${key} holds this bundle; going on`,
  );
  return { multipart: head.ETag?.includes('-') ?? false };
}

/**
 * After "already exists": the version holding this bundle's checksum is the one this call made
 * (a retry after a lost answer); any other is someone else's, and using it would deploy their bundle.
 */
async function createdBefore(
  inputs: Readonly<Inputs>,
  ports: Ports,
  label: string,
  bundle: Bundle,
  err: unknown,
): Promise<object | undefined> {
  if (!isVersionExists(err)) return undefined;
  const existing = await findVersion(ports.eb, inputs.application, label);
  if (existing === undefined) return undefined;
  const md5 = checksumInDescription(existing.Description);
  if (md5 === bundle.md5) {
    ports.log.info(
      `CreateApplicationVersion answered that ${label} already exists; it holds this bundle (md5 ${md5}), so an earlier attempt of the same call made it`,
    );
    return {};
  }
  throw new DeployFailed(
    `Version ${label} was created by someone else while this run created it: it holds ${md5 === undefined ? 'a bundle of unknown checksum' : `bundle md5 ${md5}`}, this bundle is md5 ${bundle.md5}; give a new version-label`,
  );
}

async function waitUntilProcessed(inputs: Readonly<Inputs>, ports: Ports, label: string): Promise<void> {
  await waitFor({
    what: `version ${label} to be processed`,
    timeoutMs: inputs.timeoutMs,
    intervalMs: ports.pace.processPollMs,
    clock: ports.clock,
    check: async () => {
      const version = await findVersion(ports.eb, inputs.application, label);
      const status = version?.Status ?? 'not found';
      if (status === 'Processed') return { done: true, value: undefined };
      if (status === 'Failed') {
        const events = await eventsSince(ports.eb, {
          application: inputs.application,
          versionLabel: label,
          since: version?.DateCreated ?? new Date(0),
          pageSize: ports.pace.eventPageSize,
        });
        throw new DeployFailed(
          `Elastic Beanstalk could not process version ${label}`,
          events.map((e) => `${e.Severity ?? 'INFO'} ${e.Message ?? ''}`),
        );
      }
      return { done: false, status };
    },
  });
}
