/**
 * Start-up time of each action: from spawning its bundle (actions/<name>/dist/index.js) under the
 * repository's Node 24, as the runner starts a `node24` action, to the first request reaching AWS.
 * "AWS" is a local HTTP server named by AWS_ENDPOINT_URL that notes when the first request
 * arrives; the action is then stopped, so nothing after that first call is timed. Each action gets
 * a runner's environment (the harness's GITHUB_* and RUNNER_* variables, its file commands) and the
 * fewest inputs that make a valid run, with action.yml's defaults for the rest. `node -e ""`
 * (spawn to exit) is printed for reference: the part no bundle can shave.
 *
 * Median and range over N runs of each. Figures, never assertions.
 *
 * Run: npx tsx bench/startup.ts [--runs N] [--action NAME]   (npm run bench:startup)
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveInputs } from '../tests/support/harness/inputs';
import { locateAction } from '../tests/support/harness/locate-action';
import { loadManifest } from '../tests/support/harness/manifest';
import { requireNode24 } from '../tests/support/harness/node-binary';
import { REPO_ROOT } from '../tests/support/harness/repo-root';
import { expressionContext, FAKE_SHA, hostBasics, runnerDefaults } from '../tests/support/harness/runner-env';
import { createStageFiles, stageFileEnv } from '../tests/support/harness/stage-files';

interface Options {
  runs: number;
  only: string | undefined;
}

function parseOptions(argv: readonly string[]): Options {
  const valueOf = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at < 0 ? undefined : argv[at + 1];
  };
  const runs = Number(valueOf('--runs') ?? 10);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number above 0');
  return { runs, only: valueOf('--action') };
}

/** The fewest inputs for a run that gets as far as AWS; `prepare` lays out the workspace it reads. */
interface Subject {
  action: string;
  inputs: Record<string, string>;
  prepare?: (workspace: string) => void;
}

