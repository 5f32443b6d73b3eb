import type { Task } from '@aws-sdk/client-ecs';
import { exitCodeOf } from '../../../actions/deploy-ecs/src/run-task';
import { reasonLines, toStoppedTask } from '../../../actions/deploy-ecs/src/stopped-tasks';

const task = (containers: Task['containers'], extra: Partial<Task> = {}): Task => ({
  taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/default/abc123',
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
  containers,
  ...extra,
});

test.each<[string, Task, ReadonlySet<string>, number | undefined]>([
  [
    'every essential container exited 0',
    task([
      { name: 'job', exitCode: 0 },
      { name: 'sidecar', exitCode: 143 },
    ]),
    new Set(['job']),
    0,
  ],
  [
    'the essential container failed',
    task([
      { name: 'job', exitCode: 2 },
      { name: 'sidecar', exitCode: 0 },
    ]),
    new Set(['job']),
    2,
  ],
  [
    'no essential list: the first non-zero code',
    task([
      { name: 'a', exitCode: 0 },
      { name: 'b', exitCode: 137 },
    ]),
    new Set(),
    137,
  ],
  [
    'never started',
    task([{ name: 'job', reason: 'CannotPullContainerError: not found' }], { stopCode: 'TaskFailedToStart' }),
    new Set(['job']),
    undefined,
  ],
])('exitCodeOf: %s', (_name, stopped, essential, code) => {
  expect(exitCodeOf(stopped, essential)).toBe(code);
});

test('stopped tasks read as one line per distinct reason, most frequent first, with container exit codes', () => {
  const oom = toStoppedTask(
    task([
      { name: 'model', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
      { name: 'log', exitCode: 0 },
    ]),
  );
  const pull = toStoppedTask(
    task([{ name: 'model', reason: 'CannotPullContainerError: not found' }], {
      stopCode: 'TaskFailedToStart',
      stoppedReason: 'CannotPullContainerError: not found',
    }),
  );
  expect(oom.containers).toEqual([
    'model: exit 137 (OutOfMemoryError: Container killed due to memory usage)',
  ]);
  expect(reasonLines([pull, oom, oom])).toEqual([
    '2 tasks stopped: EssentialContainerExited: Essential container in task exited; model: exit 137 (OutOfMemoryError: Container killed due to memory usage)',
    '1 task stopped: TaskFailedToStart: CannotPullContainerError: not found; model: no exit code (CannotPullContainerError: not found)',
  ]);
});
