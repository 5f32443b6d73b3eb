/**
 * scripts/release against local bare repositories standing in for the monorepo's remote and for
 * each org/<action> repository, and a loopback stand-in for the GitHub releases API.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  ACTIONS,
  bareRepo,
  git,
  linkNodeModules,
  node24,
  refs,
  runRelease,
  seedMonorepo,
  startReleasesApi,
  type ReleasesApi,
} from './fixture';

const TOKEN = 'fixture-token';
// One rebuild of a real action bundle takes several seconds.
jest.setTimeout(120_000);

describe('release: one action changed', () => {
  let tmp: string;
  let work: string;
  let api: ReleasesApi;
  let env: Record<string, string>;
  const remote = (name: string): string => join(tmp, 'remotes', `${name}.git`);
  const allRefs = (): Record<string, Record<string, string>> =>
    Object.fromEntries(['monorepo', ...ACTIONS].map((name) => [name, refs(remote(name))]));

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'release-it-'));
    for (const name of ['monorepo', ...ACTIONS]) bareRepo(remote(name));
    seedMonorepo(join(tmp, 'seed'), remote('monorepo'));
    git(tmp, 'clone', '--quiet', remote('monorepo'), 'work');
    work = join(tmp, 'work');
    linkNodeModules(work);
    api = await startReleasesApi(TOKEN);
    writeFileSync(join(tmp, 'gitconfig'), '');
    env = {
      HOME: tmp,
      // No identity configured, as on a fresh runner: the script brings its own.
      GIT_CONFIG_GLOBAL: join(tmp, 'gitconfig'),
      RELEASE_REMOTE_TEMPLATE: `file://${tmp}/remotes/{action}.git`,
      RELEASE_OWNER: 'org',
      GITHUB_API_URL: api.url,
      GITHUB_TOKEN: TOKEN,
      RELEASE_DATE: '2026-11-22',
      RELEASE_NODE: node24,
    };
  });

  afterAll(async () => {
    await api?.close();
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  });

  let afterFirst: Record<string, Record<string, string>>;

  test('tagged but unpublished releases are published: v1.0.0, v1, v1.0 and a GitHub release each', async () => {
    const monorepoBefore = refs(remote('monorepo'));
    const result = await runRelease(work, env);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('Nothing to version');
    for (const action of ACTIONS) {
      const published = refs(remote(action));
      const commit = git(remote(action), 'rev-parse', 'v1.0.0^{commit}').trim();
      expect(published['refs/heads/main']).toBe(commit);
      expect(published['refs/tags/v1']).toBe(commit);
      expect(published['refs/tags/v1.0']).toBe(commit);
    }
    expect(api.created.map((r) => `${r.repository}@${r.tag}`).sort()).toEqual(
      ACTIONS.map((a) => `org/${a}@v1.0.0`),
    );
    expect(api.created[0]?.body).toBe('First public release.');
    // This repository gains only the moving tags that `uses: org/repo/actions/<action>@<action>/v1`
    // reads, at the release commit; its branch and release tags stay as they were.
    const monorepo = refs(remote('monorepo'));
    const added = Object.keys(monorepo).filter((ref) => !(ref in monorepoBefore));
    expect(added.sort()).toEqual(ACTIONS.flatMap((a) => [`refs/tags/${a}/v1`, `refs/tags/${a}/v1.0`]).sort());
    for (const action of ACTIONS) {
      const release = git(remote('monorepo'), 'rev-parse', `${action}/v1.0.0^{commit}`).trim();
      expect(monorepo[`refs/tags/${action}/v1`]).toBe(release);
      expect(monorepo[`refs/tags/${action}/v1.0`]).toBe(release);
    }
    for (const [ref, sha] of Object.entries(monorepoBefore)) expect(monorepo[ref]).toBe(sha);
    afterFirst = allRefs();
  });

  test('changes land: a fix in deploy-ecs, and commits that must not release anything', () => {
    const change = (file: string, text: string, message: string) => {
      appendFileSync(join(work, file), text);
      git(work, 'commit', '--quiet', '-am', message);
    };
    change(
      'actions/deploy-ecs/src/main.ts',
      "\nprocess.env['RELEASE_PROBE'] ??= 'probe-1-0-1';\n",
      'fix(deploy-ecs): report the probe',
    );
    change('actions/build-push/README.md', '\nMore words.\n', 'docs(build-push): more words');
    // Scope says sync-dags and type says feat, but only a README changed: the files decide.
    change('actions/sync-dags/README.md', '\nA new section.\n', 'feat(sync-dags): document the layout');
    change('tsconfig.json', '\n', 'chore: tooling');
    git(work, 'push', '--quiet', 'origin', 'main');
  });

  test('--dry-run names the one release and changes nothing', async () => {
    const before = allRefs();
    const result = await runRelease(work, env, '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Version deploy-ecs: 1.0.1 (1.0.0, patch; 1 change(s))');
    expect(result.stdout.match(/^Version /gm)).toHaveLength(1);
    expect(result.stdout).toContain(
      '(dry run) would tag deploy-ecs/v1.0.1, move deploy-ecs/v1, deploy-ecs/v1.0 to it, and publish it',
    );
    expect(allRefs()).toEqual(before);
    expect(git(work, 'status', '--porcelain')).toBe('');
  });

  let afterSecond: Record<string, Record<string, string>>;

  test('only deploy-ecs gets a new version, tag and publication; v1 moves; v1.0.0 stays', async () => {
    const result = await runRelease(work, env);
    expect(result.stdout).toContain('deploy-ecs: published v1.0.1');
    expect(result.code).toBe(0);

    // Monorepo: one release commit on main, one new release tag; deploy-ecs/v1 and /v1.0 follow it.
    const monorepo = refs(remote('monorepo'));
    const newTags = Object.keys(monorepo).filter((ref) => !(ref in afterFirst['monorepo']!));
    expect(newTags).toEqual(['refs/tags/deploy-ecs/v1.0.1']);
    const release = git(remote('monorepo'), 'rev-parse', 'deploy-ecs/v1.0.1^{commit}').trim();
    expect(monorepo['refs/tags/deploy-ecs/v1']).toBe(release);
    expect(monorepo['refs/tags/deploy-ecs/v1.0']).toBe(release);
    expect(monorepo['refs/tags/deploy-ecs/v1.0.0']).toBe(
      afterFirst['monorepo']!['refs/tags/deploy-ecs/v1.0.0'],
    );
    expect(monorepo['refs/tags/sync-dags/v1']).toBe(afterFirst['monorepo']!['refs/tags/sync-dags/v1']);
    expect(git(remote('monorepo'), 'log', '-1', '--format=%s', 'main').trim()).toBe(
      'chore(release): deploy-ecs v1.0.1',
    );
    const changed = git(remote('monorepo'), 'diff', '--name-only', 'main~1', 'main').trim().split('\n');
    expect(changed.every((file) => file.startsWith('actions/deploy-ecs/'))).toBe(true);
    expect(changed).toEqual(
      expect.arrayContaining([
        'actions/deploy-ecs/CHANGELOG.md',
        'actions/deploy-ecs/package.json',
        'actions/deploy-ecs/dist/bundle.js',
      ]),
    );
    const pkg = (action: string) =>
      JSON.parse(git(remote('monorepo'), 'show', `main:actions/${action}/package.json`)) as {
        version: string;
      };
    expect(ACTIONS.map((a) => [a, pkg(a).version])).toEqual(
      ACTIONS.map((a) => [a, a === 'deploy-ecs' ? '1.0.1' : '1.0.0']),
    );
    const changelog = git(remote('monorepo'), 'show', 'deploy-ecs/v1.0.1:actions/deploy-ecs/CHANGELOG.md');
    expect(changelog).toMatch(
      /## \[Unreleased\]\n\n## \[1\.0\.1\] - 2026-11-22\n\n### Fixes\n\n- report the probe \([0-9a-f]{7}\)\n\n## \[1\.0\.0\]/,
    );

    // Publication: deploy-ecs only; v1.0.0 untouched, v1 and v1.0 moved to v1.0.1.
    const ecs = refs(remote('deploy-ecs'));
    const before = afterFirst['deploy-ecs']!;
    expect(ecs['refs/tags/v1.0.0']).toBe(before['refs/tags/v1.0.0']);
    const released = git(remote('deploy-ecs'), 'rev-parse', 'v1.0.1^{commit}').trim();
    expect(ecs['refs/tags/v1']).toBe(released);
    expect(ecs['refs/tags/v1.0']).toBe(released);
    expect(ecs['refs/heads/main']).toBe(released);
    expect(git(remote('deploy-ecs'), 'rev-parse', `${released}~1`).trim()).toBe(
      git(remote('deploy-ecs'), 'rev-parse', 'v1.0.0^{commit}').trim(),
    );
    for (const action of ACTIONS.filter((a) => a !== 'deploy-ecs'))
      expect(refs(remote(action))).toEqual(afterFirst[action]);

    expect(api.created.slice(ACTIONS.length).map((r) => `${r.repository}@${r.tag}`)).toEqual([
      'org/deploy-ecs@v1.0.1',
    ]);
    expect(api.created.at(-1)?.body).toMatch(/^### Fixes\n\n- report the probe \([0-9a-f]{7}\)$/);
    afterSecond = allRefs();
  });

  test('the published v1 holds just what the action needs, and its dist runs under Node 24', () => {
    const files = git(remote('deploy-ecs'), 'ls-tree', '-r', '--name-only', 'v1').trim().split('\n');
    expect(files).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'action.yml',
      'dist/bundle.js',
      'dist/bundle.js.map',
      'dist/index.js',
      'dist/licenses.txt',
    ]);
    const checkout = join(tmp, 'uses-deploy-ecs-v1');
    mkdirSync(checkout);
    execFileSync('sh', [
      '-c',
      `git --git-dir="${remote('deploy-ecs')}" archive v1 | tar -x -C "${checkout}"`,
    ]);
    expect(readFileSync(join(checkout, 'action.yml'), 'utf8')).toMatch(/main: '?dist\/index\.js'?/);
    // Rebuilt from the tagged source, not copied from the previous dist.
    expect(readFileSync(join(checkout, 'dist', 'bundle.js'), 'utf8').includes('probe-1-0-1')).toBe(true);
    expect(readFileSync(join(checkout, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);

    const run = spawnSync(node24, [join(checkout, 'dist', 'index.js')], {
      cwd: tmp,
      env: { PATH: process.env['PATH'] ?? '', INPUT_SERVICE: '', 'INPUT_TASK-DEFINITION': '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    const errorLine = run.stdout.split('\n').find((line) => line.startsWith('::error::')) ?? '';
    const inputs = Object.keys(
      (parse(readFileSync(join(checkout, 'action.yml'), 'utf8')) as { inputs: object }).inputs,
    );
    expect(inputs.filter((name) => errorLine.includes(`'${name}'`))).not.toEqual([]);
  });

  // What the runner does for `uses: org/deploy-suite/actions/deploy-ecs@deploy-ecs/v1`: it takes the
  // repository at that ref and runs actions/deploy-ecs/action.yml from its folder (GitHub Docs,
  // "Workflow syntax", jobs.<job_id>.steps[*].uses: `{owner}/{repo}/{path}@{ref}`).
  test('the path form: this repository at deploy-ecs/v1 holds the rebuilt action, and it runs under Node 24', () => {
    const checkout = join(tmp, 'uses-monorepo-deploy-ecs-v1');
    mkdirSync(checkout);
    execFileSync('sh', [
      '-c',
      `git --git-dir="${remote('monorepo')}" archive deploy-ecs/v1 | tar -x -C "${checkout}"`,
    ]);
    const action = join(checkout, 'actions', 'deploy-ecs');
    const manifest = parse(readFileSync(join(action, 'action.yml'), 'utf8')) as {
      runs: { using: string; main: string };
    };
    expect(manifest.runs.using).toBe('node24');
    expect(readFileSync(join(action, manifest.runs.main.replace(/^\.\//, '')), 'utf8')).not.toBe('');
    expect(readFileSync(join(action, 'dist', 'bundle.js'), 'utf8').includes('probe-1-0-1')).toBe(true);
    const run = spawnSync(node24, [join(action, manifest.runs.main)], {
      cwd: tmp,
      env: { PATH: process.env['PATH'] ?? '', INPUT_SERVICE: '', 'INPUT_TASK-DEFINITION': '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error::/m);
  });

  test('a second run publishes nothing', async () => {
    const releases = api.created.length;
    const result = await runRelease(work, env);
    expect(result.stdout).toContain('Nothing to version');
    expect(result.stdout).not.toContain('published v');
    expect(result.stdout).not.toContain('in this repository'); // no moving tag pushed again
    expect(result.code).toBe(0);
    expect(allRefs()).toEqual(afterSecond);
    expect(api.created).toHaveLength(releases);
    expect(git(work, 'status', '--porcelain')).toBe('');
  });
});

describe('release: publishing never rewrites an existing version tag', () => {
  let tmp: string;
  const remote = (name: string): string => join(tmp, 'remotes', `${name}.git`);

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'release-keep-'));
    for (const name of ['monorepo', ...ACTIONS]) bareRepo(remote(name));
    seedMonorepo(join(tmp, 'seed'), remote('monorepo'));
    // deploy-ecs's repository already has a v1.0.0 with other content.
    const other = join(tmp, 'other');
    mkdirSync(other);
    git(other, 'init', '--quiet', '--initial-branch=main');
    writeFileSync(join(other, 'README.md'), 'published by hand\n');
    git(other, 'add', '.');
    git(other, 'commit', '--quiet', '-m', 'by hand');
    git(other, 'tag', 'v1.0.0');
    git(other, 'push', '--quiet', '--tags', remote('deploy-ecs'), 'main');
    git(tmp, 'clone', '--quiet', remote('monorepo'), 'work');
    linkNodeModules(join(tmp, 'work'));
  });

  afterAll(() => {
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  });

  test('the existing v1.0.0 is kept; moving tags follow it; no token means no GitHub release', async () => {
    const before = refs(remote('deploy-ecs'));
    const result = await runRelease(join(tmp, 'work'), {
      HOME: tmp,
      RELEASE_REMOTE_TEMPLATE: `file://${tmp}/remotes/{action}.git`,
      RELEASE_DATE: '2026-11-22',
    });
    expect(result.stdout).toContain(
      '::notice::deploy-ecs: no GITHUB_TOKEN, GitHub release for v1.0.0 skipped',
    );
    expect(result.code).toBe(0);
    const after = refs(remote('deploy-ecs'));
    expect(after['refs/tags/v1.0.0']).toBe(before['refs/tags/v1.0.0']);
    expect(after['refs/heads/main']).toBe(before['refs/heads/main']);
    expect(after['refs/tags/v1']).toBe(before['refs/tags/v1.0.0']);
    expect(git(remote('deploy-ecs'), 'ls-tree', '--name-only', 'v1').trim()).toBe('README.md');
    expect(refs(remote('sync-dags'))['refs/tags/v1.0.0']).toBeDefined();
    expect(result.stdout).toContain(
      '::notice::deploy-ecs: no GITHUB_TOKEN, GitHub release for v1.0.0 skipped',
    );
  });
});
