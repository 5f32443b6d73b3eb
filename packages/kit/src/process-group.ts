import { spawn } from 'node:child_process';
import { cancellationOf } from './cancellation';
import { guardSecrets, stringEnv, type ToolResult, type ToolRun } from './exec';
import { runnerLog } from './report';

/**
 * What ends a tool before it ends on its own. The runner signals only the step's own process on a
 * cancel (SIGINT, SIGTERM 7.5 s later), and a builder's children (buildah's, a RUN line's) would
 * outlive it; so the tool runs as the leader of a process group of its own and the whole group is
 * stopped.
 */
export interface ProcessLimits {
  /** The run's cancel: the group is stopped and the call rejects with the signal's Cancelled. */
  signal?: AbortSignal;
  /** Past this many milliseconds the group is stopped and the call rejects with ToolTimedOut. */
  timeoutMs?: number;
}

export type GroupRun = ToolRun & ProcessLimits;

/** A RunTool whose runs may carry limits: actions take this port, tests pass fakes. */
export type GroupRunTool = (tool: string, args: readonly string[], run?: GroupRun) => Promise<ToolResult>;

/** Between SIGTERM to the group (a builder releases its storage locks) and SIGKILL. */
export const GROUP_KILL_GRACE_MS = 2_000;

/** A tool reached its deadline; its whole process group was stopped. */
export class ToolTimedOut extends Error {
  override readonly name = 'ToolTimedOut';
  constructor(
    readonly tool: string,
    readonly timeoutMs: number,
  ) {
    super(`${tool} did not finish within ${timeoutMs / 1000} s; its process group was stopped`);
  }
}

/** Signals every process of the group; a group already gone is no error. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Calls `line` for each complete line of a stream's text, and once for a last unfinished one. */
function lineSplitter(line: (text: string) => void): { push: (chunk: string) => void; end: () => void } {
  let rest = '';
  return {
    push: (chunk) => {
      const parts = (rest + chunk).split(/\r?\n/);
      rest = parts.pop() ?? '';
      for (const part of parts) line(part);
    },
    end: () => {
      if (rest !== '') line(rest);
      rest = '';
    },
  };
}

/**
 * Runs a tool like runTool (secrets masked and kept off the command line, every output line
 * through the log port), as the leader of its own process group, and stops the whole group on
 * the run's cancel or at the deadline: SIGTERM, then SIGKILL after GROUP_KILL_GRACE_MS. A tool
 * that is not on PATH rejects, as runTool does.
 */
export const runToolInGroup: GroupRunTool = (tool, args, run = {}) => {
  guardSecrets(tool, args, run.secrets);
  if (run.signal?.aborted) return Promise.reject(cancellationOf(run.signal));
  const echo = run.quiet ? () => undefined : (line: string) => runnerLog.info(line);
  echo(`[command]${[tool, ...args].join(' ')}`);
  const env = run.inheritEnv === false ? { ...run.env } : { ...stringEnv(process.env), ...run.env };
  return new Promise<ToolResult>((resolve, reject) => {
    const child = spawn(tool, [...args], {
      detached: true,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(run.cwd === undefined ? {} : { cwd: run.cwd }),
    });
    let stdout = '';
    let stderr = '';
    const outLines = lineSplitter(echo);
    const errLines = lineSplitter(echo);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      outLines.push(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      errLines.push(chunk);
    });
    child.stdin.on('error', () => undefined); // a tool that exits without reading its input
    child.stdin.end(run.stdin ?? '');

    let stopping: Error | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: Error): void => {
      if (stopping !== undefined || child.pid === undefined) return;
      stopping = why;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(
        () => child.pid !== undefined && signalGroup(child.pid, 'SIGKILL'),
        GROUP_KILL_GRACE_MS,
      );
    };
    const onAbort = (): void => stop(cancellationOf(run.signal));
    run.signal?.addEventListener('abort', onAbort, { once: true });
    const deadline =
      run.timeoutMs === undefined
        ? undefined
        : setTimeout(() => stop(new ToolTimedOut(tool, run.timeoutMs ?? 0)), Math.max(0, run.timeoutMs));
    const settle = (): void => {
      run.signal?.removeEventListener('abort', onAbort);
      if (deadline !== undefined) clearTimeout(deadline);
    };

    child.on('error', (err) => {
      settle();
      reject(err);
    });
    // Stopped: the leader's exit is enough (a straggler may hold the pipes open); whatever is
    // left of the group gets SIGKILL at once rather than after the grace.
    child.on('exit', () => {
      if (stopping === undefined || child.pid === undefined) return;
      settle();
      if (killTimer !== undefined) clearTimeout(killTimer);
      signalGroup(child.pid, 'SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
      reject(stopping);
    });
    child.on('close', (code, signal) => {
      if (stopping !== undefined) return;
      settle();
      outLines.end();
      errLines.end();
      resolve({ exitCode: code ?? (signal === null ? 1 : 128), stdout, stderr });
    });
  });
};
