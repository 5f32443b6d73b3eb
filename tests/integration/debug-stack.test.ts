/**
 * A bug in an action (here: the step's output file is a folder, so writing an output fails) is
 * one line; with debug logging (RUNNER_DEBUG=1, as the runner sets it on a re-run with debug) it
 * is the stack, pointing into the TypeScript sources through the bundle's source map.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/harness/repo-root';
import { requireNode24 } from '../support/harness/node-binary';

const work = mkdtempSync(join(tmpdir(), 'debug-stack-'));
mkdirSync(join(work, 'output-is-a-folder'));

function runDeployEcs(debug: boolean): { status: number | null; stdout: string } {
  const result = spawnSync(requireNode24(REPO_ROOT), [join(REPO_ROOT, 'actions/deploy-ecs/dist/index.js')], {
    cwd: work,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: work,
      GITHUB_WORKSPACE: work,
      GITHUB_OUTPUT: join(work, 'output-is-a-folder'),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
      // Nothing listens on port 9: the call fails at once, then the outputs are written.
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      INPUT_SERVICE: 'web',
      INPUT_CLUSTER: 'default',
      'INPUT_CONTAINER-NAME': 'model',
      INPUT_IMAGE: 'registry.local/model:2',
      INPUT_WAIT: 'true',
      'INPUT_TIMEOUT-MINUTES': '1',
      'INPUT_AWS-MAX-ATTEMPTS': '1',
      ...(debug ? { RUNNER_DEBUG: '1' } : {}),
    },
  });
  return { status: result.status, stdout: `${result.stdout}${result.stderr}` };
}

test('without debug logging: one ::error:: line, no stack', () => {
  const { status, stdout } = runDeployEcs(false);
  expect(status).toBe(1);
  const errors = stdout.split('\n').filter((line) => line.startsWith('::error::'));
  expect(errors).toEqual([
    expect.stringMatching(
      /^::error::EISDIR: .* \(an error in the action: re-run with debug logging for its stack\)$/,
    ),
  ]);
  expect(stdout).not.toMatch(/\bat .*bundle\.js/);
});

test('with debug logging: the stack names the TypeScript sources and lines', () => {
  const { status, stdout } = runDeployEcs(true);
  expect(status).toBe(1);
  const error = stdout.split('\n').find((line) => line.startsWith('::error::')) ?? '';
  const frames = error.split('%0A');
  expect(frames[0]).toMatch(/^::error::Error: EISDIR/);
  expect(frames).toContainEqual(
    expect.stringMatching(/at setOutputs \(.*packages\/kit\/src\/report\.ts:\d+:\d+\)$/),
  );
  expect(frames).toContainEqual(expect.stringMatching(/actions\/deploy-ecs\/src\/main\.ts:\d+:\d+\)$/));
});
