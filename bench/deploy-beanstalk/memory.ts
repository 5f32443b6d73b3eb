/**
 * Peak memory of a whole deploy of a large package: `npx tsx bench/deploy-beanstalk/memory.ts [MiB]`.
 * Zips a folder of incompressible files (200 MiB by default), uploads it multipart to the local
 * stack, creates the version and deploys it, all through the bundled action, and prints the
 * action process's peak resident memory (the kernel's maxRSS). Figures are printed, never asserted.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { runAction } from '../../tests/support/harness';
import { startStack } from '../../tests/support/stack';

const SPEED = 300;
const megabytes = Number(process.argv[2] ?? 200);
const FILE_MIB = 10;

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-deploy-beanstalk-'));
  const stack = await startStack({ simulatorSpeed: SPEED });
  try {
    const app = join(work, 'workspace', 'app');
    mkdirSync(app, { recursive: true });
    for (let written = 0, i = 0; written < megabytes; written += FILE_MIB, i++) {
      const size = Math.min(FILE_MIB, megabytes - written) * 1024 * 1024;
      writeFileSync(join(app, `weights-${String(i).padStart(3, '0')}.bin`), randomBytes(size));
    }
    const peakFile = join(work, 'peak-rss');
    const preload = join(work, 'peak.cjs');
    writeFileSync(
      preload,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(peakFile)}, String(process.resourceUsage().maxRSS)));\n`,
    );
    const s3 = new S3Client({
      endpoint: stack.endpoints.moto,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-bundles' }));
    s3.destroy();
    await stack.simulator.seed('elasticbeanstalk', {
      ApplicationName: 'bench',
      VersionLabel: 'v0',
      EnvironmentName: 'bench-env',
    });

    const started = Date.now();
    const result = await runAction({
      action: 'deploy-beanstalk',
      workspace: join(work, 'workspace'),
      inputs: {
        'application-name': 'bench',
        'environment-name': 'bench-env',
        'version-label': 'large-1',
        'deployment-package': 'app',
        bucket: 'bench-bundles',
      },
      env: {
        ...stack.env,
        NODE_OPTIONS: `--require ${preload}${process.env.BENCH_EXTRA_REQUIRE ? ` --require ${process.env.BENCH_EXTRA_REQUIRE}` : ''}`,
      },
      clockSpeed: SPEED,
      timeoutMs: 600_000,
      onLog: (line) => {
        if (process.env.BENCH_LOG) console.log(`${Date.now() - started} ${line}`);
      },
    });
    const seconds = (Date.now() - started) / 1000;
    if (result.exitCode !== 0) {
      console.error(result.stdout);
      throw new Error(`the deploy failed with exit code ${result.exitCode}`);
    }
    const peakMiB = Number(readFileSync(peakFile, 'utf8')) / 1024;
    const uploaded = /Uploading ([\d.]+ \w+)/.exec(result.stdout)?.[1] ?? '?';
    console.log(
      `package          ${megabytes} MiB in ${Math.ceil(megabytes / FILE_MIB)} incompressible files`,
    );
    console.log(
      `bundle uploaded  ${uploaded} (multipart: 8 MiB parts, 2 in flight, each in a reused buffer)`,
    );
    console.log(`status           ${result.outputs.status}`);
    console.log(`whole deploy     ${seconds.toFixed(1)} s (zip, md5, upload, version, update)`);
    console.log(`peak RSS         ${peakMiB.toFixed(1)} MiB (budget 150 MiB)`);
  } finally {
    await stack.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
