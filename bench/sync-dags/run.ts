/**
 * sync-dags against `rclone sync --checksum` and `aws s3 sync` on the same local S3 endpoint, 1,001
 * DAG-sized files by default (`--files 2000` for the larger tree): a cold sync into an empty bucket,
 * then a re-sync after a fresh checkout (every modification time new, no content changed). Printed
 * for each: wall time, the tool's CPU time and the server's, from a run
 * straight to the server, then the requests and bytes counted in a second run through a proxy (on
 * two cores the proxy's CPU would otherwise be charged to the tools). Figures, never assertions.
 *
 * The endpoint is a fresh moto_server per tool, with moto's per-request scan of its own package
 * cached (moto_server.py says why), kept to a CPU core of its own: with real S3 the server's work
 * is not done on the runner. The tools may use every core, as on a runner. `--stock` runs
 * moto_server as installed and unpinned; `--endpoint URL` uses an S3-compatible server already
 * running there (ambient credentials; a bucket per tool is created).
 *
 * rclone runs when it is on PATH (Debian: `apt-get install rclone`; 1.60 in bookworm), and is left
 * out with a line saying so otherwise. Its remote is configured by environment variables alone
 * (RCLONE_CONFIG_<NAME>_<OPTION>, rclone.org/docs/#environment-variables; path-style addressing is
 * force_path_style, set here though it is the default for provider Other) and `--config` names an
 * empty file, so a developer's own rclone.conf is never read. Flags are rclone's defaults apart
 * from `--checksum`, the command the comparison names: 4 transfers and 8 checkers. On a re-sync
 * nothing is transferred, and on S3 `--checksum` compares the listing's ETag (the MD5 of a
 * single-part upload) and size, so rclone sends one listing per folder and nothing per file; on the
 * cold sync its 4 transfers against our 16 parallel uploads is what each tool does when left at
 * its defaults.
 *
 * The re-sync is timed in rounds (`--runs`, 5 by default), every tool once a round in an order
 * that rotates, so load from elsewhere on a shared machine falls on all of them alike; its median,
 * range and the rounds each tool won are printed. Also printed: each tool's start to its first
 * request (from the counted run) and Node's own start.
 *
 * Run: npx tsx bench/sync-dags/run.ts [--files N] [--runs N] [--stock] [--endpoint URL] [--tools sync-dags,rclone,aws]
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { resolveInputs } from '../../tests/support/harness/inputs';
import { locateAction } from '../../tests/support/harness/locate-action';
import { loadManifest } from '../../tests/support/harness/manifest';
import { requireNode24 } from '../../tests/support/harness/node-binary';
import { REPO_ROOT } from '../../tests/support/harness/repo-root';
import {
  expressionContext,
  FAKE_SHA,
  hostBasics,
  runnerDefaults,
} from '../../tests/support/harness/runner-env';
import { createStageFiles, readStageFiles, stageFileEnv } from '../../tests/support/harness/stage-files';
import { generateDagTree } from '../../tests/integration/sync-dags/dag-tree';
import { freePorts, waitUntilAnswering } from '../../tests/support/stack/ports';
import { startCountingProxy, type CountingProxy, type Counts } from './counting-proxy';

const run = promisify(execFile);

interface Options {
  files: number;
  stock: boolean;
  endpoint: string | undefined;
  /** Tool names to run (`sync-dags`, `rclone`, `aws`); every tool found when absent. */
  tools: string[] | undefined;
  /** Rounds of re-syncs, each tool once a round. */
  runs: number;
}

function parseOptions(argv: readonly string[]): Options {
  const valueOf = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at < 0 ? undefined : argv[at + 1];
  };
  const files = Number(valueOf('--files') ?? 1001);
  if (!Number.isInteger(files) || files < 1) throw new Error('--files must be a whole number above 0');
  const tools = valueOf('--tools')?.split(',');
  const runs = Number(valueOf('--runs') ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number above 0');
  return { files, stock: argv.includes('--stock'), endpoint: valueOf('--endpoint'), tools, runs };
}

