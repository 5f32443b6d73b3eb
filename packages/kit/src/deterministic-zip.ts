import { createWriteStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

export interface ZipFolderOptions {
  /** Folder whose contents become the archive's root. */
  root: string;
  /** Where the archive is written. */
  out: string;
  /** Keeps a file when true; receives the path relative to root with `/` separators. */
  include?: (relativePath: string) => boolean;
}

export interface ZipResult {
  /** Archive entries, in the order written (sorted by path). */
  entries: string[];
  bytes: number;
}

// The DOS epoch: zip timestamps cannot go earlier, and a fixed one keeps checkouts byte-identical.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;
const EXECUTABLE_MODE = 0o100755;

/**
 * Zips a folder so that the same files with the same contents always give the same bytes,
 * whatever the checkout's timestamps, owners or directory order: entries sorted by path, one fixed
 * timestamp, modes reduced to 644/755. Equal content then means an equal hash, so an upload can be
 * skipped by comparing hashes.
 */
export async function zipFolderDeterministically(options: ZipFolderOptions): Promise<ZipResult> {
  const files = (await listFiles(options.root)).filter((path) => options.include?.(path) ?? true);
  return zipEntriesDeterministically(
    files.map((name) => ({ name, source: join(options.root, name) })),
    options.out,
  );
}

/** One file of an archive: its name inside the archive (`/` separators) and where its bytes are read from. */
export interface ZipEntry {
  name: string;
  source: string;
}

/**
 * Zips the given files under the given names with the same guarantees as
 * zipFolderDeterministically, for callers that walk the tree themselves (following links only
 * where they may).
 */
export async function zipEntriesDeterministically(
  entries: readonly ZipEntry[],
  out: string,
): Promise<ZipResult> {
  const sorted = [...entries].sort((a, b) => byBytes(a.name, b.name));
  const zip = new ZipFile();
  for (const { name, source } of sorted) {
    const mode = (await stat(source)).mode & 0o111 ? EXECUTABLE_MODE : FILE_MODE;
    zip.addFile(source, name, {
      mtime: FIXED_MTIME,
      mode,
      compress: true,
      compressionLevel: 6,
      forceDosTimestamp: true,
    });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(out));
  return { entries: sorted.map((e) => e.name), bytes: (await stat(out)).size };
}

function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const full = join(entry.parentPath, entry.name);
    if (entry.isFile() || (entry.isSymbolicLink() && (await isFileBehindLink(full)))) {
      files.push(relative(root, full).split(sep).join('/'));
    }
  }
  return files;
}

/** A symlink counts as the file it points to; a dangling one is skipped. */
async function isFileBehindLink(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
