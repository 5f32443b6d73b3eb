import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expectClose, post, referencePredictions, sampleRecords } from './harness';

const ROOT = join(__dirname, '..', '..', '..');

interface LogLine {
  msg?: string;
  port?: number;
}

/** Runs the real entry point (`src/main.ts` through tsx) as its own process and collects its JSON logs. */
function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'sample-service', 'src', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', TFJS_BACKEND: 'wasm', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const waiters: { test: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    logs.push(line);
    for (const waiter of waiters.filter((w) => w.test(line))) waiter.resolve(line);
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit');
  const waitForLog = (msg: string) =>
    Promise.race([
      new Promise<LogLine>((resolve) => {
        const seen = logs.find((line) => line.msg?.startsWith(msg));
        if (seen) resolve(seen);
        else waiters.push({ test: (line) => line.msg?.startsWith(msg) ?? false, resolve });
      }),
      exited.then(([code]) => {
        throw new Error(`service exited (${String(code)}) before logging "${msg}": ${stderr}`);
      }),
    ]);
  return { child, logs, waitForLog };
}

/** Polls the queue-depth gauge until every request is parsed and waiting for its batch. */
async function waitForQueuedRows(url: string, rows: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    if (new RegExp(`^inference_queued_rows ${rows}$`, 'm').test(metrics)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${rows} rows never reached the batch queue`);
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; at: number }> {
  return once(child, 'exit').then(([code]) => ({ code: code as number | null, at: Date.now() }));
}

describe('sample-service graceful shutdown', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('on SIGTERM answers every request in flight, refuses new ones, and exits 0 promptly', async () => {
    // Requests would wait 10 s (the longest delay allowed) for a batch; draining must not wait for that.
    const started = startProcess({ MAX_BATCH_DELAY_MS: '10000', MAX_BATCH_SIZE: '1000', LOG_LEVEL: 'info' });
    child = started.child;
    const exited = exitOf(child);
    const { port } = await started.waitForLog('listening');
    await started.waitForLog('model loaded and warmed up');
    const url = `http://127.0.0.1:${port}`;

    const records = sampleRecords(12, 5);
    const expected = await referencePredictions(records);
    const inFlight = records.map((record) => post(`${url}/predict`, record));
    await waitForQueuedRows(url, records.length);

    const signalled = Date.now();
    child.kill('SIGTERM');
    const responses = await Promise.all(inFlight);
    expect(responses.map((r) => r.status)).toEqual(records.map(() => 200));
    expectClose(
      responses.map((r) => (r.body['predictions'] as number[])[0] as number),
      expected,
    );

    const { code, at } = await exited;
    expect(code).toBe(0);
    expect(at - signalled).toBeLessThan(8000);
    await expect(fetch(`${url}/v2/health/live`)).rejects.toThrow();
    expect(started.logs.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['draining in-flight requests', 'drained; exiting']),
    );
  }, 60_000);
});
