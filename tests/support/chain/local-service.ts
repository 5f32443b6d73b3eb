/**
 * The sample service started on this machine from the bundle the image carries (the same file,
 * run by the repository's Node 24), on a free loopback port, and asked for a prediction.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ImageContext } from './image-context';
import { NODE_BINARY } from './image-context';
import { IMAGE_BACKEND } from './names';

export interface LocalService {
  readonly url: string;
  readonly pid: number;
  /** The service's own log lines (JSON), as it printed them. */
  readonly log: readonly string[];
  stop(): Promise<void>;
}

/** One quote request in the plain JSON protocol (see sample-service/README.md). */
export const SAMPLE_RECORD = {
  age: 19,
  sex: 'female',
  bmi: 27.9,
  children: 0,
  smoker: 'yes',
  region: 'southwest',
} as const;

export interface Prediction {
  readonly status: number;
  readonly request: unknown;
  readonly answer: unknown;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function untilReady(
  url: string,
  child: ChildProcess,
  log: readonly string[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the sample service exited with ${child.exitCode}:\n${log.slice(-5).join('\n')}`);
    }
    const ready = await fetch(`${url}/v2/health/ready`, { signal: AbortSignal.timeout(1000) }).catch(
      () => undefined,
    );
    if (ready?.ok) return;
    if (Date.now() > deadline) throw new Error(`the sample service was not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The port a JSON log line names (the server's "listening" line), if any. */
function portIn(line: string): number | undefined {
  try {
    const port = (JSON.parse(line) as { port?: unknown }).port;
    return typeof port === 'number' && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the bundled server with PORT=0 and reads the port it chose from its first log line. */
export async function startLocalService(context: ImageContext, timeoutMs = 30_000): Promise<LocalService> {
  const child = spawn(NODE_BINARY, [context.server], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      MODEL_DIR: context.modelDir,
      TFJS_BACKEND: IMAGE_BACKEND,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${NODE_BINARY}`);
  const killNow = (): void => void child.kill('SIGKILL');
  process.once('exit', killNow);
  const stop = async (): Promise<void> => {
    process.off('exit', killNow);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited(child);
    clearTimeout(timer);
  };
  const log: string[] = [];
  const port = new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      log.push(line);
      const port = portIn(line);
      if (port !== undefined) resolve(port);
    });
    createInterface({ input: child.stderr }).on('line', (line) => log.push(line));
    child.once('exit', (code) =>
      reject(new Error(`the sample service exited with ${code}:\n${log.slice(-5).join('\n')}`)),
    );
  });
  try {
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error('the sample service did not say which port it took')),
        timeoutMs,
      ).unref(),
    );
    const url = `http://127.0.0.1:${await Promise.race([port, timeout])}`;
    await untilReady(url, child, log, timeoutMs);
    return { url, pid, log, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export async function predict(url: string, record: unknown = SAMPLE_RECORD): Promise<Prediction> {
  const response = await fetch(`${url}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(record),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, request: record, answer: await response.json() };
}
