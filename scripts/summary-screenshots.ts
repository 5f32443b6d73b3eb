/**
 * `npm run summary-screenshots`: runs each bundled action into a failure on the local AWS stack
 * (moto and the scenario simulator, through the runner harness), renders the job summary it wrote
 * as GitHub-flavoured Markdown into a page styled like a job summary, and screenshots it with
 * headless Chromium into docs/summaries/<action>-<case>.png, which the actions' READMEs show.
 *
 * Needs Chromium and a colour emoji font from Debian (`apt-get install -y chromium
 * fonts-noto-color-emoji`; installed here when missing, as root) and the Debian packages of scripts/install-debian-deps.sh for the stack.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import MarkdownIt from 'markdown-it';
import { chromium } from 'playwright-core';
import { runAction, type RunActionResult } from '../tests/support/harness';
import { startStack, type Stack } from '../tests/support/stack';
import { generateDagTree } from '../tests/integration/sync-dags/dag-tree';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'docs', 'summaries');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** Virtual seconds per real second in the simulator and in the action's clock. */
const SPEED = 300;

interface Shot {
  file: string;
  run: (stack: Stack, scratch: string) => Promise<RunActionResult>;
}

const SHOTS: Shot[] = [
  { file: 'build-push-dockerfile-error.png', run: dockerfileError },
  { file: 'deploy-ecs-rolled-back.png', run: ecsRolledBack },
  { file: 'deploy-beanstalk-rolled-back.png', run: beanstalkRolledBack },
  { file: 'sync-dags-mwaa-update-failed.png', run: mwaaUpdateFailed },
];

/** A Dockerfile that copies a file the context does not hold, built by the integration tests' fake buildah. */
async function dockerfileError(stack: Stack, scratch: string): Promise<RunActionResult> {
  const workspace = join(scratch, 'build-push');
  mkdirSync(join(workspace, 'ws'), { recursive: true });
  mkdirSync(join(workspace, 'state'));
  mkdirSync(join(workspace, 'bin'));
  writeFileSync(
    join(workspace, 'ws', 'Dockerfile'),
    'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirments.txt .\n',
  );
  const settings = join(workspace, 'fake.json');
  writeFileSync(
    settings,
    JSON.stringify({
      log: join(workspace, 'calls.jsonl'),
      state: join(workspace, 'state'),
      password: '123456789012-auth-token',
      moto: stack.env['STACK_MOTO_URL'],
    }),
  );
  const fake = join(ROOT, 'tests', 'integration', 'build-push', 'fake-tools', 'fake-builder.cjs');
  const wrapper = join(workspace, 'bin', 'buildah');
  writeFileSync(wrapper, `#!/bin/sh\nexec node '${fake}' '${settings}' buildah "$@"\n`);
  chmodSync(wrapper, 0o755);
  return runAction({
    action: 'build-push',
    workspace: join(workspace, 'ws'),
    inputs: {
      repository: 'ml/fraud-model',
      tags: 'v1.4.0\nlatest',
      'create-repository': 'true',
      engine: 'buildah',
    },
    env: { ...stack.env, PATH: `${join(workspace, 'bin')}:${process.env.PATH ?? ''}` },
  });
}

/** A new image whose tasks crash: the circuit breaker rolls the service back. */
async function ecsRolledBack(stack: Stack): Promise<RunActionResult> {
  const name = 'fraud-api';
  await stack.simulator.choose('ecs', name, 'rollback-by-circuit-breaker');
  await stack.simulator.seed('ecs', {
    serviceName: name,
    taskDefinition: {
      family: name,
      containerDefinitions: [{ name: 'model', image: `registry.local/${name}:1`, memory: 512 }],
    },
  });
  return runAction({
    action: 'deploy-ecs',
    inputs: { service: name, 'container-name': 'model', image: `registry.local/${name}:2` },
    env: stack.env,
    clockSpeed: SPEED,
    timeoutMs: 120_000,
  });
}

