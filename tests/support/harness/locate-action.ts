/**
 * Turns what a person typed (`build-push`, `./tests/support/fixtures/echo`) into the folder of
 * an action: a name is looked up under `actions/`, anything else is a path to a folder with an
 * action.yml.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HarnessError } from './harness-error';
import { manifestFileIn } from './manifest';

export function locateAction(nameOrPath: string, repoRoot: string, cwd: string = process.cwd()): string {
  const looksLikePath =
    nameOrPath.includes('/') || nameOrPath.includes(path.sep) || nameOrPath.startsWith('.');
  const named = path.join(repoRoot, 'actions', nameOrPath);
  if (!looksLikePath && manifestFileIn(named)) return named;
  const asPath = path.resolve(cwd, nameOrPath);
  if (manifestFileIn(asPath)) return asPath;
  const known = listActions(repoRoot);
  throw new HarnessError(
    `No action '${nameOrPath}': expected a folder under actions/ (${known.join(', ') || 'none found'}) ` +
      'or a path to a folder holding an action.yml',
  );
}

export function listActions(repoRoot: string): string[] {
  const root = path.join(repoRoot, 'actions');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && manifestFileIn(path.join(root, entry.name)))
    .map((entry) => entry.name)
    .sort();
}
