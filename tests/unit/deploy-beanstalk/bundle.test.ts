import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../../../actions/deploy-beanstalk/src/bundle';
import { bundleFilter } from '../../../actions/deploy-beanstalk/src/ebignore';

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

test('the same files give the same bytes whatever their timestamps', async () => {
  const files = { 'server.js': 'listen()\n', 'lib/model.json': '{}\n' };
  const a = await buildBundle({ kind: 'package', path: folder(files, new Date(2001, 1, 1)) }, work());
  const b = await buildBundle({ kind: 'package', path: folder(files, new Date(2024, 5, 5)) }, work());
  expect(a.md5).toBe(b.md5);
  expect(a.origin).toMatch(/, 2 files$/);
  const c = await buildBundle(
    { kind: 'package', path: folder({ ...files, 'server.js': 'listen(1)\n' }) },
    work(),
  );
  expect(c.md5).not.toBe(a.md5);
});

test('an image becomes a zipped Dockerrun.aws.json, the same for the same image and port', async () => {
  const a = await buildBundle({ kind: 'image', image: 'repo/model:1', containerPort: 8080 }, work());
  const b = await buildBundle({ kind: 'image', image: 'repo/model:1', containerPort: 8080 }, work());
  const c = await buildBundle({ kind: 'image', image: 'repo/model:1', containerPort: 9000 }, work());
  expect(a.md5).toBe(b.md5);
  expect(c.md5).not.toBe(a.md5);
  expect(a.origin).toBe('Dockerrun.aws.json for repo/model:1, 1 file');
});

test('a ready archive is used as it is', async () => {
  const root = folder({ 'app.zip': 'PK-bytes' });
  const bundle = await buildBundle({ kind: 'package', path: join(root, 'app.zip') }, work());
  const md5 = createHash('md5').update('PK-bytes').digest('hex');
  expect(bundle).toEqual({ path: join(root, 'app.zip'), bytes: 8, md5, origin: 'archive app.zip' });
});

test('a folder whose every file is ignored is refused', async () => {
  const root = folder({ '.ebignore': '*\n', 'a.txt': 'x' });
  await expect(buildBundle({ kind: 'package', path: root }, work())).rejects.toThrow(
    "Input 'deployment-package' leaves nothing to bundle",
  );
});

test.each<[string | undefined, string, boolean]>([
  [undefined, 'server.js', true],
  [undefined, '.git/HEAD', false],
  ['*.log\n', 'logs/today.log', false],
  ['tests/\n', 'tests/unit/a.js', false],
  ['tests/\n', 'src/tests.js', true],
  ['*.md\n!README.md\n', 'README.md', true],
  ['*.md\n!README.md\n', 'NOTES.md', false],
  ['/build\n', 'build/out.js', false],
  ['/build\n', 'src/build/out.js', true],
])('.ebignore %p: %p is bundled: %p', (ebignore, path, kept) => {
  expect(bundleFilter(ebignore)(path)).toBe(kept);
});
