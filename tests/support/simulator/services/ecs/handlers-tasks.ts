import { ServiceError } from '../../errors';
import type { Operation } from '../../service';
import { clusterName, ecsOperation as op, visible, type EcsStore, type Json, type TaskRecord } from './state';
import { runTask } from './tasks';
import { settleAll } from './updates';
import { taskView } from './views';

function listTasks(store: EcsStore, input: Json): string[] {
  const cluster = clusterName(input.cluster);
  const desired = typeof input.desiredStatus === 'string' ? input.desiredStatus : 'RUNNING';
  settleAll(store);
  store.link.codedeploy?.settle();
  const at = store.now();
  return [...store.tasks.values()]
    .filter((task) => visible(task, at))
    .filter((task) => task.clusterArn.endsWith(`:cluster/${cluster}`))
    .filter((task) => input.startedBy === undefined || task.startedBy === input.startedBy)
    .filter(
      (task) => input.serviceName === undefined || task.group === `service:${String(input.serviceName)}`,
    )
    .filter((task) => taskView(task, at).desiredStatus === desired)
    .sort((a, b) => (b.stopAt ?? 0) - (a.stopAt ?? 0))
    .map((task) => task.arn);
}

function describeTasks(store: EcsStore, input: Json): Json {
  const arns = Array.isArray(input.tasks) ? (input.tasks as string[]) : [];
  settleAll(store);
  const at = store.now();
  // A task stopped longer ago than the retention is gone: DescribeTasks answers it MISSING.
  const found = arns
    .map((arn) => store.tasks.get(arn) ?? [...store.tasks.values()].find((t) => t.arn.endsWith(`/${arn}`)))
    .map((task) => (task !== undefined && visible(task, at) ? task : undefined));
  return {
    tasks: found.filter((t): t is TaskRecord => t !== undefined).map((t) => taskView(t, at, input.include)),
    failures: arns.filter((_, i) => found[i] === undefined).map((arn) => ({ arn, reason: 'MISSING' })),
  };
}

function stopTask(store: EcsStore, input: Json): Json {
  const task = store.tasks.get(String(input.task));
  if (!task) throw new ServiceError('InvalidParameterException', 'The referenced task was not found.');
  const at = store.now();
  if (task.stopAt === undefined || task.stopAt > at) {
    Object.assign(task, {
      stopAt: at,
      stopCode: 'UserInitiated',
      stoppedReason: String(input.reason ?? 'Task stopped by user'),
    });
  }
  return { task: taskView(task, at) };
}

/** Tasks: RunTask (idempotent by clientToken), ListTasks, DescribeTasks and StopTask. */
export function taskHandlers(store: EcsStore): Operation[] {
  return [
    op('ListTasks', ({ input }) => ({ taskArns: listTasks(store, input) })),
    op('DescribeTasks', ({ input }) => describeTasks(store, input)),
    op('RunTask', ({ input, region }) => {
      // RunTask's clientToken: "an identifier that you provide to ensure the idempotency of the
      // request" (ECS API reference): a resent request with the same token starts nothing new.
      const token = typeof input.clientToken === 'string' ? input.clientToken : undefined;
      const task =
        (token !== undefined ? store.runTokens.get(token) : undefined) ?? runTask(store, input, region);
      if (token !== undefined) store.runTokens.set(token, task);
      return { tasks: [taskView(task, store.now())], failures: [] };
    }),
    op('StopTask', ({ input }) => stopTask(store, input)),
  ];
}
