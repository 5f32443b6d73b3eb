/**
 * A failure the action does not expect (here: reading the task definition fails with EIO, as a
 * failing disk would; a preload injects it) is one line; with debug logging (RUNNER_DEBUG=1, as
 * the runner sets it on a re-run with debug) it is the stack, pointing into the TypeScript sources
 * through the bundle's source map.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/harness/repo-root';
import { requireNode24 } from '../support/harness/node-binary';

const work = mkdtempSync(join(tmpdir(), 'debug-stack-'));
writeFileSync(join(work, 'task-definition.json'), '{"family": "web", "containerDefinitions": []}');
const failingDisk = join(work, 'failing-disk.cjs');
writeFileSync(
  failingDisk,
  `const fs = require('node:fs');
const read = fs.readFileSync;
fs.readFileSync = function (path, ...rest) {
  if (String(path).endsWith('task-definition.json')) {
    throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', errno: -5, syscall: 'read' });
  }
  return read.call(this, path, ...rest);
};
`,
);

function runDeployEcs(debug: boolean): { status: number | null; stdout: string } {
  const node = requireNode24(REPO_ROOT);
  const result = spawnSync(
    node,
    ['--require', failingDisk, join(REPO_ROOT, 'actions/deploy-ecs/dist/index.js')],
    {
      cwd: work,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: work,
        GITHUB_WORKSPACE: work,
        GITHUB_OUTPUT: join(work, 'outputs'),
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_EC2_METADATA_DISABLED: 'true',
        // Nothing listens on port 9, and nothing gets that far: the file is read first.
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        INPUT_CLUSTER: 'default',
        'INPUT_TASK-DEFINITION': 'task-definition.json',
        INPUT_WAIT: 'true',
        'INPUT_TIMEOUT-MINUTES': '1',
        'INPUT_AWS-MAX-ATTEMPTS': '1',
        ...(debug ? { RUNNER_DEBUG: '1' } : {}),
      },
    },
  );
  return { status: result.status, stdout: `${result.stdout}${result.stderr}` };
}

test('without debug logging: one ::error:: line, no stack', () => {
  const { status, stdout } = runDeployEcs(false);
  expect(status).toBe(1);
  const errors = stdout.split('\n').filter((line) => line.startsWith('::error::'));
  expect(errors).toEqual([
    expect.stringMatching(
      /^::error::EIO: i\/o error, read \(an error in the action: re-run with debug logging for its stack\)$/,
    ),
  ]);
  expect(stdout).not.toMatch(/\bat .*bundle\.js/);
});

test('with debug logging: the stack names the TypeScript sources and lines', () => {
  const { status, stdout } = runDeployEcs(true);
  expect(status).toBe(1);
  const error = stdout.split('\n').find((line) => line.startsWith('::error::')) ?? '';
  const frames = error.split('%0A');
  expect(frames[0]).toMatch(/^::error::Error: EIO/);
  expect(frames).toContainEqual(expect.stringMatching(/actions\/deploy-ecs\/src\/inputs\.ts:\d+:\d+\)$/));
  expect(frames).toContainEqual(expect.stringMatching(/actions\/deploy-ecs\/src\/main\.ts:\d+:\d+\)$/));
});
