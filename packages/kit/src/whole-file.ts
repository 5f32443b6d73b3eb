import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * Files up to this size are read in one synchronous call. A promise-based read of a DAG-sized
 * file costs four thread-pool round trips (open, stat, read, close), more CPU than the read itself:
 * over thousands of files that was a tenth of a sync's CPU. The event loop waits microseconds.
 */
export const SMALL_FILE_BYTES = 64 * 1024;

/** The whole file; `size` is what the caller's stat said, only to choose how to read. */
export async function readWholeFile(path: string, size: number): Promise<Buffer> {
  return size <= SMALL_FILE_BYTES ? readFileSync(path) : readFile(path);
}