const OPTIONS = parseOptions(process.argv.slice(2));
const MOTO_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
};
const REGION = { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' };
/** The harness gives the action a runner's environment, not this shell's: credentials are passed on. */
const AMBIENT_CREDENTIALS = Object.fromEntries(
  ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']
    .map((name) => [name, process.env[name]])
    .filter((entry): entry is [string, string] => entry[1] !== undefined),
);
const CREDENTIALS: Record<string, string> = {
  ...REGION,
  ...(OPTIONS.endpoint === undefined ? MOTO_CREDENTIALS : AMBIENT_CREDENTIALS),
};
const PHASES = ['cold', 're-sync (fresh checkout)'] as const;
type Phase = (typeof PHASES)[number];
const RESYNC: Phase = 're-sync (fresh checkout)';

interface Row {
  tool: string;
  phase: Phase;
  /** One timed sync for the cold phase, one per round for the re-sync. */
  samples: PhaseFigures[];
  counts: Counts;
  /** From the tool's start to its first request, in the counted run. */
  firstRequest: number | undefined;
}

/** The server's own core when the machine has two and taskset is here; the tools may use any. */
interface Placement {
  server: string[];
  description: string;
}

function placement(): Placement {
  const canPin = !OPTIONS.stock && availableParallelism() >= 2 && onPath('taskset');
  if (!canPin) return { server: [], description: 'server and tools share every core' };
  const last = String(availableParallelism() - 1);
  return { server: ['taskset', '-c', last], description: `server alone on core ${last}` };
}

function onPath(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Server {
  url: string;
  pid: number | undefined;
  stop: () => void;
}

/** The cached-scan launcher needs moto importable from python3; moto_server as installed otherwise. */
function motoCommand(): { argv: string[]; description: string } {
  const launcher = join(__dirname, 'moto_server.py');
  if (!OPTIONS.stock) {
    try {
      execFileSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' });
      return { argv: ['python3', launcher], description: 'moto_server, its module scan cached' };
    } catch {
      // moto lives in another Python (pipx): fall back to its own entry point
    }
  }
  return { argv: ['moto_server'], description: 'moto_server as installed' };
}

/** Chosen once: asking python3 whether it has moto takes about half a second. */
const MOTO = OPTIONS.endpoint === undefined ? motoCommand() : undefined;

async function startServer(where: Placement, logFile: string): Promise<Server> {
  if (MOTO === undefined) return { url: OPTIONS.endpoint ?? '', pid: undefined, stop: () => undefined };
  const [port] = await freePorts(1);
  const [command, ...args] = [...where.server, ...MOTO.argv, '-H', '127.0.0.1', '-p', String(port)];
  const log = openSync(logFile, 'a');
  const child: ChildProcess = spawn(command ?? 'moto_server', args, { stdio: ['ignore', log, log] });
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(`${url}/moto-api/`, { name: 'moto_server', child, logFile });
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  return { url, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** /proc/<pid>/stat CPU fields, in seconds: the process's own, and its reaped children's. */
function cpuOf(pid: number | 'self'): { own: number; children: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  // Counting from the state field: utime, stime, cutime, cstime are the 12th to 15th.
  const [utime = 0, stime = 0, cutime = 0, cstime = 0] = fields.slice(11, 15);
  return { own: (utime + stime) / TICKS_PER_SECOND, children: (cutime + cstime) / TICKS_PER_SECOND };
}

function freshCheckout(root: string): void {
  const now = new Date();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) utimesSync(join(entry.parentPath, entry.name), now, now);
  }
}

interface Tool {
  name: string;
  /** Lays out what one sync needs (before the clock starts) and returns the sync, which is timed. */
  prepare: (dags: string, workspace: string, endpoint: string, bucket: string) => () => Promise<void>;
}

/** The rclone remote's name: its options are read from RCLONE_CONFIG_BENCH_<OPTION>. */
const RCLONE_REMOTE = 'bench';

/** An S3 remote on the bench's endpoint, path-style as moto and most S3-compatible servers want. */
function rcloneEnvironment(endpoint: string): Record<string, string> {
  const option = (name: string): string => `RCLONE_CONFIG_${RCLONE_REMOTE.toUpperCase()}_${name}`;
  const keys =
    OPTIONS.endpoint === undefined
      ? {
          [option('ACCESS_KEY_ID')]: MOTO_CREDENTIALS.AWS_ACCESS_KEY_ID,
          [option('SECRET_ACCESS_KEY')]: MOTO_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
        }
      : { [option('ENV_AUTH')]: 'true' };
  return {
    [option('TYPE')]: 's3',
    [option('PROVIDER')]: 'Other',
    [option('ENDPOINT')]: endpoint,
    [option('REGION')]: REGION.AWS_REGION,
    [option('FORCE_PATH_STYLE')]: 'true',
    ...keys,
  };
}

const RCLONE: Tool = {
  name: 'rclone sync --checksum',
  prepare: (dags, workspace, endpoint, bucket) => {
    const emptyConfig = join(workspace, 'rclone.conf');
    writeFileSync(emptyConfig, '');
    // rclone's AWS SDK fails on AWS_CA_BUNDLE with its own HTTP transport; --ca-cert is its way.
    const { AWS_CA_BUNDLE: caBundle, ...environment } = process.env;
    const args = [
      'sync',
      '--checksum',
      '--config',
      emptyConfig,
      ...(caBundle === undefined || !endpoint.startsWith('https:') ? [] : ['--ca-cert', caBundle]),
      dags,
      `${RCLONE_REMOTE}:${bucket}/dags`,
    ];
    const env = { ...environment, ...CREDENTIALS, ...rcloneEnvironment(endpoint) };
    return async () => void (await run('rclone', args, { env, maxBuffer: 64 * 1024 * 1024 }));
  },
};

const AWS_CLI: Tool = {
  name: 'aws s3 sync',
  prepare: (dags, _workspace, endpoint, bucket) => {
    const args = [
      's3',
      'sync',
      dags,
      `s3://${bucket}/dags/`,
      '--endpoint-url',
      endpoint,
      '--only-show-errors',
    ];
    const env = { ...process.env, ...CREDENTIALS };
    return async () => void (await run('aws', args, { env, maxBuffer: 64 * 1024 * 1024 }));
  },
};

const NODE = requireNode24(REPO_ROOT);
const BUNDLE = join(REPO_ROOT, 'actions', 'sync-dags', 'dist', 'index.js');

/** A runner's step environment for the action, with its folders and file commands under `root`. */
function stepEnvironment(workspace: string, root: string, inputs: Record<string, string>) {
  const manifest = loadManifest(locateAction('sync-dags', REPO_ROOT));
  const layout = {
    workspace,
    runnerTemp: join(root, 'runner-temp'),
    toolCache: join(root, 'tool-cache'),
    eventPath: join(root, 'event.json'),
    actionPath: manifest.dir,
    actionName: 'sync-dags',
    sha: FAKE_SHA,
  };
  for (const dir of [layout.runnerTemp, layout.toolCache]) mkdirSync(dir, { recursive: true });
  writeFileSync(layout.eventPath, '{}');
  const runner = { ...hostBasics(process.env), ...runnerDefaults(layout) };
  const files = createStageFiles(join(root, 'files'));
  const env = {
    ...runner,
    ...stageFileEnv(files),
    ...resolveInputs(manifest.inputs, inputs, expressionContext(runner)).env,
  };
  return { env, files };
}

const SYNC_DAGS: Tool = {
  name: 'sync-dags',
  prepare: (_dags, workspace, endpoint, bucket) => {
    const step = mkdtempSync(join(workspace, 'step-'));
    const { env, files } = stepEnvironment(workspace, step, { bucket, validate: 'none' });
    const options = {
      cwd: workspace,
      env: { ...env, ...CREDENTIALS, AWS_ENDPOINT_URL: endpoint },
      maxBuffer: 64 * 1024 * 1024,
    };
    return async () => {
      try {
        await run(NODE, [BUNDLE], options);
      } catch (error) {
        const output = (error as { stdout?: string }).stdout ?? '';
        throw new Error(`sync-dags failed:\n${output.slice(-3000)}`);
      }
      const { errors, outputs } = readStageFiles(files);
      const status = outputs['status'] ?? 'no status';
      if (errors.length > 0 || status !== 'succeeded')
        throw new Error(`sync-dags did not succeed: ${[...errors, status].join('; ')}`);
    };
  },
};

const TOOLS: readonly Tool[] = [SYNC_DAGS, ...(onPath('rclone') ? [RCLONE] : []), AWS_CLI].filter(
  (tool) => OPTIONS.tools === undefined || OPTIONS.tools.includes(tool.name.split(' ')[0] ?? ''),
);

interface PhaseFigures {
  seconds: number;
  toolCpu: number;
  serverCpu: number | undefined;
  counts: Counts | undefined;
  firstRequest: number | undefined;
}

/**
 * One tool's folder, endpoint and bucket: a fresh server per tool (moto slows down as it holds
 * more objects, so sharing one would favour whichever tool ran first) and a fresh bucket. With
 * `count`, requests go through the counting proxy; without, straight to the server, so the proxy's
 * CPU is not in the timings.
 */
interface Target {
  tool: Tool;
  workspace: string;
  dags: string;
  server: Server;
  proxy: CountingProxy | undefined;
  bucket: string;
}

async function openTarget(tool: Tool, where: Placement, count: boolean): Promise<Target> {
  const workspace = mkdtempSync(join(tmpdir(), 'bench-sync-dags-'));
  const dags = join(workspace, 'dags');
  generateDagTree(dags, { files: OPTIONS.files });
  const server = await startServer(where, join(workspace, 'server.log'));
  const proxy = count ? await startCountingProxy(server.url) : undefined;
  const bucket = `bench-dags-${tool.name.replace(/\W+/g, '-')}-${Date.now()}`;
  const target = { tool, workspace, dags, server, proxy, bucket };
  try {
    const s3 = new S3Client({
      endpoint: server.url,
      region: REGION.AWS_REGION,
      forcePathStyle: true,
      ...(OPTIONS.endpoint === undefined && {
        credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      }),
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    s3.destroy();
  } catch (error) {
    await closeTarget(target);
    throw error;
  }
  return target;
}

async function closeTarget(target: Target): Promise<void> {
  await target.proxy?.close();
  target.server.stop();
  rmSync(target.workspace, { recursive: true, force: true });
}

/** One sync, timed from the tool's process start to its exit; a re-sync after a fresh checkout. */
async function timePhase(target: Target, phase: Phase): Promise<PhaseFigures> {
  const { tool, server, proxy } = target;
  if (phase !== 'cold') freshCheckout(target.dags);
  proxy?.reset();
  const sync = tool.prepare(target.dags, target.workspace, proxy?.url ?? server.url, target.bucket);
  const serverBefore = server.pid === undefined ? undefined : cpuOf(server.pid).own;
  const toolBefore = cpuOf('self').children;
  const start = process.hrtime.bigint();
  await sync();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    seconds,
    toolCpu: cpuOf('self').children - toolBefore,
    serverCpu:
      serverBefore === undefined || server.pid === undefined
        ? undefined
        : cpuOf(server.pid).own - serverBefore,
    counts: proxy?.counts(),
    firstRequest: secondsSince(start, proxy?.counts().firstAt),
  };
}

function secondsSince(start: bigint, at: bigint | undefined): number | undefined {
  return at === undefined ? undefined : Number(at - start) / 1e9;
}

/**
 * Timings from runs straight to the servers: each tool's cold sync, then OPTIONS.runs rounds of
 * re-syncs, every tool once a round, in an order that rotates, so a burst of load from elsewhere
 * falls on all of them alike. Requests and bytes from one more cold sync and re-sync per tool,
 * through the proxy.
 */
async function measure(tools: readonly Tool[], where: Placement): Promise<Row[]> {
  const samples = new Map<string, PhaseFigures[]>(); // `${tool} ${phase}` → figures
  const add = (tool: Tool, phase: Phase, figures: PhaseFigures) => {
    const key = `${tool.name} ${phase}`;
    samples.set(key, [...(samples.get(key) ?? []), figures]);
  };
  const targets: Target[] = [];
  try {
    for (const tool of tools) targets.push(await openTarget(tool, where, false));
    for (const target of targets) add(target.tool, 'cold', await timePhase(target, 'cold'));
    for (let round = 0; round < OPTIONS.runs; round++) {
      for (const [i] of targets.entries()) {
        const target = targets[(i + round) % targets.length];
        if (target !== undefined) add(target.tool, RESYNC, await timePhase(target, RESYNC));
      }
    }
  } finally {
    for (const target of targets) await closeTarget(target);
  }
  const rows: Row[] = [];
  for (const tool of tools) {
    const counted = await openTarget(tool, where, true);
    try {
      for (const phase of PHASES) {
        const { counts, firstRequest } = await timePhase(counted, phase);
        const timed = samples.get(`${tool.name} ${phase}`) ?? [];
        if (counts === undefined || timed.length === 0)
          throw new Error(`no figures for ${tool.name} ${phase}`);
        rows.push({ tool: tool.name, phase, samples: timed, counts, firstRequest });
      }
    } finally {
      await closeTarget(counted);
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const where = placement();
  const rows = await measure(TOOLS, where);
  const nodeStart = TOOLS.includes(SYNC_DAGS) ? await bareNodeStart() : undefined;
  const server =
    MOTO === undefined
      ? `the S3 endpoint at ${OPTIONS.endpoint ?? ''}`
      : `${MOTO.description} on 127.0.0.1; ${where.description}`;
  print(rows, `${OPTIONS.files} DAG-sized files; ${server}`);
  if (nodeStart !== undefined)
    console.log(`Node 24 alone (node -e '', spawn to exit): ${nodeStart.toFixed(3)} s, median of 5`);
}

/** Spawn to exit of `node -e ''`: the part of sync-dags' time no bundle can shave. */
async function bareNodeStart(): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = process.hrtime.bigint();
    await run(NODE, ['-e', '']);
    samples.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return samples.sort((a, b) => a - b)[2] ?? 0;
}

function print(rows: readonly Row[], heading: string): void {
  console.log(
    `\n${heading}\ntimed straight to the server (re-sync: median and range of ${OPTIONS.runs} rounds, the tools ` +
      'taking turns); requests, bytes and the first request from one more run through a proxy\n',
  );
  const columns: [string, number][] = [
    ['tool', 22],
    ['phase', 25],
    ['wall s', 7],
    ['range s', 10],
    ['tool cpu s', 10],
    ['server cpu s', 12],
    ['1st req s', 9],
    ['requests', 9],
    ['bytes sent', 11],
  ];
  console.log(
    columns.map(([name, width], i) => (i < 2 ? name.padEnd(width) : name.padStart(width))).join(' '),
  );
  for (const row of rows) {
    const walls = row.samples.map((sample) => sample.seconds);
    const serverCpu = row.samples.map((sample) => sample.serverCpu);
    const cells = [
      row.tool,
      row.phase,
      median(walls).toFixed(2),
      walls.length > 1 ? `${Math.min(...walls).toFixed(2)}-${Math.max(...walls).toFixed(2)}` : '',
      median(row.samples.map((sample) => sample.toolCpu)).toFixed(2),
      serverCpu.every((cpu) => cpu !== undefined) ? median(serverCpu).toFixed(2) : 'n/a',
      row.firstRequest === undefined ? 'n/a' : row.firstRequest.toFixed(2),
      String(row.counts.requests),
      String(row.counts.bytesSent),
    ];
    const methods = Object.entries(row.counts.byMethod)
      .map(([m, n]) => `${m} ${n}`)
      .join(', ');
    const line = cells.map((cell, i) => {
      const width = columns[i]?.[1] ?? 0;
      return i < 2 ? cell.padEnd(width) : cell.padStart(width);
    });
    console.log(`${line.join(' ')}   ${methods}`);
  }
  console.log('');
  for (const phase of PHASES) {
    const ours = rows.find((r) => r.tool === 'sync-dags' && r.phase === phase);
    if (!ours || rows.every((r) => r.tool === ours.tool)) continue;
    const against = rows
      .filter((r) => r.tool !== ours.tool && r.phase === phase)
      .map((other) => `${comparison(ours, other)}, using ${cpuRatio(ours, other)}x its CPU`);
    console.log(`${phase}: sync-dags is ${against.join('; ')}`);
  }
  if (!onPath('rclone')) console.log('rclone is not on PATH, so left out (Debian: apt-get install rclone)');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Median against median, and for re-syncs in how many rounds sync-dags was the faster. */
function comparison(ours: Row, other: Row): string {
  const ratio = median(other.samples.map((s) => s.seconds)) / median(ours.samples.map((s) => s.seconds));
  if (ours.samples.length < 2) return `${speed(ratio)} ${other.tool}`;
  const won = ours.samples.filter((sample, round) => sample.seconds <= (other.samples[round]?.seconds ?? 0));
  return `${speed(ratio)} ${other.tool} (median), the faster in ${won.length} of ${ours.samples.length} rounds`;
}

function cpuRatio(ours: Row, other: Row): string {
  const cpu = (row: Row) => median(row.samples.map((s) => s.toolCpu));
  return (cpu(ours) / Math.max(cpu(other), 0.01)).toFixed(1);
}

/** "1.8x faster than" or "1.3x slower than", from the other tool's time over ours. */
function speed(ratio: number): string {
  return ratio >= 1 ? `${ratio.toFixed(1)}x faster than` : `${(1 / ratio).toFixed(1)}x slower than`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