const SUBJECTS: readonly Subject[] = [
  { action: 'build-push', inputs: { repository: 'ml/bench' }, prepare: writeDockerfile },
  { action: 'deploy-ecs', inputs: { cluster: 'bench', service: 'bench' } },
  {
    action: 'deploy-beanstalk',
    inputs: {
      'application-name': 'bench',
      'environment-name': 'bench-env',
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/ml/bench:1',
    },
  },
  { action: 'sync-dags', inputs: { bucket: 'bench-dags', validate: 'none' }, prepare: writeDag },
  {
    action: 'deploy-sagemaker',
    inputs: {
      'endpoint-name': 'bench',
      image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/ml/bench@sha256:${'a'.repeat(64)}`,
      'execution-role-arn': 'arn:aws:iam::123456789012:role/bench',
      'instance-type': 'ml.m5.large',
    },
  },
];

function writeDockerfile(workspace: string): void {
  writeFileSync(join(workspace, 'Dockerfile'), 'FROM scratch\nCOPY Dockerfile /\n');
}

function writeDag(workspace: string): void {
  mkdirSync(join(workspace, 'dags'));
  writeFileSync(join(workspace, 'dags', 'bench.py'), 'from airflow import DAG\n');
}

/** Static keys and no instance metadata: the credential chain must not make a call of its own first. */
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
};

interface FirstRequest {
  server: Server;
  url: string;
  /** Resolves with the hrtime of the first request after `arm`, and what it asked for. */
  arm: () => Promise<{ at: bigint; what: string }>;
}

/**
 * Answers every request 503 (the action is stopped before it retries) and notes when the first one
 * arrived. What it asked for is named by its JSON target header or, for the Query APIs (Elastic
 * Beanstalk), by the Action in its form body, read after the arrival time is taken.
 */
async function startFirstRequestServer(): Promise<FirstRequest> {
  let waiting: ((first: { at: bigint; what: string }) => void) | undefined;
  const server = createServer((request, response) => {
    const at = process.hrtime.bigint();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      const action = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('Action');
      const named = typeof target === 'string' ? target : (action ?? '');
      waiting?.({ at, what: `${request.method ?? ''} ${request.url ?? ''} ${named}`.trim() });
      waiting = undefined;
      response.writeHead(503).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    arm: () => new Promise((resolve) => (waiting = resolve)),
  };
}

/** A runner's environment for one main step, in a fresh temporary layout. */
function stepEnvironment(subject: Subject, root: string, endpoint: string): Record<string, string> {
  const manifest = loadManifest(locateAction(subject.action, REPO_ROOT));
  const layout = {
    workspace: join(root, 'workspace'),
    runnerTemp: join(root, 'runner-temp'),
    toolCache: join(root, 'tool-cache'),
    eventPath: join(root, 'event.json'),
    actionPath: manifest.dir,
    actionName: subject.action,
    sha: FAKE_SHA,
  };
  for (const dir of [layout.workspace, layout.runnerTemp, layout.toolCache]) mkdirSync(dir);
  writeFileSync(layout.eventPath, '{}');
  subject.prepare?.(layout.workspace);
  const runner = { ...hostBasics(process.env), ...runnerDefaults(layout) };
  const inputs = resolveInputs(manifest.inputs, subject.inputs, expressionContext(runner));
  return {
    ...runner,
    ...stageFileEnv(createStageFiles(join(root, 'files'))),
    ...inputs.env,
    ...AWS_ENV,
    AWS_ENDPOINT_URL: endpoint,
  };
}

const NODE = requireNode24(REPO_ROOT);

/** Spawn to first AWS request, in milliseconds; the action's output when it exits before calling. */
async function timeToFirstCall(
  subject: Subject,
  server: FirstRequest,
): Promise<{ ms: number; what: string }> {
  const root = mkdtempSync(join(tmpdir(), `bench-startup-${subject.action}-`));
  try {
    const env = stepEnvironment(subject, root, server.url);
    const bundle = join(REPO_ROOT, 'actions', subject.action, 'dist', 'index.js');
    const first = server.arm();
    const start = process.hrtime.bigint();
    const child = spawn(NODE, [bundle], {
      env,
      cwd: env['GITHUB_WORKSPACE'],
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<never>((_, reject) =>
      child.on('exit', (code) =>
        reject(new Error(`${subject.action} exited (${code}) before any AWS call:\n${output.slice(-2000)}`)),
      ),
    );
    try {
      const { at, what } = await Promise.race([first, exited]);
      return { ms: Number(at - start) / 1e6, what };
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) =>
        child.exitCode === null && child.signalCode === null
          ? child.once('exit', resolve)
          : resolve(undefined),
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Spawn to exit of `node -e ""`: Node's own start-up on this machine. */
async function bareNode(): Promise<number> {
  const start = process.hrtime.bigint();
  await new Promise((resolve, reject) => spawn(NODE, ['-e', '']).once('exit', resolve).once('error', reject));
  return Number(process.hrtime.bigint() - start) / 1e6;
}

interface Figures {
  name: string;
  samples: number[];
  note: string;
}

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function print(rows: readonly Figures[], runs: number): void {
  const version = execFileSync(NODE, ['--version']).toString().trim();
  console.log(`\nprocess start to first AWS call, bundles under Node ${version}, ${runs} runs each\n`);
  console.log(`${'action'.padEnd(18)} ${'median ms'.padStart(10)} ${'range ms'.padStart(16)}   first call`);
  for (const row of rows) {
    const sorted = [...row.samples].sort((a, b) => a - b);
    const range = `${(sorted[0] ?? 0).toFixed(0)}-${(sorted.at(-1) ?? 0).toFixed(0)}`;
    console.log(
      `${row.name.padEnd(18)} ${median(sorted).toFixed(0).padStart(10)} ${range.padStart(16)}   ${row.note}`,
    );
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const subjects = SUBJECTS.filter((s) => options.only === undefined || s.action === options.only);
  if (subjects.length === 0)
    throw new Error(`--action must be one of ${SUBJECTS.map((s) => s.action).join(', ')}`);
  const server = await startFirstRequestServer();
  const rows: Figures[] = [];
  try {
    const reference: number[] = [];
    for (let i = 0; i < options.runs; i++) reference.push(await bareNode());
    rows.push({ name: 'node -e ""', samples: reference, note: '(spawn to exit, for reference)' });
    for (const subject of subjects) {
      const samples: number[] = [];
      let what = '';
      for (let i = 0; i < options.runs; i++) {
        const result = await timeToFirstCall(subject, server);
        samples.push(result.ms);
        what = result.what;
      }
      rows.push({ name: subject.action, samples, note: what });
    }
  } finally {
    server.server.closeAllConnections();
    server.server.close();
  }
  print(rows, options.runs);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
