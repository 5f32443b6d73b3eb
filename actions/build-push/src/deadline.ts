import { DeployFailed, ToolTimedOut, type Clock, type GroupRunTool } from '@deploy-suite/kit';
import { commandName } from './plan';

function minutes(ms: number): string {
  const value = Number((ms / 60_000).toFixed(2));
  return value === 1 ? '1 minute' : `${value} minutes`;
}

/** The one line a builder stopped at the deadline fails the step with. */
export function deadlineFailure(tool: string, args: readonly string[], timeoutMs: number): DeployFailed {
  return new DeployFailed(
    `${commandName({ tool, args })} was stopped: the builder ran past build-timeout-minutes (${minutes(timeoutMs)}); its whole process group was killed`,
  );
}

/**
 * One deadline for every builder process of the step, counted from the first one: each runs
 * with the time that is left, and its process group is killed when that runs out (the kit's
 * runToolInGroup). A builder that hangs (a RUN line waiting on the network, a stuck daemon) then
 * ends the step within build-timeout-minutes, with one line naming the deadline.
 */
export function withBuilderDeadline(exec: GroupRunTool, timeoutMs: number, clock: Clock): GroupRunTool {
  let deadline: number | undefined;
  return async (tool, args, run = {}) => {
    deadline ??= clock.now() + timeoutMs;
    const left = deadline - clock.now();
    if (left <= 0) throw deadlineFailure(tool, args, timeoutMs);
    try {
      return await exec(tool, args, { ...run, timeoutMs: left });
    } catch (err) {
      if (err instanceof ToolTimedOut) throw deadlineFailure(tool, args, timeoutMs);
      throw err;
    }
  };
}
