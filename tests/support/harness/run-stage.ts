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
  /** Kill the process after this long (the runner's timeout-minutes); no limit when absent. */
  readonly timeoutMs?: number;
}

export interface StageExit {
  /** The process's exit code; null when it was ended by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
}

export function runStageProcess(stage: StageProcess): Promise<StageExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(stage.node, [stage.script], {
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
    const streamsDone = Promise.all([
      readLines(child.stdout, stage.onLine),
      readLines(child.stderr, stage.onLine),
    ]);
    child.once('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      void streamsDone.then(() => resolve({ code, signal, timedOut }));
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
