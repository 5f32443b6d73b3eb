/**
 * Bundles every action's src/main.ts into actions/<name>/dist/index.js with ncc (minified, with
 * the licences of what is bundled). `--check` rebuilds into a temporary folder and fails when the
 * committed dist differs, so a change to src or kit cannot land without its bundle.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(__dirname, '..');
const check = process.argv.includes('--check');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const actions = readdirSync(join(root, 'actions')).filter(
  (name) =>
    existsSync(join(root, 'actions', name, 'src', 'main.ts')) && (only.length === 0 || only.includes(name)),
);

function bundle(name: string, out: string): void {
  execFileSync(
    join(root, 'node_modules', '.bin', 'ncc'),
    [
      'build',
      join('actions', name, 'src', 'main.ts'),
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
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } },
  );
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

let stale = 0;
for (const name of actions) {
  const dist = join(root, 'actions', name, 'dist');
  if (!check) {
    const fresh = mkdtempSync(join(tmpdir(), `dist-${name}-`));
    bundle(name, fresh);
    rmSync(dist, { recursive: true, force: true });
    mkdirSync(dist, { recursive: true });
    cpSync(fresh, dist, { recursive: true });
    rmSync(fresh, { recursive: true, force: true });
    const size = readFileSync(join(dist, 'index.js')).length;
    console.log(`${name}: dist/ ${files(dist).join(', ')} (index.js ${(size / 1024).toFixed(0)} KiB)`);
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
process.exit(stale > 0 ? 1 : 0);
