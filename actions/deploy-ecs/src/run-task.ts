import { randomUUID } from 'node:crypto';
import {
  DescribeTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type RunTaskCommandInput,
  type Task,
} from '@aws-sdk/client-ecs';
import { DeadlineExceeded, DeployFailed, messageOf, waitFor } from '@deploy-suite/kit';
import { POLL_INTERVAL_MS } from './follow';
import type { Journal } from './journal';
import type { Ports } from './ports';
import type { RunTaskOptions } from './run-task-options';
import { reasonLines, toStoppedTask } from './stopped-tasks';

/** What RunTask is sent: one task of the revision, where and how the options say. */
export function runTaskRequest(
  cluster: string,
  taskDefinitionArn: string,
  options: RunTaskOptions,
  enableEcsManagedTags: boolean | undefined,
  clientToken: string,
): RunTaskCommandInput {
  return {
    cluster,
    taskDefinition: taskDefinitionArn,
    count: 1,
    // RunTask takes a launch type or a capacity provider strategy, never both.
    ...(options.capacityProviderStrategy.length > 0
      ? { capacityProviderStrategy: [...options.capacityProviderStrategy] }
      : options.launchType !== undefined && { launchType: options.launchType }),
    startedBy: options.startedBy,
    clientToken,
    ...(options.subnets.length > 0 && {
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: [...options.subnets],
          ...(options.securityGroups.length > 0 && { securityGroups: [...options.securityGroups] }),
          ...(options.assignPublicIp !== undefined && { assignPublicIp: options.assignPublicIp }),
        },
      },
    }),
    ...(options.containerOverrides.length > 0 && {
      overrides: { containerOverrides: [...options.containerOverrides] },
    }),
    ...(options.tags.length > 0 && { tags: [...options.tags] }),
    ...(enableEcsManagedTags !== undefined && { enableECSManagedTags: enableEcsManagedTags }),
    ...(options.volume !== undefined && { volumeConfigurations: [options.volume] }),
  };
}

/** The exit code of a stopped task: the first non-zero of its essential containers, or undefined when one never exited. */
export function exitCodeOf(task: Task, essential: ReadonlySet<string>): number | undefined {
  const containers = (task.containers ?? []).filter(
    (c) => essential.size === 0 || essential.has(c.name ?? ''),
  );
  if (containers.length === 0 || containers.some((c) => c.exitCode === undefined)) return undefined;
  return containers.map((c) => c.exitCode ?? 0).find((code) => code !== 0) ?? 0;
}

/**
 * Runs the task definition once and waits for the task to stop. A non-zero exit code, a task that
 * never started, or the deadline fails the step (after stopping the task, so nothing keeps running).
 */
export async function runTaskOnce(
  ports: Ports,
  journal: Journal,
  cluster: string,
  taskDefinitionArn: string,
  essential: ReadonlySet<string>,
  options: RunTaskOptions,
  timeoutMs: number,
  enableEcsManagedTags?: boolean,
): Promise<number> {
  const started = await ports.ecs.send(
    new RunTaskCommand(
      // The SDK resends this same command when an answer is lost; with the token ECS starts the
      // task once (RunTask: "an identifier ... to ensure the idempotency of the request").
      runTaskRequest(cluster, taskDefinitionArn, options, enableEcsManagedTags, randomUUID()),
    ),
  );
  const taskArn = started.tasks?.[0]?.taskArn;
  if (taskArn === undefined) {
    const reasons = (started.failures ?? []).map(
      (f) => `${f.arn ?? 'task'}: ${f.reason ?? '?'}${f.detail ? ` (${f.detail})` : ''}`,
    );
    throw new DeployFailed('RunTask started no task', reasons);
  }
  journal.runTaskArn = taskArn;
  const id = taskArn.split('/').pop() ?? taskArn;
  journal.note(`run-task: started task ${id}`);
  ports.log.info(`Started task ${id}; waiting for it to stop`);
  let last = '';
  let task: Task;
  try {
    task = await waitFor<Task>({
      what: `task ${id} to stop`,
      timeoutMs,
      intervalMs: POLL_INTERVAL_MS,
      clock: ports.clock,
      ...(ports.random !== undefined && { random: ports.random }),
      check: async () => {
        const answer = await ports.ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }));
        const current = answer.tasks?.[0];
        const status = current?.lastStatus ?? 'UNKNOWN';
        if (status !== last) {
          last = status;
          ports.log.info(`task ${id}: ${status}`);
        }
        return current !== undefined && status === 'STOPPED'
          ? { done: true, value: current }
          : { done: false, status };
      },
    });
  } catch (err) {
    if (err instanceof DeadlineExceeded) {
      await ports.ecs
        .send(
          new StopTaskCommand({ cluster, task: taskArn, reason: 'deploy-ecs: run-task deadline reached' }),
        )
        .catch((stopErr: unknown) => ports.log.warning(`Could not stop task ${id}: ${messageOf(stopErr)}`));
    }
    throw err;
  }
  const stopped = toStoppedTask(task);
  const code = exitCodeOf(task, essential);
  journal.runTaskExitCode = code;
  journal.stoppedTasks = code === 0 ? [] : [stopped];
  if (code === 0) {
    journal.note(`run-task: task ${id} exited 0`);
    return 0;
  }
  const what = code === undefined ? 'stopped without an exit code' : `exited with code ${code}`;
  throw new DeployFailed(`run-task: task ${id} ${what}`, reasonLines([stopped]));
}
