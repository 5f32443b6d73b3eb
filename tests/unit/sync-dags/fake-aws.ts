import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetBucketVersioningCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetEnvironmentCommand,
  MWAAClient,
  UpdateEnvironmentCommand,
  type Environment,
} from '@aws-sdk/client-mwaa';
import { mockClient } from 'aws-sdk-client-mock';

export interface StoredObject {
  body: Buffer;
  etag: string;
  metadata: Record<string, string>;
  versionId: string | undefined;
}

/** One in-memory bucket behind a mocked S3Client: enough S3 for the sync's calls, and a record of them. */
export function fakeBucket(
  options: { versioned?: boolean; failPutFor?: (key: string) => boolean; pageSize?: number } = {},
) {
  const objects = new Map<string, StoredObject>();
  const calls: string[] = [];
  let versions = 0;
  const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const mock = mockClient(s3);
  const put = (key: string, body: Buffer, metadata: Record<string, string> = {}, etag?: string) => {
    const versionId = options.versioned ? `v${++versions}` : undefined;
    const stored = {
      body,
      etag: etag ?? `"${createHash('md5').update(body).digest('hex')}"`,
      metadata,
      versionId,
    };
    objects.set(key, stored);
    return stored;
  };
  // Lists as S3 does: UTF-8 byte order, StartAfter, pages of `pageSize` with continuation tokens.
  mock
    .on(ListObjectsV2Command)
    .callsFake((input: { Prefix?: string; StartAfter?: string; ContinuationToken?: string }) => {
      calls.push('ListObjectsV2');
      const prefix = input.Prefix ?? '';
      const after = input.ContinuationToken ?? input.StartAfter;
      const keys = [...objects.keys()]
        .filter((key) => key.startsWith(prefix))
        .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
        .filter((key) => after === undefined || Buffer.compare(Buffer.from(key), Buffer.from(after)) > 0);
      const page = keys.slice(0, options.pageSize ?? 1000);
      const truncated = page.length < keys.length;
      return {
        IsTruncated: truncated,
        ...(truncated && { NextContinuationToken: page[page.length - 1] }),
        Contents: page.map((key) => {
          const o = objects.get(key)!;
          return { Key: key, Size: o.body.length, ETag: o.etag };
        }),
      };
    });
  mock.on(HeadObjectCommand).callsFake((input: { Key: string }) => {
    calls.push(`HeadObject ${input.Key}`);
    const o = objects.get(input.Key);
    if (!o)
      throw Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });
    return { ContentLength: o.body.length, ETag: o.etag, Metadata: o.metadata, VersionId: o.versionId };
  });
  // Conditional writes as S3 answers them: 412 PreconditionFailed when If-None-Match: * meets an
  // object or If-Match meets another ETag; If-Match on a missing key is 404 NoSuchKey.
  const precondition = (input: { Key: string; IfNoneMatch?: string; IfMatch?: string }) => {
    const existing = objects.get(input.Key);
    if (input.IfNoneMatch === '*' && existing) throw s3Error('PreconditionFailed', 412);
    if (input.IfMatch !== undefined && !existing) throw s3Error('NoSuchKey', 404);
    if (input.IfMatch !== undefined && existing?.etag !== input.IfMatch)
      throw s3Error('PreconditionFailed', 412);
  };
  mock
    .on(PutObjectCommand)
    .callsFake(
      async (input: {
        Key: string;
        Body: unknown;
        Metadata?: Record<string, string>;
        IfNoneMatch?: string;
        IfMatch?: string;
      }) => {
        calls.push(`PutObject ${input.Key}`);
        if (options.failPutFor?.(input.Key))
          throw Object.assign(new Error('AccessDenied'), { name: 'AccessDenied' });
        precondition(input);
        const stored = put(input.Key, await bodyBytes(input.Body), input.Metadata ?? {});
        return { ETag: stored.etag, VersionId: stored.versionId };
      },
    );
  mock.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    calls.push(`GetObject ${input.Key}`);
    const o = objects.get(input.Key);
    if (!o) throw s3Error('NoSuchKey', 404);
    return { ETag: o.etag, Body: { transformToString: async () => o.body.toString() } };
  });
  mock.on(DeleteObjectCommand).callsFake((input: { Key: string; IfMatch?: string }) => {
    calls.push(`DeleteObject ${input.Key}`);
    precondition(input);
    objects.delete(input.Key);
    return {};
  });
  mock.on(DeleteObjectsCommand).callsFake((input: { Delete: { Objects: { Key: string }[] } }) => {
    calls.push(`DeleteObjects ${input.Delete.Objects.map((o) => o.Key).join(',')}`);
    for (const o of input.Delete.Objects) objects.delete(o.Key);
    return { Errors: [] };
  });
  mock.on(GetBucketVersioningCommand).callsFake(() => {
    calls.push('GetBucketVersioning');
    return options.versioned ? { Status: 'Enabled' } : {};
  });
  return { s3, mock, objects, calls, put };
}

function s3Error(name: string, status: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

/** The ports a sync needs for its lease, over the same fake bucket. */
export function leasePortsFor(s3: S3Client, runId = '1') {
  return {
    leaseOwner: { repository: 'org/repo', runId, runAttempt: '1', job: 'sync', nonce: `nonce-${runId}` },
    releaseS3: s3,
    every: () => () => undefined,
  };
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as Readable) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/**
 * A mocked MWAA environment that walks through `statuses` one GetEnvironment at a time once an
 * update starts, then stays on the last one.
 */
export function fakeEnvironment(
  initial: Environment,
  afterUpdate: Environment[] = [],
  options: {
    /** The update takes effect, then this error is the answer: a lost answer whose retry MWAA refused. */
    answerAfterApplying?: Error;
  } = {},
) {
  const mwaa = new MWAAClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const mock = mockClient(mwaa);
  const updates: Record<string, unknown>[] = [];
  let current = initial;
  let script: Environment[] = [];
  mock.on(GetEnvironmentCommand).callsFake(() => {
    const next = script.shift();
    if (next) current = { ...current, ...next };
    return { Environment: current };
  });
  mock.on(UpdateEnvironmentCommand).callsFake((input: Record<string, unknown>) => {
    updates.push(input);
    script = afterUpdate.map((step) => ({ ...input, ...step }) as Environment);
    if (options.answerAfterApplying !== undefined) throw options.answerAfterApplying;
    return { Arn: 'arn' };
  });
  return { mwaa, mock, updates };
}

/** A folder of files from a literal: path → content. */
export function makeTree(
  files: Record<string, string | Buffer>,
  root = mkdtempSync(join(tmpdir(), 'dags-')),
): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}
