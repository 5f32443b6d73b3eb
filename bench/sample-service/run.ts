/**
 * Load test: single-row POST /predict at 32 connections (autocannon) against the sample service
 * and two Python servers doing the same forward pass with numpy: the Flask development server
 * (the tutorial way) and the same Flask app under gunicorn with one threaded worker per core (the
 * usual production way; skipped, with a line saying so, when gunicorn is not installed). Starts each
 * server, measures it for a fixed time, prints requests/s and p50/p99 latency, stops it.
 *
 *   npm run bench -w sample-service        (builds the service first)
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=32 npx tsx bench/sample-service/run.ts
 *   BENCH_GUNICORN_WORKERS=2 BENCH_GUNICORN_THREADS=8   (gunicorn's; default: cores, 8)
 *
 * Figures are printed against the targets (10x Flask's requests/s, p99 under 20 ms), never asserted.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';

const ROOT = resolve(__dirname, '..', '..');
const SERVICE_DIR = join(ROOT, 'sample-service');
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const WARMUP_SECONDS = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 2);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
/** gunicorn's workers: one per core the machine gives this process, the service's budget too. */
const GUNICORN_WORKERS = Number(process.env['BENCH_GUNICORN_WORKERS'] ?? availableParallelism());
/** Threads per gunicorn worker; 8 answered the most at 32 connections on 2 cores (4 and 16 fewer). */
const GUNICORN_THREADS = Number(process.env['BENCH_GUNICORN_THREADS'] ?? 8);
const RECORD = { age: 52, sex: 'male', bmi: 31.4, children: 2, smoker: 'no', region: 'northwest' };

interface Figures {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly ok: number;
  readonly failed: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * werkzeug answers every request with `Connection: close`, then reads the socket until EOF
 * before closing it. autocannon writes its next request on the same socket straight after the
 * response, so both sides wait forever. Like any real HTTP client, open a new connection after
 * a response that closes the connection. (Reaches into autocannon's client; pinned at 9.x.)
 */
function newConnectionPerRequest(client: unknown): void {
  const c = client as {
    _doRequest: () => void;
    _destroyConnection: () => void;
    _connect: () => void;
    parser: { initialize: (type: string) => void };
    on: (event: 'response', listener: () => void) => void;
  };
  let answered = false;
  c.on('response', () => {
    answered = true;
  });
  const doRequest = c._doRequest;
  c._doRequest = function requestOnFreshConnection(this: typeof c) {
    if (!answered) return doRequest.call(this);
    answered = false;
    this._destroyConnection();
    this.parser.initialize('RESPONSE');
    this._connect(); // sends the next request once connected
  };
}

async function load(url: string, seconds: number, fresh: boolean): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(RECORD),
    connections: CONNECTIONS,
    duration: seconds,
    ...(fresh ? { setupClient: newConnectionPerRequest } : {}),
  });
}

