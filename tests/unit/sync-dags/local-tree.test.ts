import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createPathFilter } from '../../../actions/sync-dags/src/filters';
import { scanLocalTree } from '../../../actions/sync-dags/src/local-tree';
import { makeTree } from './fake-aws';

const everything = createPathFilter([], []);

describe('scanLocalTree', () => {
  it('walks nested folders, sorted, with sizes and /-separated paths', async () => {
    const root = makeTree({ 'b.py': 'bb', 'a/x/y.py': 'y', 'a/z.sql': 'zzz' });
    const tree = await scanLocalTree(root, { respectAirflowignore: true, filter: everything });
    expect(tree.files.map((f) => [f.path, f.size])).toEqual([
      ['a/x/y.py', 1],
      ['a/z.sql', 3],
      ['b.py', 2],
    ]);
  });

  it('does not enter a folder an .airflowignore matches, and applies nested files below them only', async () => {
    const root = makeTree({
      '.airflowignore': '^vendor\n',
      'vendor/lib.py': '',
      'team/.airflowignore': 'draft',
      'team/draft_1.py': '',
      'team/final.py': '',
      'draft_top.py': '',
    });
    const tree = await scanLocalTree(root, { respectAirflowignore: true, filter: everything });
    expect(tree.files.map((f) => f.path)).toEqual([
      '.airflowignore',
      'draft_top.py',
      'team/.airflowignore',
      'team/final.py',
    ]);
    expect(tree.ignore.ignores('vendor/other.py')).toBe(true);
  });

  it('takes every file when .airflowignore is not respected', async () => {
    const root = makeTree({ '.airflowignore': 'x', 'x.py': '' });
    const tree = await scanLocalTree(root, { respectAirflowignore: false, filter: everything });
    expect(tree.files.map((f) => f.path)).toEqual(['.airflowignore', 'x.py']);
  });

  it('applies include and exclude, counting what was left out', async () => {
    const root = makeTree({ 'a.py': '', 'b.sql': '', 'c/d.py': '' });
    const tree = await scanLocalTree(root, {
      respectAirflowignore: true,
      filter: createPathFilter(['*.py'], ['c/']),
    });
    expect(tree.files.map((f) => f.path)).toEqual(['a.py']);
    expect(tree.skipped).toBe(2);
  });

  it('follows links to files and folders without walking a loop twice', async () => {
    const root = makeTree({ 'real/a.py': 'a', 'shared.py': 's' });
    symlinkSync(join(root, 'shared.py'), join(root, 'link.py'));
    symlinkSync(root, join(root, 'real', 'loop'));
    symlinkSync(join(root, 'missing.py'), join(root, 'dangling.py'));
    const tree = await scanLocalTree(root, { respectAirflowignore: true, filter: everything });
    expect(tree.files.map((f) => f.path)).toEqual(['link.py', 'real/a.py', 'shared.py']);
  });
});
