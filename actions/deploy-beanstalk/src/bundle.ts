import { mkdir, mkdtemp, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  InputError,
  md5OfFile,
  zipEntriesDeterministically,
  type Log,
  type ZipEntry,
} from '@deploy-suite/kit';
import { bundleFiles } from './bundle-files';
import { bundleFilter, readEbignore } from './ebignore';
import { renderDockerrun } from './plan';
import type { Source } from './inputs';

export interface Bundle {
  /** The archive on disk; never read into memory whole. */
  path: string;
  md5: string;
  bytes: number;
  /** What went in, for the log: `folder app (12 files)`. */
  origin: string;
}

/**
 * The source bundle for an image or a package, written under `workDir`. A folder is zipped
 * deterministically (same files, same bytes, same MD5); a ready archive is used as it is.
 */
export async function buildBundle(
  source: Exclude<Source, { kind: 'existing-version' }>,
  workDir: string,
  log: Log,
  roots: readonly string[],
): Promise<Bundle> {
  await mkdir(workDir, { recursive: true });
  if (source.kind === 'image') {
    const folder = await mkdtemp(join(workDir, 'dockerrun-'));
    await writeFile(join(folder, 'Dockerrun.aws.json'), renderDockerrun(source.image, source.containerPort));
    const entries = [{ name: 'Dockerrun.aws.json', source: join(folder, 'Dockerrun.aws.json') }];
    return zipped(entries, folder, join(workDir, 'dockerrun.zip'), `Dockerrun.aws.json for ${source.image}`);
  }
  if ((await stat(source.path)).isDirectory()) {
    const ebignore = await readEbignore(source.path, roots);
    const origin = `folder ${basename(source.path)}${ebignore === undefined ? '' : ' (honouring .ebignore)'}`;
    const entries = await bundleFiles(source.path, bundleFilter(ebignore), roots, log);
    return zipped(entries, source.path, join(workDir, 'bundle.zip'), origin);
  }
  return {
    path: source.path,
    md5: await md5OfFile(source.path),
    bytes: (await stat(source.path)).size,
    origin: `archive ${basename(source.path)}`,
  };
}

async function zipped(
  entries: readonly ZipEntry[],
  root: string,
  out: string,
  origin: string,
): Promise<Bundle> {
  if (entries.length === 0) {
    throw new InputError('deployment-package', `leaves nothing to bundle: every file of ${root} is ignored`);
  }
  const result = await zipEntriesDeterministically(entries, out);
  const count = result.entries.length === 1 ? '1 file' : `${result.entries.length} files`;
  return { path: out, md5: await md5OfFile(out), bytes: result.bytes, origin: `${origin}, ${count}` };
}