async function measure(name: string, url: string, closesConnections: boolean): Promise<Figures> {
  if (WARMUP_SECONDS > 0) await load(url, WARMUP_SECONDS, closesConnections);
  const result = await load(url, SECONDS, closesConnections);
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

async function benchService(): Promise<Figures> {
  if (!existsSync(join(SERVICE_DIR, 'dist', 'main.js'))) {
    throw new Error(
      'sample-service/dist is missing: run `npm run build -w sample-service` (npm run bench does)',
    );
  }
  const port = await freePort();
  const child = spawn(process.execPath, [join(SERVICE_DIR, 'dist', 'main.js')], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor(`http://127.0.0.1:${port}/v2/health/ready`, child);
    return await measure(
      'sample-service (Fastify + tfjs, batching)',
      `http://127.0.0.1:${port}/predict`,
      false,
    );
  } finally {
    await stop(child);
  }
}

async function benchFlask(): Promise<Figures> {
  const port = await freePort();
  const child = spawn('python3', [join(__dirname, 'flask_server.py'), '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  try {
    await waitFor(`http://127.0.0.1:${port}/health`, child);
    return await measure('Flask dev server + numpy', `http://127.0.0.1:${port}/predict`, true);
  } finally {
    await stop(child);
  }
}

/**
 * The same Flask app (flask_server.py's create_app) under gunicorn, from Debian (`gunicorn`, which
 * runs Debian's python3, hence python3-flask and python3-numpy; scripts/install-debian-deps.sh).
 * One worker process per core, as the service has the cores to itself, and the threaded worker
 * (gthread), the one that keeps connections alive: gunicorn's default sync worker closes the
 * connection after every response (gunicorn docs, "Design", worker types), which halved its
 * requests/s here, so gthread is the stronger baseline.
 */
async function benchGunicorn(): Promise<Figures | string> {
  const name = `gunicorn ${GUNICORN_WORKERS}x${GUNICORN_THREADS} gthread + Flask + numpy`;
  const found = spawnSync('gunicorn', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) {
    return `${name}: skipped, gunicorn is not installed (bash scripts/install-debian-deps.sh installs gunicorn, python3-flask and python3-numpy)`;
  }
  const port = await freePort();
  const modelDir = join(SERVICE_DIR, 'model');
  const child = spawn(
    'gunicorn',
    [
      '--chdir',
      __dirname,
      '--bind',
      `127.0.0.1:${port}`,
      '--workers',
      String(GUNICORN_WORKERS),
      '--worker-class',
      'gthread',
      '--threads',
      String(GUNICORN_THREADS),
      '--log-level',
      'warning',
      // An application factory called with its argument (gunicorn 20.1+).
      `flask_server:create_app(${JSON.stringify(modelDir)})`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  try {
    try {
      await waitFor(`http://127.0.0.1:${port}/health`, child);
    } catch (error) {
      // Its workers run Debian's python3, which needs Flask and numpy of its own (see above).
      return `${name}: skipped, it did not start (${String(error)}); bash scripts/install-debian-deps.sh installs python3-flask and python3-numpy`;
    }
    return await measure(name, `http://127.0.0.1:${port}/predict`, false);
  } finally {
    await stop(child);
  }
}

function row(cells: readonly string[]): string {
  const widths = [44, 12, 10, 10, 10, 8];
  return cells
    .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 10) : cell.padStart(widths[i] ?? 10)))
    .join(' ');
}

async function main(): Promise<void> {
  console.log(
    `single-row POST /predict, ${CONNECTIONS} connections, ${SECONDS} s per server after ${WARMUP_SECONDS} s warm-up\n`,
  );
  const service = await benchService();
  const flask = await benchFlask();
  const gunicorn = await benchGunicorn();
  console.log(row(['server', 'requests/s', 'p50 ms', 'p99 ms', '2xx', 'failed']));
  for (const figures of [service, flask, gunicorn]) {
    if (typeof figures === 'string') {
      console.log(figures);
      continue;
    }
    console.log(
      row([
        figures.name,
        figures.requestsPerSecond.toFixed(0),
        figures.p50.toFixed(1),
        figures.p99.toFixed(1),
        String(figures.ok),
        String(figures.failed),
      ]),
    );
  }
  const ratio = service.requestsPerSecond / Math.max(flask.requestsPerSecond, 1);
  console.log(
    `\nthroughput ${ratio.toFixed(1)}x Flask (target ≥ 10x: ${ratio >= 10 ? 'met' : 'missed'}); ` +
      `service p99 ${service.p99.toFixed(1)} ms (target < 20 ms: ${service.p99 < 20 ? 'met' : 'missed'})`,
  );
  if (typeof gunicorn !== 'string') {
    const vsGunicorn = service.requestsPerSecond / Math.max(gunicorn.requestsPerSecond, 1);
    console.log(`throughput ${vsGunicorn.toFixed(1)}x gunicorn`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
