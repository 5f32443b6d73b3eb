import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseActionManifest } from './action-manifest';

/**
 * Runs a bundle the way a runner would, with no inputs at all: every action rejects that with an
 * `::error::` line naming one of its inputs and exit code 1. That proves the bundle loads under
 * the runtime it declares and reaches its input validation, before anything is published.
 * Returns undefined when it behaves, else why not.
 */
export function smokeTestBundle(node: string, actionDir: string): string | undefined {
  const manifest = parseActionManifest(readFileSync(join(actionDir, 'action.yml'), 'utf8'));
  const main = manifest.entryPoints.includes('dist/index.js') ? 'dist/index.js' : manifest.entryPoints[0];
  if (main === undefined) return 'action.yml names no runs.main';
  const workdir = mkdtempSync(join(tmpdir(), 'release-smoke-'));
  try {
    const result = spawnSync(node, [join(actionDir, main)], {
      cwd: workdir,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: workdir, RUNNER_TEMP: workdir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (result.error !== undefined) return `could not run ${main}: ${result.error.message}`;
    const errorLine = result.stdout.split('\n').find((line) => line.startsWith('::error::'));
    const named = manifest.inputs.some((input) => errorLine?.includes(`'${input.name}'`) === true);
    if (result.status === 1 && errorLine !== undefined && named) return undefined;
    const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
    // The line that says what went wrong, rather than the stack under it.
    const output = lines.find((line) => /::error::|\w*Error\b/.test(line)) ?? lines.at(-1) ?? '(no output)';
    return `${main} with no inputs exited ${result.status ?? result.signal} without an ::error:: naming an input:\n${output}`;
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}
