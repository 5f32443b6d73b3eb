import { mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPathFilter } from '../../../actions/sync-dags/src/filters';
import { scanLocalTree } from '../../../actions/sync-dags/src/local-tree';
import { makeTree } from './fake-aws';

const everything = createPathFilter([], []);

/** A workspace (the allowed root) holding `dags/`, and a folder outside it. */
function workspaceWithOutside(files: Record<string, string>, outside: Record<string, string> = {}) {
  const workspace = realpathSync(makeTree(files));
  const elsewhere = realpathSync(makeTree(outside, mkdtempSync(join(tmpdir(), 'outside-'))));
  return { workspace, dags: join(workspace, 'dags'), elsewhere, roots: [workspace] };
}

describe('scanLocalTree', () => {
  it('walks nested folders, sorted, with /-separated paths', async () => {
    const root = makeTree({ 'b.py': 'bb', 'a/x/y.py': 'y', 'a/z.sql': 'zzz' });
    const tree = await scanLocalTree(root, { filter: everything, roots: [root] });
    expect(tree.files).toEqual([
      { path: 'a/x/y.py', absolutePath: join(root, 'a', 'x', 'y.py') },
      { path: 'a/z.sql', absolutePath: join(root, 'a', 'z.sql') },
      { path: 'b.py', absolutePath: join(root, 'b.py') },
    ]);
  });

  it('takes every file .airflowignore names, and keeps each ignore file’s text by folder', async () => {
    const root = makeTree({
      '.airflowignore': '^vendor\n',
      'vendor/lib.py': '',
      'team/.airflowignore': 'draft',
      'team/draft_1.py': '',
      'team/final.py': '',
    });
    const tree = await scanLocalTree(root, { filter: everything, roots: [root] });
    expect(tree.files.map((f) => f.path)).toEqual([
      '.airflowignore',
      'team/.airflowignore',
      'team/draft_1.py',
      'team/final.py',
      'vendor/lib.py',
    ]);
    expect(tree.ignoreFiles).toEqual(
      new Map([
        ['', '^vendor\n'],
        ['team', 'draft'],
      ]),
    );
  });

  it('applies include and exclude, counting what was left out', async () => {
    const root = makeTree({ 'a.py': '', 'b.sql': '', 'c/d.py': '' });
    const tree = await scanLocalTree(root, {
      filter: createPathFilter(['*.py'], ['c/']),
      roots: [root],
    });
    expect(tree.files.map((f) => f.path)).toEqual(['a.py']);
    expect(tree.excluded).toBe(2);
  });

  it('follows links to files and folders that stay inside the allowed roots, without walking a loop twice', async () => {
    const { workspace, dags, roots } = workspaceWithOutside({
      'dags/real/a.py': 'a',
      'dags/shared.py': 's',
      'lib/common/util.py': 'u',
      'lib/settings.py': 'x = 1\n',
    });
    symlinkSync(join(dags, 'shared.py'), join(dags, 'link.py'));
    symlinkSync('../lib/common', join(dags, 'common')); // the monorepo case: dags/common -> ../lib/common
    symlinkSync(join(workspace, 'lib', 'settings.py'), join(dags, 'settings.py'));
    symlinkSync(dags, join(dags, 'real', 'loop'));
    const tree = await scanLocalTree(dags, { filter: everything, roots });
    expect(tree.files.map((f) => f.path)).toEqual([
      'common/util.py',
      'link.py',
      'real/a.py',
      'settings.py',
      'shared.py',
    ]);
    expect(tree.skippedLinks).toEqual([]);
  });

  it('does not follow links to files or folders outside the allowed roots, and names them', async () => {
    const { dags, elsewhere, roots } = workspaceWithOutside(
      { 'dags/dag.py': 'd' },
      { 'secrets.py': 'KEY = 1\n', 'lib/x.py': 'x' },
    );
    symlinkSync(join(elsewhere, 'secrets.py'), join(dags, 'secrets.py'));
    symlinkSync(join(elsewhere, 'lib'), join(dags, 'lib'));
    symlinkSync('/etc', join(dags, 'etc'));
    symlinkSync(join(dags, 'missing.py'), join(dags, 'dangling.py'));
    const tree = await scanLocalTree(dags, { filter: everything, roots });
    expect(tree.files.map((f) => f.path)).toEqual(['dag.py']);
    expect(tree.skippedLinks).toEqual([
      { path: 'dangling.py', reason: 'dangling' },
      { path: 'etc', reason: 'outside' },
      { path: 'lib', reason: 'outside' },
      { path: 'secrets.py', reason: 'outside' },
    ]);
  });

  it('does not follow a link inside the tree whose target then leaves the roots through another link', async () => {
    const { workspace, dags, elsewhere, roots } = workspaceWithOutside(
      { 'dags/dag.py': 'd' },
      { 'x.py': 'x' },
    );
    symlinkSync(elsewhere, join(workspace, 'escape'));
    symlinkSync('../escape/x.py', join(dags, 'x.py'));
    const tree = await scanLocalTree(dags, { filter: everything, roots });
    expect(tree.files.map((f) => f.path)).toEqual(['dag.py']);
    expect(tree.skippedLinks).toEqual([{ path: 'x.py', reason: 'outside' }]);
  });
});
