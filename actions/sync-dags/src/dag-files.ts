import { readFile } from 'node:fs/promises';
import type { AirflowIgnore } from './airflowignore';
import type { LocalFile } from './local-tree';
import { mapWithConcurrency } from './pool';

/**
 * The files Airflow's DAG processor would parse: not ignored by .airflowignore, and either a
 * `.zip` or a `.py` that passes the safe-mode heuristic (`[core] dag_discovery_safe_mode`, on by
 * default: the file's bytes contain both "airflow" and "dag", in any case; see
 * `might_contain_dag_via_default_heuristic` in Airflow's file utilities).
 */
export async function dagFilesOf(
  files: readonly LocalFile[],
  ignore: AirflowIgnore,
  concurrency = 16,
): Promise<LocalFile[]> {
  const candidates = files.filter(
    (file) => (file.path.endsWith('.py') || file.path.endsWith('.zip')) && !ignore.ignores(file.path),
  );
  const kept = await mapWithConcurrency(
    candidates,
    concurrency,
    async (file) => file.path.endsWith('.zip') || mightContainDag(await readFile(file.absolutePath)),
  );
  return candidates.filter((_, index) => kept[index]);
}

export function mightContainDag(content: Buffer): boolean {
  // latin1 keeps one character per byte, so this lower-cases ASCII as Python's bytes.lower() does.
  const text = content.toString('latin1').toLowerCase();
  return text.includes('dag') && text.includes('airflow');
}
