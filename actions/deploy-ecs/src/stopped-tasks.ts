import { DescribeTasksCommand, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { messageOf } from '@deploy-suite/kit';
import type { Ports } from './ports';

/** One stopped task of a deployment, as the reasons table shows it. */
export interface StoppedTask {
  id: string;
  stoppedAt: Date | undefined;
  stopCode: string;
  reason: string;
  /** `model: exit 137 (OutOfMemoryError: Container killed due to memory usage)`, one per container that says something. */
  containers: string[];
}

/** Stopped tasks kept for the table; ECS keeps them for about an hour. */
const MAX_TASKS = 20;

/**
 * The stopped tasks a deployment started (ECS sets their startedBy to the deployment id), newest
 * first. Explaining must not hide the failure it explains: a failed call here is a warning.
 */
export async function stoppedTasksOf(
  ports: Ports,
  cluster: string,
  deploymentId: string,
): Promise<StoppedTask[]> {
  try {
    const listed = await ports.ecs.send(
      new ListTasksCommand({ cluster, startedBy: deploymentId, desiredStatus: 'STOPPED', maxResults: 100 }),
    );
    const arns = listed.taskArns ?? [];
    if (arns.length === 0) return [];
    const described = await ports.ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(0, 100) }));
    return (described.tasks ?? [])
      .map(toStoppedTask)
      .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
      .slice(0, MAX_TASKS);
  } catch (err) {
    ports.log.warning(`Could not list the stopped tasks of ${deploymentId}: ${messageOf(err)}`);
    return [];
  }
}

export function toStoppedTask(task: Task): StoppedTask {
  return {
    id: task.taskArn?.split('/').pop() ?? '?',
    stoppedAt: task.stoppedAt,
    stopCode: task.stopCode ?? '',
    reason: task.stoppedReason ?? '',
    containers: (task.containers ?? [])
      // A container that exited 0 without a word is not why a task stopped.
      .filter((c) => (c.exitCode ?? 0) !== 0 || c.reason !== undefined)
      .map((c) => {
        const exit = c.exitCode === undefined ? 'no exit code' : `exit ${c.exitCode}`;
        return `${c.name ?? '?'}: ${exit}${c.reason ? ` (${c.reason})` : ''}`;
      }),
  };
}

/**
 * One line per distinct failure, most frequent first: the evidence under the error line. Tasks
 * that stop for the same reason read as one line with a count, not twenty.
 */
export function reasonLines(tasks: readonly StoppedTask[]): string[] {
  const counts = new Map<string, number>();
  for (const task of tasks) {
    const what = [task.stopCode, task.reason].filter((s) => s !== '').join(': ') || 'stopped';
    const line = task.containers.length > 0 ? `${what}; ${task.containers.join('; ')}` : what;
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([line, count]) => `${count === 1 ? '1 task' : `${count} tasks`} stopped: ${line}`);
}
