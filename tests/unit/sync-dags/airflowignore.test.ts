import { compileWildmatchLine } from '@deploy-suite/kit';
import {
  AirflowIgnore,
  parseAirflowIgnore,
  type IgnoreSyntax,
} from '../../../actions/sync-dags/src/airflowignore';

/** The ignore files of a tree, by folder ('' for the DAGs root). */
function ignoreOf(syntax: IgnoreSyntax, files: Record<string, string>): AirflowIgnore {
  return new AirflowIgnore(syntax, new Map(Object.entries(files)));
}

// Expected values follow Airflow: the docs page Core Concepts > DAGs > ".airflowignore"
// (https://airflow.apache.org/docs/apache-airflow/stable/core-concepts/dags.html#airflowignore),
// and the walk that applies the files: `find_path_from_directory` with `_RegexpIgnoreRule` /
// `_GlobIgnoreRule` in airflow/utils/file.py (Airflow 2) and
// airflow/_shared/module_loading/file_discovery.py (Airflow 3).
describe('.airflowignore: which files Airflow would not parse', () => {
  it.each<[string, IgnoreSyntax, Record<string, string>, string, boolean]>([
    // The docs' own regexp example: `project_a` and `tenant_[\d]` ignore these five files.
    ['docs regexp example', 'regexp', { '': 'project_a\ntenant_[\\d]\n' }, 'project_a_dag_1.py', true],
    ['docs regexp example', 'regexp', { '': 'project_a\ntenant_[\\d]\n' }, 'TESTING_project_a.py', true],
    ['docs regexp example', 'regexp', { '': 'project_a\ntenant_[\\d]\n' }, 'tenant_1.py', true],
    ['docs regexp example', 'regexp', { '': 'project_a\ntenant_[\\d]\n' }, 'project_a/dag_1.py', true],
    ['docs regexp example', 'regexp', { '': 'project_a\ntenant_[\\d]\n' }, 'tenant_1/dag_1.py', true],
    ['docs regexp example', 'regexp', { '': 'project_a\ntenant_[\\d]\n' }, 'project_b/dag.py', false],
    // The docs' glob example: `**/*project_a*` and `tenant_[0-9]*` ignore the same five files.
    ['docs glob example', 'glob', { '': '**/*project_a*\ntenant_[0-9]*\n' }, 'project_a_dag_1.py', true],
    ['docs glob example', 'glob', { '': '**/*project_a*\ntenant_[0-9]*\n' }, 'TESTING_project_a.py', true],
    ['docs glob example', 'glob', { '': '**/*project_a*\ntenant_[0-9]*\n' }, 'tenant_1.py', true],
    ['docs glob example', 'glob', { '': '**/*project_a*\ntenant_[0-9]*\n' }, 'project_a/dag_1.py', true],
    ['docs glob example', 'glob', { '': '**/*project_a*\ntenant_[0-9]*\n' }, 'tenant_1/dag_1.py', true],
    ['docs glob example', 'glob', { '': '**/*project_a*\ntenant_[0-9]*\n' }, 'project_b/dag.py', false],
    // regexp: searched in the path relative to the DAGs root (`path.relative_to(base_dir)`, base_dir the root) ...
    ['regexp anchored at the DAGs root', 'regexp', { '': '^tmp_' }, 'tmp_scratch.py', true],
    ['regexp anchored at the DAGs root', 'regexp', { '': '^tmp_' }, 'team/tmp_scratch.py', false],
    // ... also for a nested file: `^team/draft` matches, `^draft` does not (it would in the folder's own terms).
    ['nested regexp is relative to the root', 'regexp', { team: '^team/draft' }, 'team/draft_dag.py', true],
    ['nested regexp is relative to the root', 'regexp', { team: '^draft' }, 'team/draft_dag.py', false],
    ['nested regexp sees the whole path', 'regexp', { team: 'team/sub/' }, 'team/sub/dag.py', true],
    // A nested file's rules apply to its folder and below only (patterns are handed down the walk).
    ['nested regexp stays in its folder', 'regexp', { team: 'draft' }, 'draft_top.py', false],
    ['nested regexp applies below its folder', 'regexp', { team: 'draft' }, 'team/deep/draft.py', true],
    // A folder is matched without a trailing slash, and an ignored folder is not entered.
    ['regexp folder pruned', 'regexp', { '': '^vendor$' }, 'vendor/lib.py', true],
    ['regexp folder pruned', 'regexp', { '': '^vendor$' }, 'vendors/lib.py', false],
    ['regexp folder pattern with slash', 'regexp', { '': '^vendor/' }, 'vendor/lib.py', true],
    // glob without a slash: matched against the entry's name alone, at any depth.
    ['glob name at any depth', 'glob', { '': '*_helper.py' }, 'team/sub/io_helper.py', true],
    ['glob name at any depth', 'glob', { '': 'helpers' }, 'team/helpers/io.py', true],
    ['glob name is not a path', 'glob', { '': 'team' }, 'teams/dag.py', false],
    // glob with a slash: relative to the folder holding the .airflowignore.
    ['glob with a slash is anchored', 'glob', { '': 'team/scratch' }, 'team/scratch/a.py', true],
    ['glob with a slash is anchored', 'glob', { '': 'team/scratch' }, 'other/team/scratch/a.py', false],
    ['glob leading slash', 'glob', { '': '/build' }, 'build/x.py', true],
    ['glob leading slash', 'glob', { '': '/build' }, 'src/build/x.py', false],
    ['nested glob anchored to its folder', 'glob', { team: '/draft*' }, 'team/draft_1.py', true],
    ['nested glob anchored to its folder', 'glob', { team: '/draft*' }, 'team/sub/draft_2.py', false],
    ['nested glob anchored to its folder', 'glob', { team: 'sub/*.sql' }, 'team/sub/q.py', false],
    ['nested glob stays in its folder', 'glob', { team: '*.py' }, 'top.py', false],
    // `**` spans folders; `*` and `?` do not cross a slash.
    ['glob **', 'glob', { '': 'etl/**/tmp_*' }, 'etl/a/b/tmp_x.py', true],
    ['glob **', 'glob', { '': 'etl/**/tmp_*' }, 'etl/tmp_x.py', true],
    ['glob * stays in one folder', 'glob', { '': 'etl/*.py' }, 'etl/a/x.py', false],
    ['glob ?', 'glob', { '': 'dag_?.py' }, 'dag_1.py', true],
    ['glob ?', 'glob', { '': 'dag_?.py' }, 'dag_10.py', false],
    ['glob class negation', 'glob', { '': 'dag_[!0-9].py' }, 'dag_a.py', true],
    ['glob class negation', 'glob', { '': 'dag_[!0-9].py' }, 'dag_1.py', false],
    // A trailing slash matches folders only (Airflow 3 gives folders a trailing slash).
    ['glob folder-only pattern', 'glob', { '': 'logs/' }, 'logs/x.py', true],
    ['glob folder-only pattern', 'glob', { '': 'logs/' }, 'team/logs/x.py', true],
    ['glob folder-only pattern', 'glob', { '': 'logs/' }, 'logs', false],
    // `!` re-includes; the last matching line wins; a nested file can re-include what the root ignores.
    ['glob negation', 'glob', { '': '*_test.py\n!keep_test.py' }, 'keep_test.py', false],
    ['glob negation', 'glob', { '': '*_test.py\n!keep_test.py' }, 'other_test.py', true],
    ['glob negation order', 'glob', { '': '!keep_test.py\n*_test.py' }, 'keep_test.py', true],
    [
      'glob nested negation',
      'glob',
      { '': '*_test.py', team: '!smoke_test.py' },
      'team/smoke_test.py',
      false,
    ],
    ['glob nested negation', 'glob', { '': '*_test.py', team: '!smoke_test.py' }, 'smoke_test.py', true],
    // ... but not below an ignored folder, which the walk never enters.
    ['glob negation under ignored folder', 'glob', { '': 'vendor\n!vendor/keep.py' }, 'vendor/keep.py', true],
    // `dir/**` matches the folder itself once it carries its trailing slash, so it is not entered.
    ['glob dir/** prunes the folder', 'glob', { '': 'vendor/**\n!vendor/keep.py' }, 'vendor/keep.py', true],
    // Comments: everything from `#` on; blank lines skipped.
    ['comment', 'glob', { '': '# scratch.py\n\nold.py  # retired' }, 'scratch.py', false],
    ['comment', 'glob', { '': '# scratch.py\n\nold.py  # retired' }, 'old.py', true],
    ['comment', 'regexp', { '': '# scratch\nold  # retired' }, 'scratch.py', false],
    // The same file means different things in the two syntaxes.
    [
      'regexp reads *.py as a regular expression',
      'regexp',
      { '': '.*_helper\\.py' },
      'lib/io_helper.py',
      true,
    ],
    ['a glob line read as regexp', 'regexp', { '': 'helpers/' }, 'team/helpers/io.py', true],
    ['a glob line read as glob', 'glob', { '': 'helpers/' }, 'team/helpers/io.py', true],
    ['regexp substring', 'regexp', { '': 'util' }, 'my_utils.py', true],
    ['glob whole name', 'glob', { '': 'util' }, 'my_utils.py', false],
  ])('%s (%s): %j, %s ignored = %s', (_name, syntax, files, path, expected) => {
    expect(ignoreOf(syntax, files).ignores(path)).toBe(expected);
  });

  it('reports a regexp JavaScript cannot compile instead of failing, as Airflow skips it', () => {
    const parsed = parseAirflowIgnore('ok\n(unclosed\n', '', 'regexp');
    expect(parsed.rules).toHaveLength(1);
    expect(parsed.invalid).toEqual([expect.objectContaining({ line: 2, pattern: '(unclosed' })]);
  });

  // Airflow 2.6.3+ compiles with RE2 (apache/airflow#32303); a line RE2 refuses is skipped with a
  // warning, so `^(?!(foo|bar)).*` ignores nothing there (apache/airflow#40672).
  it.each([
    ['^(?!(foo|bar)).*', 'look-ahead'],
    ['^(?=dag_)', 'look-ahead'],
    ['(?<=team/)draft', 'look-behind'],
    ['(?<!keep_)old', 'look-behind'],
    ['(a)_\\1', 'back-reference'],
    ['(?P<k>x)(?P=k)', 'back-reference'],
  ])('with RE2, %s is skipped: no %s', (pattern, construct) => {
    const parsed = parseAirflowIgnore(`${pattern}\n`, '', 'regexp', { re2: true });
    expect(parsed.rules).toEqual([]);
    expect(parsed.invalid).toEqual([
      expect.objectContaining({ line: 1, reason: `RE2, Airflow 2's regexp engine, has no ${construct}` }),
    ]);
    expect(parseAirflowIgnore(`${pattern}\n`, '', 'regexp').invalid).toEqual([]);
  });

  it.each(['\\(?=literal', '[(?!]x', '^tenant_[\\d]', '(?P<name>x)', '(?i)^readme'])(
    'with RE2, %s is fine',
    (pattern) => {
      expect(parseAirflowIgnore(`${pattern}\n`, '', 'regexp', { re2: true }).invalid).toEqual([]);
    },
  );

  it('accepts Python spellings in regexp: named groups and a leading (?i)', () => {
    const ignore = ignoreOf('regexp', { '': '(?P<kind>scratch)_(?P=kind)\n(?i)^README' });
    expect(ignore.ignores('scratch_scratch.py')).toBe(true);
    expect(ignore.ignores('readme.md')).toBe(true);
  });

  it('finds nothing invalid in a glob file full of characters a regular expression would reject', () => {
    const parsed = parseAirflowIgnore('*.py[cod]\n**/(scratch)/\n+tmp+\n{a,b}\n[unclosed\n', '', 'glob');
    expect(parsed.invalid).toEqual([]);
    expect(parsed.rules).toHaveLength(5);
  });

  it('reports a glob line ending in a lone escape, and skips a lone "/"', () => {
    const parsed = parseAirflowIgnore('/\nbad\\\n', '', 'glob');
    expect(parsed.rules).toHaveLength(0);
    expect(parsed.invalid).toEqual([expect.objectContaining({ line: 2 })]);
  });
});

// Checked against pathspec's GitWildMatchPattern, the pattern class Airflow 3's `_GlobIgnoreRule` compiles each line with.
describe('gitignore patterns, one at a time', () => {
  it.each([
    ['foo', 'foo', true],
    ['foo', 'foo/', true],
    ['foo', 'x/foo', true],
    ['foo/', 'foo', false],
    ['foo/', 'foo/', true],
    ['/foo', 'x/foo', false],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['**/', 'a/b', true],
    ['**/', 'a', false],
    ['\\!important', '!important', true],
    ['x\\*', 'x*', true],
    ['x\\*', 'xy', false],
    ['trailing  ', 'trailing', true],
  ])('%s matches %s = %s', (pattern, path, expected) => {
    const compiled = compileWildmatchLine(pattern);
    expect(compiled?.regex.test(path) ?? false).toBe(expected);
  });

  it('marks ! lines as re-including and says nothing for blank lines', () => {
    expect(compileWildmatchLine('!keep.py')?.excludes).toBe(false);
    expect(compileWildmatchLine('   ')).toBeUndefined();
  });
});
