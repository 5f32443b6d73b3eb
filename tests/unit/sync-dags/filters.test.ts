import { createPathFilter } from '../../../actions/sync-dags/src/filters';

describe('include / exclude globs', () => {
  it.each([
    [[], [], 'a/b.py', true],
    [['*.py'], [], 'deep/dir/dag.py', true],
    [['*.py'], [], 'deep/dir/query.sql', false],
    [[], ['tests'], 'tests/test_dag.py', false],
    [[], ['tests/'], 'tests/sub/x.py', false],
    [[], ['**/*.md'], 'docs/readme.md', false],
    [['etl/**'], ['etl/scratch/**'], 'etl/scratch/x.py', false],
    [['etl/**'], ['etl/scratch/**'], 'etl/load.py', true],
    [[], ['*.pyc'], '__pycache__/x.cpython-311.pyc', false],
    [[], [], '.hidden/dag.py', true],
  ] as const)('include %j exclude %j: %s kept = %s', (include, exclude, path, kept) => {
    expect(createPathFilter(include, exclude).keeps(path)).toBe(kept);
  });
});
