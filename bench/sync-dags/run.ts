/**
 * `aws s3 sync` against sync-dags on the same local S3 (moto_server), 2,000 DAG-sized files:
 * a cold sync into an empty bucket, then a re-sync after a fresh checkout (every modification
 * time new, no content changed). Requests and bytes are counted at a proxy in front of moto.
 * Figures are printed, never asserted.  Run: npx tsx bench/sync-dags/run.ts [--files N]
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { runAction } from '../../tests/support/harness';
import { generateDagTree } from '../../tests/integration/sync-dags/dag-tree';
import { startCountingProxy, type Counts } from './counting-proxy';

const run = promisify(execFile);
const FILES = Number(process.argv[process.argv.indexOf('--files') + 1] || 2000) || 2000;
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
};

interface Row {
  tool: string;
  phase: string;
  seconds: number;
  counts: Counts;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startMoto(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) return { url, stop: () => child.kill('SIGTERM') };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGTERM');
  throw new Error('moto_server did not start');
}

function freshCheckout(root: string): void {
  const now = new Date();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) utimesSync(join(entry.parentPath, entry.name), now, now);
  }
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

interface Tool {
  name: string;
  sync: (dags: string, workspace: string, endpoint: string) => Promise<void>;
}

const TOOLS: readonly Tool[] = [
  {
    name: 'aws s3 sync',
    sync: async (dags, _workspace, endpoint) => {
      await run(
        'aws',
        ['s3', 'sync', dags, 's3://bench-dags/dags/', '--endpoint-url', endpoint, '--only-show-errors'],
        {
          env: { ...process.env, ...CREDENTIALS },
          maxBuffer: 64 * 1024 * 1024,
        },
      );
    },
  },
  {
    name: 'sync-dags',
    sync: async (_dags, workspace, endpoint) => {
      const result = await runAction({
        action: 'sync-dags',
        workspace,
        inputs: { bucket: 'bench-dags', validate: 'none' },
        env: { ...CREDENTIALS, AWS_ENDPOINT_URL: endpoint },
        timeoutMs: 600_000,
      });
      if (result.exitCode !== 0) throw new Error(`sync-dags failed:\n${result.stdout.slice(-3000)}`);
    },
  },
];

/**
 * Each tool gets its own fresh moto_server: moto slows down as it holds more objects, so sharing
 * one would favour whichever tool ran first.
 */
async function measureTool(tool: Tool, rows: Row[]): Promise<void> {
  const workspace = mkdtempSync(join(tmpdir(), 'bench-sync-dags-'));
  const dags = join(workspace, 'dags');
  generateDagTree(dags, { files: FILES });
  const moto = await startMoto();
  const proxy = await startCountingProxy(moto.url);
  try {
    const s3 = new S3Client({
      endpoint: moto.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-dags' }));
    s3.destroy();
    for (const phase of ['cold', 're-sync (fresh checkout)']) {
      if (phase !== 'cold') freshCheckout(dags);
      proxy.reset();
      const seconds = await timed(() => tool.sync(dags, workspace, proxy.url));
      rows.push({ tool: tool.name, phase, seconds, counts: proxy.counts() });
    }
  } finally {
    await proxy.close();
    moto.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const tool of TOOLS) await measureTool(tool, rows);
  print(rows);
}

function print(rows: readonly Row[]): void {
  console.log(`\n${FILES} DAG-sized files, moto_server on 127.0.0.1, counts at a proxy in front of it\n`);
  console.log(
    [
      'tool'.padEnd(12),
      'phase'.padEnd(26),
      'wall s'.padStart(8),
      'requests'.padStart(9),
      'bytes sent'.padStart(12),
      '  methods',
    ].join(' '),
  );
  for (const row of rows) {
    const methods = Object.entries(row.counts.byMethod)
      .map(([m, n]) => `${m} ${n}`)
      .join(', ');
    console.log(
      [
        row.tool.padEnd(12),
        row.phase.padEnd(26),
        row.seconds.toFixed(2).padStart(8),
        String(row.counts.requests).padStart(9),
        String(row.counts.bytesSent).padStart(12),
        `  ${methods}`,
      ].join(' '),
    );
  }
  for (const phase of ['cold', 're-sync (fresh checkout)']) {
    const cli = rows.find((r) => r.tool === 'aws s3 sync' && r.phase === phase);
    const ours = rows.find((r) => r.tool === 'sync-dags' && r.phase === phase);
    if (cli && ours)
      console.log(
        `${phase}: sync-dags is ${(cli.seconds / ours.seconds).toFixed(1)}x faster than aws s3 sync`,
      );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
