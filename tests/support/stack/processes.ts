import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface LaunchOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly logFile: string;
  /**
   * detached: the process outlives this one (`stack up`).
   * attached: a watchdog ends the process group within a second of this process going away, so
   * servers started by a test never outlive the test run even when it is killed.
   */
  readonly mode: 'detached' | 'attached';
  readonly env?: NodeJS.ProcessEnv;
}

// Runs the command in the background and polls the owner; when the owner is gone it signals the whole
// process group (the group is this shell's, made by the detached spawn).
const WATCHDOG = [
  'owner=$1; shift',
  '"$@" &',
  'child=$!',
  '( while kill -0 "$owner" 2>/dev/null; do sleep 1; done; kill -TERM 0 ) &',
  'watch=$!',
  'wait "$child"; code=$?',
  'kill "$watch" 2>/dev/null',
  'exit $code',
].join('\n');

/** Starts a process as the leader of a new process group, output to a log file. */
export function launch(options: LaunchOptions): ChildProcess {
  const log = openSync(options.logFile, 'a');
  try {
    const [command, args] =
      options.mode === 'attached'
        ? ['/bin/sh', ['-c', WATCHDOG, 'watchdog', String(process.pid), options.command, ...options.args]]
        : [options.command, [...options.args]];
    const child = spawn(command, args as string[], {
      detached: true,
      stdio: ['ignore', log, log],
      env: options.env ?? process.env,
    });
    if (options.mode === 'detached') child.unref();
    return child;
  } finally {
    closeSync(log);
  }
}

function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** When the process started (clock ticks since boot); with the pid it names one process, even after pid reuse. */
export function processStartTicks(pid: number): number | undefined {
  const start = procStat(pid)?.[19];
  return start === undefined ? undefined : Number(start);
}

/** Alive and not a zombie (a dead child nobody reaped still answers signal 0). */
export function isAlive(pid: number, startTicks?: number): boolean {
  const fields = procStat(pid);
  if (!fields) return false;
  if (fields[0] === 'Z' || fields[0] === 'X') return false;
  return startTicks === undefined || Number(fields[19]) === startTicks;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM to the process group, SIGKILL after `graceMs`; resolves when the leader is gone. */
export async function stopProcessGroup(pgid: number, startTicks?: number, graceMs = 5000): Promise<void> {
  if (!isAlive(pgid, startTicks)) {
    if (startTicks === undefined) signalGroup(pgid, 'SIGKILL');
    return;
  }
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pgid) && Date.now() < deadline) await sleep(50);
  // Whatever is left in the group (the leader or children that ignored SIGTERM) goes now.
  signalGroup(pgid, 'SIGKILL');
  while (isAlive(pgid)) await sleep(20);
}

/** Synchronous last resort for process exit handlers. */
export function killGroupNow(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}
