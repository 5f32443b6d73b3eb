import { AirflowIgnore, parseAirflowIgnore } from '../../../actions/sync-dags/src/airflowignore';

function rulesFrom(files: Record<string, string>): AirflowIgnore {
  const ignore = new AirflowIgnore();
  for (const [folder, text] of Object.entries(files)) ignore.add(parseAirflowIgnore(text, folder).rules);
  return ignore;
}

describe('.airflowignore (regexp syntax)', () => {
  it('searches each pattern anywhere in the path relative to its folder', () => {
    const ignore = rulesFrom({ '': 'helper\n^tmp_\n' });
    expect(ignore.matches('lib/my_helper.py')).toBe(true);
    expect(ignore.matches('tmp_scratch.py')).toBe(true);
    expect(ignore.matches('sub/tmp_scratch.py')).toBe(false);
    expect(ignore.matches('dag.py')).toBe(false);
  });

  it('applies a nested file to its folder and below, relative to that folder', () => {
    const ignore = rulesFrom({ team: '^draft' });
    expect(ignore.matches('team/draft_dag.py')).toBe(true);
    expect(ignore.matches('team/sub/draft_dag.py')).toBe(false);
    expect(ignore.matches('draft_dag.py')).toBe(false);
  });

  it('skips comments and blank lines', () => {
    const parsed = parseAirflowIgnore('# a comment\n\nvendor  # trailing comment\n', '');
    expect(parsed.rules.map((r) => [r.source, r.line])).toEqual([['vendor', 3]]);
  });

  it('reports a pattern JavaScript cannot compile instead of failing, as Airflow skips it', () => {
    const parsed = parseAirflowIgnore('ok\n(unclosed\n', '');
    expect(parsed.rules).toHaveLength(1);
    expect(parsed.invalid).toEqual([expect.objectContaining({ line: 2, pattern: '(unclosed' })]);
  });

  it('accepts Python spellings: named groups and a leading (?i)', () => {
    const ignore = rulesFrom({ '': '(?P<kind>scratch)_(?P=kind)\n(?i)^README' });
    expect(ignore.matches('scratch_scratch.py')).toBe(true);
    expect(ignore.matches('readme.md')).toBe(true);
  });

  it('ignores a remote path when a folder on its way is ignored', () => {
    const ignore = rulesFrom({ '': '^vendor$' });
    expect(ignore.matches('vendor/lib.py')).toBe(false);
    expect(ignore.ignores('vendor/lib.py')).toBe(true);
    expect(ignore.ignores('vendors/lib.py')).toBe(false);
  });
});
