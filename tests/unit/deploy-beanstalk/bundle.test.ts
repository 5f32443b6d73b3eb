import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { recordingLog } from '../../support/fakes';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../../../actions/deploy-beanstalk/src/bundle';
import { bundleFilter } from '../../../actions/deploy-beanstalk/src/ebignore';
import { zipNames } from './zip-names';

function folder(files: Record<string, string>, mtime?: Date): string {
  const root = mkdtempSync(join(tmpdir(), 'eb-bundle-src-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
    if (mtime) utimesSync(join(root, path), mtime, mtime);
  }
  return root;
}

const work = () => mkdtempSync(join(tmpdir(), 'eb-bundle-out-'));
const roots = [realpathSync(tmpdir())];
const build = (source: Parameters<typeof buildBundle>[0], log = recordingLog()) =>
  buildBundle(source, work(), log, roots);

test('the same files give the same bytes whatever their timestamps', async () => {
  const files = { 'server.js': 'listen()\n', 'lib/model.json': '{}\n' };
  const a = await build({ kind: 'package', path: folder(files, new Date(2001, 1, 1)) });
  const b = await build({ kind: 'package', path: folder(files, new Date(2024, 5, 5)) });
  expect(a.md5).toBe(b.md5);
  expect(a.origin).toMatch(/, 2 files$/);
  const c = await build({ kind: 'package', path: folder({ ...files, 'server.js': 'listen(1)\n' }) });
  expect(c.md5).not.toBe(a.md5);
});

test('an image becomes a zipped Dockerrun.aws.json, the same for the same image and port', async () => {
  const a = await build({ kind: 'image', image: 'repo/model:1', containerPort: 8080 });
  const b = await build({ kind: 'image', image: 'repo/model:1', containerPort: 8080 });
  const c = await build({ kind: 'image', image: 'repo/model:1', containerPort: 9000 });
  expect(a.md5).toBe(b.md5);
  expect(c.md5).not.toBe(a.md5);
  expect(a.origin).toBe('Dockerrun.aws.json for repo/model:1, 1 file');
});

test('a ready archive is used as it is', async () => {
  const root = folder({ 'app.zip': 'PK-bytes' });
  const bundle = await build({ kind: 'package', path: join(root, 'app.zip') });
  const md5 = createHash('md5').update('PK-bytes').digest('hex');
  expect(bundle).toEqual({ path: join(root, 'app.zip'), bytes: 8, md5, origin: 'archive app.zip' });
});

test('a folder whose every file is ignored is refused', async () => {
  const root = folder({ '.ebignore': '*\n', 'a.txt': 'x' });
  await expect(build({ kind: 'package', path: root })).rejects.toThrow(
    "Input 'deployment-package' leaves nothing to bundle",
  );
});

// What the EB CLI leaves out on its own (ebcli/core/fileoperations.py _zipdir and
// get_ebignore_list): the root .ebignore, names ending in `~`, folders whose path contains
// `.elasticbeanstalk`. `.git` is this action's own addition (it holds the checkout's token).
test.each<[string | undefined, string, boolean]>([
  [undefined, 'server.js', true],
  [undefined, '.git/HEAD', false],
  [undefined, 'vendor/lib/.git', false],
  [undefined, '.gitignore', true],
  [undefined, 'notes.txt~', false],
  [undefined, '.elasticbeanstalk/config.yml', false],
  [undefined, 'app/.elasticbeanstalk/saved_configs/a.cfg.yml', false],
  ['', '.ebignore', false],
  ['', 'app/.ebignore', true],
  ['!.ebignore\n', '.ebignore', false],
  ['*.log\n', 'logs/today.log', false],
  ['tests/\n', 'tests/unit/a.js', false],
  ['tests/\n', 'src/tests.js', true],
  ['*.md\n!README.md\n', 'README.md', true],
  ['*.md\n!README.md\n', 'NOTES.md', false],
  ['/build\n', 'build/out.js', false],
  ['/build\n', 'src/build/out.js', true],
  ['*\n!docker/**\n', 'docker/Dockerfile', true],
  ['target/\n!target/*.jar\n', 'target/app.jar', true],
  ['target/\n!target/*.jar\n', 'target/classes/A.class', false],
])('.ebignore %p: %p is bundled: %p', (ebignore, path, kept) => {
  expect(bundleFilter(ebignore)(path)).toBe(kept);
});

async function bundledNames(root: string, log = recordingLog(), allowed = roots): Promise<string[]> {
  const bundle = await buildBundle({ kind: 'package', path: root }, work(), log, allowed);
  return zipNames(readFileSync(bundle.path));
}

test('a whitelist .ebignore keeps the files its ! lines name, also under excluded folders', async () => {
  const root = folder({
    '.ebignore': '*\n!Dockerrun.aws.json\n!.ebextensions/**\n!docker/**\n!target/*.jar\n',
    'Dockerrun.aws.json': '{}',
    '.ebextensions/01-env.config': 'option_settings: []\n',
    'docker/Dockerfile': 'FROM scratch\n',
    'docker/entry/start.sh': 'exec app\n',
    'target/app.jar': 'jar',
    'target/classes/A.class': 'class',
    'README.md': '# app\n',
    'src/Main.java': 'class Main {}\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
  });
  expect(await bundledNames(root)).toEqual([
    '.ebextensions/01-env.config',
    'Dockerrun.aws.json',
    'docker/Dockerfile',
    'docker/entry/start.sh',
    'target/app.jar',
  ]);
});

test.each<[string, Buffer | string, string]>([
  ['an invalid pattern', 'ok\n[z-a]\n', "has a .ebignore the EB CLI cannot read: line 2 '[z-a]'"],
  [
    'bytes that are not UTF-8',
    Buffer.from([0x2a, 0x0a, 0xff, 0xfe]),
    'has a .ebignore that is not UTF-8 text',
  ],
])('a .ebignore with %s is refused', async (_, content, message) => {
  const root = folder({ 'app.py': 'x' });
  writeFileSync(join(root, '.ebignore'), content);
  await expect(bundledNames(root)).rejects.toThrow(`Input 'deployment-package' ${message}`);
});

describe('links in the bundled folder', () => {
  // The workspace is one temporary folder; `outside` is a sibling the action may not read.
  function workspace() {
    const base = mkdtempSync(join(tmpdir(), 'eb-links-'));
    const inside = join(base, 'workspace');
    const outside = join(base, 'elsewhere');
    for (const dir of [join(inside, 'app'), join(inside, 'shared', 'lib'), outside])
      mkdirSync(dir, { recursive: true });
    writeFileSync(join(inside, 'app', 'main.py'), 'main');
    writeFileSync(join(inside, 'shared', 'settings.py'), 'settings');
    writeFileSync(join(inside, 'shared', 'lib', 'util.py'), 'util');
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    return { app: join(inside, 'app'), inside, outside, allowed: [realpathSync(inside)] };
  }

  test('links to a file or a folder inside the workspace are followed and bundled under the link name', async () => {
    const w = workspace();
    symlinkSync('../shared/settings.py', join(w.app, 'settings.py'));
    symlinkSync('../shared/lib', join(w.app, 'lib'));
    const log = recordingLog();
    const bundle = await buildBundle({ kind: 'package', path: w.app }, work(), log, w.allowed);
    expect(zipNames(readFileSync(bundle.path))).toEqual(['lib/util.py', 'main.py', 'settings.py']);
    expect(log.lines.filter((l) => l.startsWith('warning'))).toEqual([]);
  });

  test.each<[string, (w: ReturnType<typeof workspace>) => void, string]>([
    [
      'a file outside',
      (w) => symlinkSync(join(w.outside, 'secret.txt'), join(w.app, 'secret.txt')),
      'warning: Left secret.txt out of the bundle: it is a link that leads outside the workspace (GITHUB_WORKSPACE) and RUNNER_TEMP',
    ],
    [
      'a folder outside',
      (w) => symlinkSync(w.outside, join(w.app, 'elsewhere')),
      'warning: Left elsewhere out of the bundle: it is a link that leads outside the workspace (GITHUB_WORKSPACE) and RUNNER_TEMP',
    ],
    [
      'nowhere',
      (w) => symlinkSync(join(w.app, 'gone'), join(w.app, 'dangling')),
      'warning: Left dangling out of the bundle: it is a link that leads nowhere',
    ],
    [
      'back into its own folder',
      (w) => symlinkSync('..', join(w.app, 'loop')),
      'warning: Left loop out of the bundle: it is a link that leads back into a folder it is in',
    ],
  ])('a link to %s is left out with a warning naming it', async (_, link, warning) => {
    const w = workspace();
    link(w);
    const log = recordingLog();
    const bundle = await buildBundle({ kind: 'package', path: w.app }, work(), log, w.allowed);
    expect(zipNames(readFileSync(bundle.path))).toEqual(['main.py']);
    expect(log.lines.filter((l) => l.startsWith('warning'))).toEqual([warning]);
    expect(readFileSync(bundle.path).includes('secret')).toBe(false);
  });

  test('a link outside that the .ebignore leaves out is skipped without a warning', async () => {
    const w = workspace();
    symlinkSync(join(w.outside, 'secret.txt'), join(w.app, 'secret.txt'));
    writeFileSync(join(w.app, '.ebignore'), 'secret.txt\n');
    const log = recordingLog();
    expect(await bundledNames(w.app, log, w.allowed)).toEqual(['main.py']);
    expect(log.lines.filter((l) => l.startsWith('warning'))).toEqual([]);
  });

  test('a .ebignore that links outside the workspace is refused, never read', async () => {
    const w = workspace();
    symlinkSync(join(w.outside, 'secret.txt'), join(w.app, '.ebignore'));
    await expect(bundledNames(w.app, recordingLog(), w.allowed)).rejects.toThrow(
      "Input 'deployment-package' has a .ebignore that links outside the workspace",
    );
  });

  test('sockets, pipes and empty folders are not bundled', async () => {
    const w = workspace();
    mkdirSync(join(w.app, 'empty'));
    execFileSync('mkfifo', [join(w.app, 'pipe')]);
    expect(await bundledNames(w.app, recordingLog(), w.allowed)).toEqual(['main.py']);
  });
});
