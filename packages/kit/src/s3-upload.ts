import { createHash } from 'node:crypto';
import { open, stat, type FileHandle } from 'node:fs/promises';
import {
  AbortMultipartUploadCommand,
  ChecksumAlgorithm,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { readWholeFile } from './whole-file';

/** Files up to this size go in one PutObject (their ETag is then their MD5); larger ones in parts. */
export const MULTIPART_THRESHOLD = 8 * 1024 * 1024;

export interface FileUpload {
  bucket: string;
  key: string;
  /** Local file, read as a stream. */
  path: string;
  /** The file's size when the caller has just read it from a stat; saves another. */
  size?: number;
  contentType?: string;
  /** User metadata (stored as x-amz-meta-<name>). */
  metadata?: Readonly<Record<string, string>>;
  /** Part size for multipart uploads; at least 5 MiB. */
  partSize?: number;
  /** Parts in flight per file; memory per file is at most queueSize × partSize. */
  queueSize?: number;
}

export interface UploadedObject {
  key: string;
  bytes: number;
  multipart: boolean;
  etag: string | undefined;
  /** Set when the bucket is versioned. */
  versionId: string | undefined;
}

/**
 * Streams a file to S3: one PutObject up to the part size, a multipart upload above it. Each of
 * the `queueSize` parts in flight is read into its own buffer, allocated once and reused for every
 * part it carries (and resent as it is when the SDK retries), so memory is queueSize × partSize
 * however large the file, with no garbage for the collector to fall behind on. A failed multipart
 * upload is aborted so no orphaned parts are billed.
 */
export async function uploadFileToS3(s3: S3Client, file: FileUpload): Promise<UploadedObject> {
  const partSize = file.partSize ?? MULTIPART_THRESHOLD;
  const bytes = file.size ?? (await stat(file.path)).size;
  const target = {
    Bucket: file.bucket,
    Key: file.key,
    ...(file.contentType !== undefined && { ContentType: file.contentType }),
    ...(file.metadata !== undefined && { Metadata: { ...file.metadata } }),
  };
  if (bytes <= partSize) {
    const body = await readWholeFile(file.path, bytes);
    const contentMd5 = createHash('md5').update(body).digest('base64');
    const result = await s3.send(new PutObjectCommand({ ...target, Body: body, ContentMD5: contentMd5 }));
    return {
      key: file.key,
      bytes: body.length,
      multipart: false,
      etag: result.ETag,
      versionId: result.VersionId,
    };
  }
  return uploadInParts(s3, file, target, bytes, partSize);
}

async function uploadInParts(
  s3: S3Client,
  file: FileUpload,
  target: { Bucket: string; Key: string },
  bytes: number,
  partSize: number,
): Promise<UploadedObject> {
  // As the SDK's own uploader does: parts carry CRC32 checksums when the client computes them.
  const checksum =
    (await s3.config.requestChecksumCalculation()) === 'WHEN_SUPPORTED' ? ChecksumAlgorithm.CRC32 : undefined;
  const created = await s3.send(
    new CreateMultipartUploadCommand({ ...target, ...(checksum && { ChecksumAlgorithm: checksum }) }),
  );
  const uploadId = created.UploadId;
  if (!uploadId) throw new Error(`S3 CreateMultipartUpload for ${file.key} answered without an UploadId`);
  const handle = await open(file.path, 'r');
  const count = Math.ceil(bytes / partSize);
  const parts: CompletedPart[] = [];
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    const buffer = Buffer.allocUnsafe(partSize);
    for (let index = next++; index < count && !failed; index = next++) {
      const start = index * partSize;
      const length = Math.min(partSize, bytes - start);
      await readExactly(handle, buffer, length, start);
      const answer = await s3.send(
        new UploadPartCommand({
          Bucket: target.Bucket,
          Key: target.Key,
          UploadId: uploadId,
          PartNumber: index + 1,
          Body: buffer.subarray(0, length),
          ContentLength: length,
          ...(checksum && { ChecksumAlgorithm: checksum }),
        }),
      );
      parts[index] = {
        PartNumber: index + 1,
        ETag: answer.ETag,
        ...(answer.ChecksumCRC32 && { ChecksumCRC32: answer.ChecksumCRC32 }),
      };
    }
  };
  try {
    const workers = Array.from({ length: Math.min(file.queueSize ?? 4, count) }, () =>
      worker().catch((err: unknown) => {
        failed = true;
        throw err;
      }),
    );
    await Promise.all(workers);
    const result = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: target.Bucket,
        Key: target.Key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    return { key: file.key, bytes, multipart: true, etag: result.ETag, versionId: result.VersionId };
  } catch (err) {
    failed = true;
    await s3
      .send(new AbortMultipartUploadCommand({ Bucket: target.Bucket, Key: target.Key, UploadId: uploadId }))
      .catch(() => undefined);
    throw err;
  } finally {
    await handle.close();
  }
}

async function readExactly(
  handle: FileHandle,
  buffer: Buffer,
  length: number,
  position: number,
): Promise<void> {
  let read = 0;
  while (read < length) {
    const { bytesRead } = await handle.read(buffer, read, length - read, position + read);
    if (bytesRead === 0)
      throw new Error(`the file ended ${length - read} bytes early while it was being uploaded`);
    read += bytesRead;
  }
}
