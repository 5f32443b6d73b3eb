/**
 * The checked-in model is what scripts/generate-ecs-model.ts makes from the botocore on this
 * machine: nobody edits it by hand. Skipped where python3 has no botocore, or another version of it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBotocore, GENERATED_FILE } from '../../../scripts/generate-ecs-model';

const root = join(__dirname, '..', '..', '..');
const source = findBotocore();
const version = /botocore (\d+\.\d+\.\d+)/.exec(readFileSync(GENERATED_FILE, 'utf8'))?.[1];

(source?.version === version ? test : test.skip)(
  `the ECS model modules (register-task-definition, run-task, service-volume) are what botocore ${version ?? '?'} generates`,
  () => {
    // A child process: prettier, which formats the output, loads its plugins by dynamic import.
    const run = spawnSync(
      join(root, 'node_modules', '.bin', 'tsx'),
      [join(root, 'scripts', 'generate-ecs-model.ts'), '--check'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  },
  30_000,
);
