import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { mapWithConcurrency } from './pool';
import type { RemoteObject } from './plan';

/** The user-metadata name under which each upload records its content's MD5 (x-amz-meta-md5). */
export const MD5_METADATA = 'md5';

/** Every object under the prefix, by path relative to it; folder placeholders (`key/`) are skipped. */
export async function listRemoteTree(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<Map<string, RemoteObject>> {
  const objects = new Map<string, RemoteObject>();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        ...(prefix !== '' && { Prefix: prefix }),
        ...(token !== undefined && { ContinuationToken: token }),
      }),
    );
    for (const object of page.Contents ?? []) {
      const key = object.Key;
      if (key === undefined || key.endsWith('/')) continue;
      const path = key.slice(prefix.length);
      objects.set(path, { key, path, size: object.Size ?? 0, etag: object.ETag });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return objects;
}

export interface ObjectHead {
  size: number;
  etag: string | undefined;
  storedMd5: string | undefined;
  /** Undefined on an unversioned bucket. */
  versionId: string | undefined;
}

/** HeadObject, or undefined when there is no such object. */
export async function headObject(s3: S3Client, bucket: string, key: string): Promise<ObjectHead | undefined> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return {
      size: head.ContentLength ?? 0,
      etag: head.ETag,
      storedMd5: head.Metadata?.[MD5_METADATA]?.toLowerCase(),
      versionId: head.VersionId === undefined || head.VersionId === 'null' ? undefined : head.VersionId,
    };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The MD5 each object stored in its metadata, for the paths whose ETag could not decide. */
export async function readStoredHashes(
  s3: S3Client,
  bucket: string,
  objects: readonly RemoteObject[],
  concurrency: number,
): Promise<Map<string, string | undefined>> {
  const heads = await mapWithConcurrency(objects, concurrency, (object) =>
    headObject(s3, bucket, object.key),
  );
  const stored = new Map<string, string | undefined>();
  objects.forEach((object, index) => stored.set(object.path, heads[index]?.storedMd5));
  return stored;
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}
