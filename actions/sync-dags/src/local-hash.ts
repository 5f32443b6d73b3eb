import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { md5OfFile } from '@deploy-suite/kit';
import type { LocalFile } from './local-tree';
import type { HashedFile } from './plan';

/**
 * Files up to this size are read whole, in one synchronous read into a buffer of their size:
 * a DAG costs four system calls (open, fstat, read, close) and no thread-pool round trip. Larger
 * files stream through the kit's md5OfFile, so memory stays flat whatever the tree holds.
 */
export const WHOLE_READ_BYTES = 1024 * 1024;

/**
 * Small files are hashed synchronously, so every this many the loop lets pending I/O in (the
 * lease's answer, the listing's pages): the requests to S3 go out as soon as they can.
 */
const FILES_BETWEEN_YIELDS = 32;

/** Each file's size and MD5, in the files' order, both from the same read of the file. */
export async function hashLocalFiles(files: readonly LocalFile[]): Promise<HashedFile[]> {
  const hashed: HashedFile[] = [];
  for (const [index, file] of files.entries()) {
    if (index % FILES_BETWEEN_YIELDS === FILES_BETWEEN_YIELDS - 1) await letIoIn();
    hashed.push({ ...file, ...(await hashLocalFile(file.absolutePath)) });
  }
  return hashed;
}

/** The file's size and MD5; the size is what was hashed, so the two always agree. */
export async function hashLocalFile(path: string): Promise<{ size: number; md5: string }> {
  const fd = openSync(path, 'r');
  let size: number;
  try {
    size = fstatSync(fd).size;
    if (size <= WHOLE_READ_BYTES) return hashWhole(fd, size);
  } finally {
    closeSync(fd);
  }
  return { size, md5: await md5OfFile(path) };
}

/** Reads up to `size` bytes (fewer if the file shrank since its fstat) and hashes them. */
function hashWhole(fd: number, size: number): { size: number; md5: string } {
  const bytes = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const read = readSync(fd, bytes, filled, size - filled, filled);
    if (read === 0) break;
    filled += read;
  }
  return { size: filled, md5: createHash('md5').update(bytes.subarray(0, filled)).digest('hex') };
}

function letIoIn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
