import { DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DeployFailed,
  formatBytes,
  MULTIPART_THRESHOLD,
  uploadFileToS3,
  type Log,
  type UploadedObject,
} from '@deploy-suite/kit';
import type { PlannedDelete, PlannedUpload } from './plan';
import { mapWithConcurrency, Semaphore } from './pool';
import { MD5_METADATA } from './remote-tree';

/** Large files upload in parts, several parts each; this many at once keeps memory flat. */
const LARGE_FILES_AT_ONCE = 2;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  py: 'text/x-python',
  sql: 'application/sql',
  txt: 'text/plain',
  md: 'text/markdown',
  json: 'application/json',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  sh: 'text/x-shellscript',
  zip: 'application/zip',
  csv: 'text/csv',
};

export function contentTypeOf(path: string): string | undefined {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : CONTENT_TYPES[path.slice(dot + 1).toLowerCase()];
}

export interface FileToUpload {
  absolutePath: string;
  key: string;
  md5: string;
  size: number;
}

/** Uploads one file with its MD5 in metadata, which is what later runs compare when the ETag cannot tell. */
export function uploadWithHash(s3: S3Client, bucket: string, file: FileToUpload): Promise<UploadedObject> {
  const contentType = contentTypeOf(file.key);
  return uploadFileToS3(s3, {
    bucket,
    key: file.key,
    path: file.absolutePath,
    size: file.size,
    metadata: { [MD5_METADATA]: file.md5 },
    ...(contentType !== undefined && { contentType }),
  });
}

/**
 * Uploads in parallel up to `concurrency`, at most two large (multipart) files at a time. Throws
 * after the uploads in flight have ended if any failed, so the caller never deletes after a failure.
 */
export async function uploadAll(
  s3: S3Client,
  bucket: string,
  files: readonly PlannedUpload[],
  concurrency: number,
  log: Log,
  onUploaded: (object: UploadedObject) => void = () => undefined,
): Promise<UploadedObject[]> {
  const large = new Semaphore(LARGE_FILES_AT_ONCE);
  return mapWithConcurrency(files, concurrency, async (file) => {
    const send = () => uploadWithHash(s3, bucket, file);
    const uploaded = await (file.size > MULTIPART_THRESHOLD ? large.use(send) : send());
    onUploaded(uploaded);
    log.info(
      `uploaded ${file.path} (${file.reason}, ${formatBytes(file.size)}${uploaded.multipart ? ', multipart' : ''})`,
    );
    return uploaded;
  });
}

/** DeleteObjects, 1,000 keys a call; any key S3 refused fails the step with S3's reasons. */
export async function deleteAll(
  s3: S3Client,
  bucket: string,
  objects: readonly PlannedDelete[],
  log: Log,
  onDeleted: (count: number) => void = () => undefined,
): Promise<void> {
  for (let start = 0; start < objects.length; start += 1000) {
    const batch = objects.slice(start, start + 1000);
    const answer = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Quiet: true, Objects: batch.map((object) => ({ Key: object.key })) },
      }),
    );
    const errors = answer.Errors ?? [];
    if (errors.length > 0) {
      const reasons = errors.map((e) => `${e.Key ?? '?'}: ${e.Code ?? ''} ${e.Message ?? ''}`.trim());
      throw new DeployFailed(`S3 refused to delete ${errors.length} of ${batch.length} objects`, reasons);
    }
    onDeleted(batch.length);
    for (const object of batch) log.info(`deleted ${object.path}`);
  }
}
