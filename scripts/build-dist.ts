/**
 * Bundles every action's src/index.ts (the entry that calls main.ts's run()) into
 * actions/<name>/dist with ncc (minified, with the licences of what is bundled): bundle.js, its
 * source map of the action's own code, index.js, the entry that loads it, and any chunk a dynamic
 * import() splits off (dist-source-map.ts says why and how). `--check` rebuilds into a temporary
 * folder and fails when the committed dist differs, chunks included, so a change to src or kit
 * cannot land without its bundle.
 *
 * A build prints each bundle's size (the JavaScript in dist/: index.js, bundle.js and any chunk;
 * licenses.txt is never loaded, so not counted), their total, and flags a bundle over the 1.5 MB
 * budget, MB meaning 10^6 bytes as the budget is written. Printed, not enforced.
 *
 * Bundle size. ncc resolves a package through its `main` (CommonJS) and minifies without
 * compressing, so nothing it bundles is dropped below the module: an AWS client's one-file
 * CommonJS build comes whole. For SageMaker's (~380 operations) that is 0.43 MB of deploy-sagemaker's
 * bundle, where the action calls seven. The root tsconfig.json's `paths` (which ncc reads from the
 * folder it runs in) point ncc at the client's ES modules instead, `sideEffects: false`, so the
 * bundle keeps only the commands imported and the client's schemas module (0.23 MB, all
 * operations' shapes, in one module): 1.54 → 1.36 MB (tests/unit/build/sdk-modules.test.ts).
 * Measured and not taken: ncc's API option `mainFields: ['module', 'main']` for every package
 * (1.37 MB, but the credential providers' ES builds import() each other, making 13 chunks, several
 * repeating the HTTP/2 handler); compressing bundle.js afterwards (swc: 1.22 MB, but then the source
 * map must be composed and every action's code changes shape). A client reached by import()
 * stays CommonJS: import() keeps all of a module's exports, and the ES build is the larger.
 * The same `paths` give every bundle a stand-in for undici, which @actions/http-client (brought by
 * @actions/core) requires only for getAgentDispatcher, a proxy dispatcher for fetch that no action
 * calls; HttpClient's requests go over node:http(s) with the runner's proxy settings without it.
 * 0.44 MB less in each bundle, and less to load before the first AWS call.
 */
import { execFileSync } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  existsSync,
  mkdirSync,
  cpSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { shapeDist } from './dist-source-map';

const root = join(__dirname, '..');
const check = process.argv.includes('--check');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const actions = readdirSync(join(root, 'actions')).filter(
  (name) =>
    existsSync(join(root, 'actions', name, 'src', 'index.ts')) && (only.length === 0 || only.includes(name)),
);

function bundle(name: string, out: string): void {
  execFileSync(
    join(root, 'node_modules', '.bin', 'ncc'),
    [
      'build',
      join('actions', name, 'src', 'index.ts'),
      '--out',
      out,
      '--minify',
      '--license',
      'licenses.txt',
      '--quiet',
      '--target',
      'es2022',
      // Types are checked once for the whole tree by `npm run typecheck`; the bundle only transpiles.
      '--transpile-only',
      // A map for debugged runs' stack traces (see dist-source-map.ts); Node's own support reads it.
      '--source-map',
      '--no-source-map-register',
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } },
  );
  shapeDist(out);
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** The size budget of one action's bundle: 1.5 MB, decimal. */
const BUNDLE_BUDGET_BYTES = 1_500_000;

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

/** The JavaScript a run may load from dist/, in bytes. */
function bundleBytes(dist: string): number {
  return files(dist)
    .filter((file) => /\.(c|m)?js$/.test(file))
    .reduce((sum, file) => sum + statSync(join(dist, file)).size, 0);
}

function printSize(name: string, dist: string): number {
  const bytes = bundleBytes(dist);
  const over = bytes > BUNDLE_BUDGET_BYTES ? `  OVER the ${megabytes(BUNDLE_BUDGET_BYTES)} budget` : '';
  console.log(
    `${name}: dist/ ${files(dist).join(', ')} (JavaScript ${megabytes(bytes)}, ${bytes} bytes)${over}`,
  );
  return bytes;
}

let stale = 0;
let total = 0;
for (const name of actions) {
  const dist = join(root, 'actions', name, 'dist');
  if (!check) {
    const fresh = mkdtempSync(join(tmpdir(), `dist-${name}-`));
    bundle(name, fresh);
    rmSync(dist, { recursive: true, force: true });
    mkdirSync(dist, { recursive: true });
    cpSync(fresh, dist, { recursive: true });
    rmSync(fresh, { recursive: true, force: true });
    total += printSize(name, dist);
    continue;
  }
  const fresh = mkdtempSync(join(tmpdir(), `check-${name}-`));
  bundle(name, fresh);
  const want = files(fresh);
  const have = files(dist);
  const differ = [...new Set([...want, ...have])].filter(
    (file) =>
      !want.includes(file) ||
      !have.includes(file) ||
      !readFileSync(join(fresh, file)).equals(readFileSync(join(dist, file))),
  );
  rmSync(fresh, { recursive: true, force: true });
  if (differ.length > 0) {
    stale++;
    console.error(
      `::error::actions/${name}/dist is not what src builds (${differ.join(', ')}); run npm run build and commit dist/`,
    );
  } else {
    console.log(`${name}: dist/ matches src`);
  }
}
if (!check && actions.length > 1)
  console.log(`total: ${megabytes(total)} of JavaScript in ${actions.length} bundles`);
process.exit(stale > 0 ? 1 : 0);
