import { write } from './dag-tree';

/**
 * DAG folders shaped like the ones teams keep in a repository: DAGs that import shared code from
 * the same folder, SQL and dbt files next to them, and `.airflowignore` files (root and nested)
 * written for the Airflow version the environment runs.
 */

function dag(id: string, imports: string[] = []): string {
  return [
    'from datetime import datetime',
    '',
    'from airflow import DAG',
    'from airflow.operators.python import PythonOperator',
    ...imports,
    '',
    `with DAG(dag_id="${id}", start_date=datetime(2024, 1, 1), schedule="@daily", catchup=False) as dag:`,
    `    PythonOperator(task_id="run", python_callable=lambda: print("${id}"))`,
    '',
  ].join('\n');
}

/** A DAG folder whose `.airflowignore` names the helper package its DAG imports. */
export function writeHelperProject(dags: string): void {
  write(dags, '.airflowignore', '# shared code: imported by the DAGs, never a DAG itself\ncommon\n');
  write(dags, 'common/__init__.py', '');
  write(
    dags,
    'common/slack.py',
    'import os\n\n\ndef notify(text: str) -> None:\n    print(os.environ.get("SLACK_CHANNEL", "#data"), text)\n',
  );
  write(dags, 'daily_sales.py', dag('daily_sales', ['from common.slack import notify']));
  write(dags, 'sql/daily_sales.sql', "select sum(amount) from sales where ds = '{{ ds }}';\n");
}

/** Airflow 3 (glob syntax): nested ignore files, a re-include, a folder-only pattern, a dbt project. */
export function writeGlobProject(dags: string): void {
  write(
    dags,
    '.airflowignore',
    [
      '# Airflow 3 reads this file as glob (gitignore) patterns',
      '**/__pycache__/',
      '*_test.py',
      'dbt/',
      '',
    ].join('\n'),
  );
  write(dags, 'marketing/.airflowignore', '/scratch/\n*.draft.py\n');
  write(dags, 'marketing/campaigns.py', dag('campaigns'));
  write(dags, 'marketing/scratch/try_me.py', dag('try_me'));
  write(dags, 'marketing/attribution.draft.py', dag('attribution'));
  write(dags, 'marketing/sub/old.draft.py', dag('old'));
  write(dags, 'finance/.airflowignore', '# this one is a real DAG, despite its name\n!smoke_test.py\n');
  write(dags, 'finance/ledger.py', dag('ledger'));
  write(
    dags,
    'finance/ledger_test.py',
    'from finance.ledger import dag\n\n\ndef test_dag():\n    assert dag\n',
  );
  write(dags, 'finance/smoke_test.py', dag('smoke_test'));
  write(dags, 'dbt/dbt_project.yml', 'name: warehouse\nversion: "1.0.0"\nprofile: warehouse\n');
  write(dags, 'dbt/models/orders.sql', 'select * from {{ source("shop", "orders") }}\n');
}

/** The files Airflow 3 parses in writeGlobProject's folder. */
export const GLOB_PROJECT_DAGS = ['finance/ledger.py', 'finance/smoke_test.py', 'marketing/campaigns.py'];

/** Airflow 2 (regexp syntax): patterns are searched in the path from the DAGs folder, nested ones too. */
export function writeRegexpProject(dags: string): void {
  write(
    dags,
    '.airflowignore',
    [
      '# Airflow 2 reads this file as regular expressions',
      '^vendor/',
      '_archive\\.py$',
      '# RE2 (Airflow 2.6.3+) has no look-ahead: Airflow skips this line with a warning',
      '^(?!teams/).*\\.md$',
      '',
    ].join('\n'),
  );
  write(dags, 'teams/analytics/.airflowignore', '^teams/analytics/experiments/\n');
  write(dags, 'teams/analytics/report.py', dag('report'));
  write(dags, 'teams/analytics/experiments/ab_test.py', dag('ab_test'));
  write(dags, 'teams/ops/cleanup_archive.py', dag('cleanup_archive'));
  write(dags, 'teams/ops/cleanup.py', dag('cleanup'));
  write(dags, 'vendor/retry.py', 'from airflow import DAG  # vendored helper\n\nRETRIES = 3\n');
}

/** The files Airflow 2 parses in writeRegexpProject's folder. */
export const REGEXP_PROJECT_DAGS = ['teams/analytics/report.py', 'teams/ops/cleanup.py'];
