/**
 * The checked-in field lists are what scripts/generate-sagemaker-fields.ts makes from the botocore
 * on this machine: nobody edits them by hand. Skipped where python3 has no botocore, or another
 * version of it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_FILE } from '../../../scripts/generate-sagemaker-fields';

const root = join(__dirname, '..', '..', '..');
const version = /botocore\s+(?:\/\/\s*)?(\d+\.\d+\.\d+)/.exec(readFileSync(GENERATED_FILE, 'utf8'))?.[1];
const installed = spawnSync('python3', ['-c', 'import botocore;print(botocore.__version__)'], {
  encoding: 'utf8',
}).stdout?.trim();

(installed === version ? test : test.skip)(
  `the carried SageMaker field lists are what botocore ${version ?? '?'} generates`,
  () => {
    // A child process: prettier, which formats the output, loads its plugins by dynamic import.
    const run = spawnSync(
      join(root, 'node_modules', '.bin', 'tsx'),
      [join(root, 'scripts', 'generate-sagemaker-fields.ts'), '--check'],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  },
  30_000,
);
