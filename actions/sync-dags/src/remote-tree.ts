import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { mapWithConcurrency } from './pool';
import type { RemoteObject } from './plan';

/** The user-metadata name under which each upload records its content's MD5 (x-amz-meta-md5). */
export const MD5_METADATA = 'md5';

/** S3 lists keys in the order of their UTF-8 bytes, which is not JavaScript's string order. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Keys per listing page: S3 returns at most 1,000. */
export const LIST_PAGE_SIZE = 1000;

/**
 * Where to cut the listing so its pages can be read side by side: every page-th local key. A
 * fresh-checkout re-sync is mostly waiting on the listing, and one listing of N keys is N/1000
 * round trips in a row; the local keys mostly exist remotely too, so ranges cut at them come back
 * about a page each.
 */
export function listingSplits(keys: readonly string[], pageSize = LIST_PAGE_SIZE): string[] {
  const sorted = [...keys].sort(compareKeys);
  const splits: string[] = [];
  for (let i = pageSize - 1; i < sorted.length - 1; i += pageSize) splits.push(sorted[i]!);
  return splits;
}

/**
 * Every object under the prefix, by path relative to it; folder placeholders (`key/`) are skipped.
 * With split keys, each range (after one split, up to and including the next) is listed at once.
 */
export async function listRemoteTree(
  s3: S3Client,
  bucket: string,
  prefix: string,
  splits: readonly string[] = [],
): Promise<Map<string, RemoteObject>> {
  const bounds = [undefined, ...splits, undefined];
  const ranges = await Promise.all(
    bounds.slice(0, -1).map((after, i) => listRange(s3, bucket, prefix, after, bounds[i + 1])),
  );
  const objects = new Map<string, RemoteObject>();
  for (const range of ranges) for (const object of range) objects.set(object.path, object);
  return objects;
}

async function listRange(
  s3: S3Client,
  bucket: string,
  prefix: string,
  after: string | undefined,
  upTo: string | undefined,
): Promise<RemoteObject[]> {
  const objects: RemoteObject[] = [];
  let token: string | undefined;
  let first = true;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        ...(prefix !== '' && { Prefix: prefix }),
        ...(first && after !== undefined && { StartAfter: after }),
        ...(token !== undefined && { ContinuationToken: token }),
      }),
    );
    first = false;
    let past = false;
    for (const object of page.Contents ?? []) {
      const key = object.Key;
      if (key === undefined) continue;
      const order = upTo === undefined ? -1 : compareKeys(key, upTo);
      if (order > 0) {
        past = true;
        break;
      }
      // The range ends at its upper key: once that is read, the next page belongs to the next range.
      if (order === 0) past = true;
      if (key.endsWith('/')) continue;
      objects.push({ key, path: key.slice(prefix.length), size: object.Size ?? 0, etag: object.ETag });
    }
    token = !past && page.IsTruncated ? page.NextContinuationToken : undefined;
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
