import { DeployFailed, ToolTimedOut, type GroupRun } from '@deploy-suite/kit';
import { withBuilderDeadline } from '../../../actions/build-push/src/deadline';
import { fakeClock } from '../../support/fakes';

const HOUR = 3_600_000;

test('each builder process gets the time left of one deadline, counted from the first', async () => {
  const clock = fakeClock(1_000);
  const given: (number | undefined)[] = [];
  const exec = withBuilderDeadline(
    async (_tool, _args, run: GroupRun = {}) => {
      given.push(run.timeoutMs);
      await clock.sleep(20 * 60_000); // each command takes 20 minutes
      return { exitCode: 0, stdout: '', stderr: '' };
    },
    HOUR,
    clock,
  );
  await exec('buildah', ['login'], { stdin: 'pw' });
  await exec('buildah', ['build']);
  await exec('buildah', ['push']);
  expect(given).toEqual([HOUR, 40 * 60_000, 20 * 60_000]);
  // The budget is spent: the next builder command is not started at all.
  let started = false;
  const after = withBuilderDeadline(
    async () => {
      started = true;
      return { exitCode: 0, stdout: '', stderr: '' };
    },
    0,
    clock,
  );
  await expect(after('buildah', ['push', '--all'])).rejects.toThrow(
    'buildah push was stopped: the builder ran past build-timeout-minutes (0 minutes)',
  );
  expect(started).toBe(false);
});

test('a builder stopped at its deadline fails the step with one line naming the deadline', async () => {
  const exec = withBuilderDeadline(
    async (tool, _args, run: GroupRun = {}) => {
      throw new ToolTimedOut(tool, run.timeoutMs ?? 0);
    },
    30 * 60_000,
    fakeClock(),
  );
  const error = await exec('docker', ['buildx', 'build', '--push', '/ws']).catch((err: unknown) => err);
  expect(error).toBeInstanceOf(DeployFailed);
  expect((error as DeployFailed).message).toBe(
    'docker buildx build was stopped: the builder ran past build-timeout-minutes (30 minutes); its whole process group was killed',
  );
});

test('any other failure passes through unchanged', async () => {
  const boom = new Error('spawn buildah ENOENT');
  const exec = withBuilderDeadline(
    async () => {
      throw boom;
    },
    HOUR,
    fakeClock(),
  );
  await expect(exec('buildah', ['--version'])).rejects.toBe(boom);
});
