import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { readWholeFile, SMALL_FILE_BYTES } from './whole-file';

/**
 * The hex MD5 of a file, read through one reused buffer: a stream would allocate a fresh buffer
 * per chunk, and for a file of hundreds of MiB the garbage outgrows the file's worth of RSS before
 * the collector catches up. A small file whose size the caller already knows is read whole.
 */
export async function md5OfFile(path: string, knownSize?: number): Promise<string> {
  if (knownSize !== undefined && knownSize <= SMALL_FILE_BYTES)
    return md5OfBytes(await readWholeFile(path, knownSize));
  const hash = createHash('md5');
  const file = await open(path, 'r');
  try {
    // Sized to the file up to 1 MiB: thousands of small DAGs must not cost a MiB allocation each.
    const { size } = await file.stat();
    const buffer = Buffer.allocUnsafe(Math.min(Math.max(size, 1), 1024 * 1024));
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

/** The hex MD5 of bytes already in memory. */
export function md5OfBytes(bytes: Uint8Array | string): string {
  return createHash('md5').update(bytes).digest('hex');
}

/**
 * S3 ETags come quoted; a multipart upload's ends in `-<parts>` and is not the content's MD5.
 * Returns the ETag as a bare lower-case string.
 */
function normaliseEtag(etag: string | undefined): string | undefined {
  if (etag === undefined) return undefined;
  const bare = etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '').toLowerCase();
  return bare === '' ? undefined : bare;
}

/** True when the ETag is a multipart upload's (`<hex>-<parts>`), which says nothing about content. */
export function isMultipartEtag(etag: string | undefined): boolean {
  return /-\d+$/.test(normaliseEtag(etag) ?? '');
}

/** The MD5 an ETag stands for, when it is a plain single-part ETag; undefined otherwise. */
export function md5FromEtag(etag: string | undefined): string | undefined {
  const bare = normaliseEtag(etag);
  return bare !== undefined && /^[0-9a-f]{32}$/.test(bare) ? bare : undefined;
}