/** Every instance fails the deployment: the environment goes back to v0. */
async function beanstalkRolledBack(stack: Stack, scratch: string): Promise<RunActionResult> {
  const s3 = motoS3(stack);
  await s3.send(new CreateBucketCommand({ Bucket: 'elasticbeanstalk-us-east-1-123456789012' }));
  await stack.simulator.choose('elasticbeanstalk', 'insurance-prod', 'deploy-fails');
  await stack.simulator.seed('elasticbeanstalk', {
    ApplicationName: 'insurance',
    VersionLabel: 'v0',
    EnvironmentName: 'insurance-prod',
    CreatedSecondsAgo: 3600,
  });
  s3.destroy();
  mkdirSync(join(scratch, 'beanstalk'));
  return runAction({
    action: 'deploy-beanstalk',
    workspace: join(scratch, 'beanstalk'),
    inputs: {
      'application-name': 'insurance',
      'environment-name': 'insurance-prod',
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1.4.0',
      'version-label': 'v1',
    },
    env: { ...stack.env, GITHUB_SHA: 'c0ffee1234567890c0ffee1234567890c0ffee12' },
    clockSpeed: SPEED,
    timeoutMs: 120_000,
  });
}

/** A requirements.txt MWAA cannot install: the update fails and MWAA rolls the environment back. */
async function mwaaUpdateFailed(stack: Stack, scratch: string): Promise<RunActionResult> {
  const workspace = join(scratch, 'sync-dags');
  generateDagTree(join(workspace, 'dags'), { files: 3 });
  writeFileSync(join(workspace, 'requirements.txt'), 'no-such-package==0.0.0\n');
  const bucket = 'airflow-prod-dags';
  const s3 = motoS3(stack);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  s3.destroy();
  await stack.simulator.seed('mwaa', {
    Name: 'airflow-prod',
    SourceBucketArn: `arn:aws:s3:::${bucket}`,
    DagS3Path: 'dags',
  });
  await stack.simulator.choose('mwaa', 'airflow-prod', 'update-fails-rollback');
  return runAction({
    action: 'sync-dags',
    workspace,
    inputs: { bucket, 'mwaa-environment': 'airflow-prod', requirements: 'requirements.txt' },
    env: stack.env,
    clockSpeed: SPEED,
    timeoutMs: 120_000,
  });
}

function motoS3(stack: Stack): S3Client {
  return new S3Client({
    endpoint: stack.env['STACK_MOTO_URL'] ?? '',
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/** A page that reads like a job summary: GitHub's system fonts, its table and quote styles, in its width. */
function page(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
main { width: 1012px; margin: 16px; padding: 16px 24px; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; }
h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0; margin: 8px 0 16px; }
h3 { font-size: 1.25em; margin: 24px 0 16px; }
blockquote { margin: 0 0 16px; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
table { border-collapse: collapse; margin-bottom: 16px; display: block; overflow: auto; }
th, td { padding: 6px 13px; border: 1px solid #d1d9e0; }
th { font-weight: 600; } tr:nth-child(2n) { background: #f6f8fa; }
code { font: 85% ui-monospace, SFMono-Regular, Menlo, monospace; background: #eff1f3; padding: .2em .4em; border-radius: 6px; }
ul { padding-left: 2em; margin: 0 0 16px; } p { margin: 0 0 16px; }
</style></head><body><main>${body}</main></body></html>`;
}

/** Chromium, and a colour emoji font so the summary's first character (✅ ❌ ⚠️) shows. */
const PACKAGES: Record<string, string> = {
  chromium: CHROMIUM,
  'fonts-noto-color-emoji': '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf',
};

function ensureDebianPackages(): void {
  const missing = Object.entries(PACKAGES)
    .filter(([, file]) => !existsSync(file))
    .map(([name]) => name);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`missing: apt-get install -y ${missing.join(' ')}`);
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit' });
}

async function main(): Promise<void> {
  ensureDebianPackages();
  mkdirSync(OUT, { recursive: true });
  const markdown = new MarkdownIt({ html: true, linkify: true });
  const scratch = mkdtempSync(join(tmpdir(), 'summary-screenshots-'));
  const stack = await startStack({ simulatorSpeed: SPEED });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    for (const shot of SHOTS) {
      const result = await shot.run(stack, scratch);
      if (result.summary.trim() === '') throw new Error(`${shot.file}: the run wrote no job summary`);
      const tab = await browser.newPage({ viewport: { width: 1080, height: 600 }, deviceScaleFactor: 1 });
      await tab.setContent(page(markdown.render(result.summary)));
      await tab.locator('main').screenshot({ path: join(OUT, shot.file) });
      await tab.close();
      console.log(`${shot.file}: ${result.summary.split('\n')[0]}`);
    }
  } finally {
    await browser.close();
    await stack.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
