/**
 * Runs one stage (pre, main or post) of a JavaScript action as its own Node process and feeds
 * both output streams, line by line, to the step log, as the runner does.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export interface StageProcess {
  readonly node: string;
  readonly script: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly onLine: (line: string) => void;
  /** A file Node loads before the script (`node --require`), e.g. the accelerated clock. */
  readonly preload?: string;
  /** Kill the process after this long (the runner's timeout-minutes); no limit when absent. */
  readonly timeoutMs?: number;
  /** Cancel the step as GitHub does, when this line is logged or after this long. */
  readonly cancel?: CancelTrigger;
}

export interface CancelTrigger {
  readonly whenLine?: RegExp;
  readonly afterMs?: number;
}

/**
 * The runner's cancel of a running step: SIGINT, SIGTERM 7.5 s later, then a kill 2.5 s after
 * that (actions/runner src/Runner.Sdk/ProcessInvoker.cs: _sigintTimeout, _sigtermTimeout).
 */
export const SIGINT_TO_SIGTERM_MS = 7_500;
export const SIGTERM_TO_KILL_MS = 2_500;

export interface StageExit {
  /** The process's exit code; null when it was ended by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  /** Milliseconds from the cancel's SIGINT to the process's exit; undefined when not cancelled. */
  readonly cancelToExitMs?: number;
}

export function runStageProcess(stage: StageProcess): Promise<StageExit> {
  return new Promise((resolve, reject) => {
    const args = [...(stage.preload === undefined ? [] : ['--require', stage.preload]), stage.script];
    const child = spawn(stage.node, args, {
      cwd: stage.cwd,
      env: { ...stage.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timedOut = false;
    const timer =
      stage.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, stage.timeoutMs);
    let cancelledAt: number | undefined;
    const escalations: NodeJS.Timeout[] = [];
    const cancel = (): void => {
      if (cancelledAt !== undefined) return;
      cancelledAt = Date.now();
      child.kill('SIGINT');
      escalations.push(
        setTimeout(() => child.kill('SIGTERM'), SIGINT_TO_SIGTERM_MS),
        setTimeout(() => child.kill('SIGKILL'), SIGINT_TO_SIGTERM_MS + SIGTERM_TO_KILL_MS),
      );
    };
    if (stage.cancel?.afterMs !== undefined) escalations.push(setTimeout(cancel, stage.cancel.afterMs));
    const whenLine = stage.cancel?.whenLine;
    const onLine = (line: string): void => {
      stage.onLine(line);
      if (whenLine?.test(line)) cancel();
    };
    const streamsDone = Promise.all([readLines(child.stdout, onLine), readLines(child.stderr, onLine)]);
    const stopTimers = (): void => {
      if (timer) clearTimeout(timer);
      for (const escalation of escalations) clearTimeout(escalation);
    };
    child.once('error', (error) => {
      stopTimers();
      reject(error);
    });
    child.once('close', (code, signal) => {
      stopTimers();
      const cancelToExitMs = cancelledAt === undefined ? undefined : Date.now() - cancelledAt;
      void streamsDone.then(() =>
        resolve({ code, signal, timedOut, ...(cancelToExitMs === undefined ? {} : { cancelToExitMs }) }),
      );
    });
  });
}

function readLines(stream: Readable, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', onLine);
    lines.once('close', () => resolve());
  });
}
