import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestKind } from './github-schema';

export interface Target {
  kind: ManifestKind;
  /** Relative to the root, with forward slashes. */
  path: string;
}

/**
 * The example workflows, the repository's own workflows, every action's action.yml and the
 * action.yml files under .github/, in a stable order.
 */
export function findTargets(root: string): Target[] {
  const workflows = (folder: string): Target[] =>
    listFiles(root, folder)
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => ({ kind: 'workflow', path: `${folder}/${name}` }));
  const actions: Target[] = listFolders(root, 'actions')
    .filter((name) => existsSync(join(root, 'actions', name, 'action.yml')))
    .map((name) => ({ kind: 'action', path: `actions/${name}/action.yml` }));
  // Actions kept under .github/ (the pins list, .github/pinned-actions/action.yml, is one).
  const githubActions: Target[] = listFolders(root, '.github')
    .filter((name) => existsSync(join(root, '.github', name, 'action.yml')))
    .map((name) => ({ kind: 'action', path: `.github/${name}/action.yml` }));
  return [
    ...workflows('examples/workflows'),
    ...workflows('.github/workflows'),
    ...actions,
    ...githubActions,
  ];
}

function listFiles(root: string, folder: string): string[] {
  const dir = join(root, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
}

function listFolders(root: string, folder: string): string[] {
  const dir = join(root, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

// Test data and generated or installed trees hold no documentation of this repository.
const NOT_DOCS = new Set(['node_modules', '.git', 'dist', 'fixtures', 'coverage', '.stack']);

/** Every README.md under the root (its YAML snippets are checked as workflows), in a stable order. */
export function findReadmes(root: string, folder = ''): string[] {
  const dir = join(root, folder);
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory() && !NOT_DOCS.has(entry.name)) found.push(...findReadmes(root, path));
    else if (entry.isFile() && entry.name === 'README.md') found.push(path);
  }
  return found;
}
