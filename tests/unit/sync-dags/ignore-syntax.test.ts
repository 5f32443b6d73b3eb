import { chooseIgnoreSyntax } from '../../../actions/sync-dags/src/ignore-syntax';

// `[core] dag_ignore_file_syntax` decides; its default is regexp before Airflow 3 and glob from
// Airflow 3 on (Airflow docs, Core Concepts > DAGs > .airflowignore; the fallback passed to
// find_path_from_directory in each version). MWAA reports the version as AirflowVersion and
// configuration overrides as AirflowConfigurationOptions {"section.key": "value"}.
describe('which .airflowignore syntax Airflow will use', () => {
  it.each([
    ['no environment: Airflow 2 default', 'auto', undefined, 'regexp'],
    ['MWAA Airflow 2.10.3', 'auto', { AirflowVersion: '2.10.3' }, 'regexp'],
    ['MWAA Airflow 2.8.1', 'auto', { AirflowVersion: '2.8.1' }, 'regexp'],
    ['MWAA Airflow 3.0.6', 'auto', { AirflowVersion: '3.0.6' }, 'glob'],
    ['version not reported', 'auto', {}, 'regexp'],
    [
      'Airflow 2 environment configured for glob',
      'auto',
      { AirflowVersion: '2.10.3', AirflowConfigurationOptions: { 'core.dag_ignore_file_syntax': 'glob' } },
      'glob',
    ],
    [
      'Airflow 3 environment configured back to regexp',
      'auto',
      { AirflowVersion: '3.0.6', AirflowConfigurationOptions: { 'core.dag_ignore_file_syntax': 'regexp' } },
      'regexp',
    ],
    [
      'configuration keys are case-insensitive in Airflow',
      'auto',
      { AirflowVersion: '2.10.3', AirflowConfigurationOptions: { 'CORE.DAG_IGNORE_FILE_SYNTAX': 'glob' } },
      'glob',
    ],
    [
      'other options do not matter',
      'auto',
      { AirflowVersion: '3.0.6', AirflowConfigurationOptions: { 'core.default_task_retries': '3' } },
      'glob',
    ],
    ['explicit input wins over the environment', 'regexp', { AirflowVersion: '3.0.6' }, 'regexp'],
    [
      'explicit input wins over the environment configuration',
      'glob',
      { AirflowVersion: '2.10.3', AirflowConfigurationOptions: { 'core.dag_ignore_file_syntax': 'regexp' } },
      'glob',
    ],
  ] as const)('%s', (_name, choice, environment, syntax) => {
    const decision = chooseIgnoreSyntax(choice, environment && { Name: 'env', ...environment });
    expect(decision.syntax).toBe(syntax);
    expect(decision.warning).toBeUndefined();
  });

  // RE2 compiles .airflowignore regexps from Airflow 2.6.3 (apache/airflow#32303) to the last 2.x;
  // Airflow 3's file_discovery.py compiles them with Python's re.
  it.each([
    ['no environment: a current Airflow 2', 'auto', undefined, true],
    ['Airflow 2.10.3', 'auto', { AirflowVersion: '2.10.3' }, true],
    ['Airflow 2.6.3', 'auto', { AirflowVersion: '2.6.3' }, true],
    ['Airflow 2.5.1', 'auto', { AirflowVersion: '2.5.1' }, false],
    [
      'Airflow 3 configured for regexp',
      'auto',
      { AirflowVersion: '3.0.6', AirflowConfigurationOptions: { 'core.dag_ignore_file_syntax': 'regexp' } },
      false,
    ],
    ['glob has no regular expressions', 'glob', { AirflowVersion: '2.10.3' }, false],
  ] as const)('RE2 for regexp lines: %s', (_name, choice, environment, re2) => {
    expect(chooseIgnoreSyntax(choice, environment && { Name: 'env', ...environment }).re2).toBe(re2);
  });

  it('says which setting decided', () => {
    expect(chooseIgnoreSyntax('auto', { Name: 'prod', AirflowVersion: '3.0.6' }).reason).toBe(
      'MWAA environment prod runs Airflow 3.0.6',
    );
    expect(
      chooseIgnoreSyntax('auto', {
        Name: 'prod',
        AirflowVersion: '2.10.3',
        AirflowConfigurationOptions: { 'core.dag_ignore_file_syntax': 'glob' },
      }).reason,
    ).toBe('MWAA environment prod sets core.dag_ignore_file_syntax = glob');
  });

  it('warns about a value Airflow would refuse and uses the version default', () => {
    const decision = chooseIgnoreSyntax('auto', {
      Name: 'prod',
      AirflowVersion: '3.0.6',
      AirflowConfigurationOptions: { 'core.dag_ignore_file_syntax': 'fnmatch' },
    });
    expect(decision.syntax).toBe('glob');
    expect(decision.warning).toMatch(/'fnmatch', which Airflow does not accept/);
  });
});
