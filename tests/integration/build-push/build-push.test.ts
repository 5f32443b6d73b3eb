/**
 * The bundled build-push action, run as the runner runs it, against moto's ECR. A fake `buildah`
 * and `docker` on PATH record their calls and play the registry's part (a push stores the image
 * through PutImage), so ECR's view after a run is what it is after a real push.
 */
import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  CreateRepositoryCommand,
} from '@aws-sdk/client-ecr';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type RunActionResult } from '../../support/harness';
import { startStack, type Stack } from '../../support/stack';

const FAKES = join(__dirname, 'fake-tools');
// What moto's GetAuthorizationToken hands out for its default account.
const PASSWORD = '123456789012-auth-token';
const TOKEN = Buffer.from(`AWS:${PASSWORD}`).toString('base64');
const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const SECRET = 's3cr3t-model-hub-token';

interface Call {
  tool: string;
  args: string[];
  cmdline: string[];
  stdin?: string;
  secrets?: Record<string, string>;
}

// Each run starts Node 24 for main and post; a few runs per test.
jest.setTimeout(60_000);

let stack: Stack;
let ecr: ECRClient;
let root: string;

beforeAll(async () => {
  stack = await startStack();
  ecr = new ECRClient({
    endpoint: stack.endpoints.moto,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  root = mkdtempSync(join(tmpdir(), 'build-push-it-'));
}, 60_000);

afterAll(async () => {
  ecr?.destroy();
  await stack?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

let runs = 0;

/** A fresh workspace holding a small Dockerfile, and a fresh call log. */
function workspace(dockerfile = 'FROM scratch\nARG MODEL_VERSION\nCOPY model.txt /model.txt\n') {
  const dir = join(root, `run-${++runs}`);
  mkdirSync(join(dir, 'ws'), { recursive: true });
  mkdirSync(join(dir, 'state'));
  mkdirSync(join(dir, 'docker'));
  writeFileSync(join(dir, 'ws', 'Dockerfile'), dockerfile);
  writeFileSync(join(dir, 'ws', 'model.txt'), `weights ${runs}\n`);
  return dir;
}

async function buildPush(
  dir: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<{ result: RunActionResult; calls: Call[] }> {
  const log = join(dir, 'calls.jsonl');
  const result = await runAction({
    action: 'build-push',
    workspace: join(dir, 'ws'),
    inputs,
    env: {
      ...stack.env,
      PATH: `${FAKES}:${process.env.PATH ?? ''}`,
      FAKE_BUILDER_LOG: log,
      FAKE_BUILDER_STATE: join(dir, 'state'),
      FAKE_REGISTRY_PASSWORD: PASSWORD,
      DOCKER_CONFIG: join(dir, 'docker'),
      ...env,
    },
  });
  const calls = existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Call)
    : [];
  return { result, calls };
}

async function ecrDigestOf(
  repository: string,
  tag: string,
): Promise<{ digest: string | undefined; tags: string[] }> {
  const answer = await ecr.send(
    new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }),
  );
  const image = answer.imageDetails?.[0];
  return { digest: image?.imageDigest, tags: image?.imageTags ?? [] };
}

const failure = (result: RunActionResult) =>
  result.annotations.find((a) => a.level === 'error')?.message ?? '';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

test('buildah: creates the repository, pushes every tag, outputs the digest ECR stores; the token only ever on stdin', async () => {
  const dir = workspace();
  const { result, calls } = await buildPush(dir, {
    repository: 'ml/fraud',
    tags: 'v1\nlatest',
    'build-args': 'MODEL_VERSION=v1',
    secrets: `hub_token=${SECRET}`,
    'create-repository': 'true',
  });
  expect(failure(result)).toBe('');
  expect(result.exitCode).toBe(0);

  const stored = await ecrDigestOf('ml/fraud', 'v1');
  expect(stored.tags.sort()).toEqual(['latest', 'v1']);
  expect(result.outputs).toEqual({
    image: `${REGISTRY}/ml/fraud@${stored.digest}`,
    'image-uri': `${REGISTRY}/ml/fraud:v1`,
    digest: stored.digest,
    tags: JSON.stringify([`${REGISTRY}/ml/fraud:v1`, `${REGISTRY}/ml/fraud:latest`]),
    registry: REGISTRY,
    skipped: 'false',
    'scan-findings': '{}',
  });
  const repo = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['ml/fraud'] }));
  expect(repo.repositories?.[0]?.imageScanningConfiguration?.scanOnPush).toBe(true);

  expect(calls.map((c) => `${c.tool} ${c.args[0]}`)).toEqual([
    'buildah login',
    'buildah build',
    'buildah push',
    'buildah push',
    'buildah logout',
  ]);
  // The password reached the builder on stdin and nowhere on any command line.
  expect(calls[0]?.stdin).toBe(PASSWORD);
  for (const call of calls) {
    const cmdline = call.cmdline.join(' ');
    for (const secret of [PASSWORD, TOKEN, SECRET]) expect(cmdline).not.toContain(secret);
  }
  // The build secret arrived as a file the builder could read, not as an argument.
  expect(calls[1]?.secrets).toEqual({ hub_token: sha256(SECRET) });
  expect(calls[1]?.args).toEqual(expect.arrayContaining(['--build-arg', 'MODEL_VERSION=v1']));

  for (const text of [result.stdout, result.summary]) {
    for (const secret of [PASSWORD, TOKEN, SECRET]) expect(text).not.toContain(secret);
  }
  expect(result.masked).toEqual(expect.arrayContaining([PASSWORD, TOKEN, SECRET]));
  expect(result.summary).toContain(`${REGISTRY}/ml/fraud@${stored.digest}`);
  expect(result.summary).toMatch(/build time \| \d+\.\d s/);
  expect(result.summary).toContain('cache hits | 0 of 2 steps');

  // The post step logged out and removed the work folder with the auth file.
  expect(result.postExitCode).toBe(0);
  expect(result.state['workDir']).toBeDefined();
  expect(existsSync(result.state['workDir'] ?? '/')).toBe(false);
  expect(result.stdout).toContain(`Logged out of ${REGISTRY}`);
});

test('skip-if-exists: a second run builds nothing and outputs the stored digest', async () => {
  const dir = workspace();
  const inputs = { repository: 'ml/skip', tags: 'v7', 'create-repository': 'true', 'skip-if-exists': 'true' };
  const first = await buildPush(dir, inputs);
  expect(first.result.outputs['skipped']).toBe('false');

  const second = await buildPush(workspace(), inputs);
  expect(second.result.exitCode).toBe(0);
  expect(second.calls).toEqual([]);
  expect(second.result.outputs['skipped']).toBe('true');
  expect(second.result.outputs['digest']).toBe(first.result.outputs['digest']);
  expect(second.result.outputs['image']).toBe(first.result.outputs['image']);
  expect(second.result.summary).toContain('skipped: the first tag already exists');
});

test('immutable tags: an existing tag fails with a clear message before anything is built', async () => {
  await ecr.send(
    new CreateRepositoryCommand({ repositoryName: 'ml/frozen', imageTagMutability: 'IMMUTABLE' }),
  );
  const inputs = { repository: 'ml/frozen', tags: 'v1' };
  const first = await buildPush(workspace(), inputs);
  expect(first.result.exitCode).toBe(0);
  // The cache is not written: its tag would be rewritten on every build.
  const build = first.calls.find((c) => c.args[0] === 'build');
  expect(build?.args).toContain('--cache-from');
  expect(build?.args).not.toContain('--cache-to');

  const second = await buildPush(workspace(), inputs);
  expect(second.result.exitCode).toBe(1);
  expect(failure(second.result)).toContain("Tag 'v1' already exists in ml/frozen, whose tags are immutable");
  expect(second.calls.filter((c) => c.args[0] === 'build')).toEqual([]);
});

test('docker with buildx where a daemon answers: one buildx command with the cache options ECR accepts', async () => {
  const dir = workspace();
  const inputs = { repository: 'ml/docker', tags: 'd1\nd2', 'create-repository': 'true' };
  const env = { FAKE_DOCKER_DAEMON: 'up' };
  const { result, calls } = await buildPush(dir, inputs, env);
  expect(failure(result)).toBe('');
  const stored = await ecrDigestOf('ml/docker', 'd2');
  expect(result.outputs['digest']).toBe(stored.digest);

  expect(calls.map((c) => `${c.tool} ${c.args.slice(0, 2).join(' ')}`)).toEqual([
    'docker login --username',
    'docker buildx build',
    'docker logout ' + REGISTRY,
  ]);
  expect(calls[0]?.stdin).toBe(PASSWORD);
  const args = calls[1]?.args ?? [];
  expect(args).toEqual(
    expect.arrayContaining([
      '--provenance=false',
      '--push',
      '--cache-to',
      `type=registry,ref=${REGISTRY}/ml/docker:buildcache,mode=max,image-manifest=true,oci-mediatypes=true`,
    ]),
  );
  // Logged out in the post step: the credentials login wrote are gone.
  const config = JSON.parse(readFileSync(join(dir, 'docker', 'config.json'), 'utf8')) as { auths: object };
  expect(config.auths).toEqual({});

  // The same build again: the engine's cache hits reach the summary.
  const again = await buildPush(dir, { ...inputs, tags: 'd3' }, env);
  expect(again.result.summary).toContain('cache hits | 3 of 3 steps');
});

describe('scan gate against moto', () => {
  test("moto's HIGH finding fails a HIGH gate, with the findings in the summary", async () => {
    const { result } = await buildPush(workspace(), {
      repository: 'ml/gated',
      tags: 'g1',
      'create-repository': 'true',
      'fail-on-severity': 'high',
    });
    expect(result.exitCode).toBe(1);
    expect(failure(result)).toMatch(
      /The scan of .*ml\/gated@sha256:[a-f0-9]{64} found 1 HIGH: at or above HIGH, the gate fails/,
    );
    expect(result.summary).toContain('Findings that fail the gate');
    expect(result.summary).toContain('| HIGH | CVE-9999-9999');
    // The image was pushed: its outputs are there for whoever wants to look at it.
    expect(result.outputs['scan-findings']).toBe('{"HIGH":1}');
    expect(result.outputs['digest']).toMatch(/^sha256:/);
  });

  test('a CRITICAL gate lets the same findings pass and reports their counts', async () => {
    const { result } = await buildPush(workspace(), {
      repository: 'ml/gated-critical',
      tags: 'g1',
      'create-repository': 'true',
      'fail-on-severity': 'CRITICAL',
    });
    expect(failure(result)).toBe('');
    expect(result.outputs['scan-findings']).toBe('{"HIGH":1}');
    expect(result.summary).toContain('COMPLETE: HIGH 1');
  });

  test('a FAILED scan fails the gate, naming the status', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'ml/scan-failed' }));
    const response = await fetch(`${stack.endpoints.moto}/moto-api/static/ecr/scan-finding-results`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        region: 'us-east-1',
        results: [
          {
            registryId: '123456789012',
            repositoryName: 'ml/scan-failed',
            imageId: { imageTag: 'f1' },
            imageScanStatus: {
              status: 'FAILED',
              description: 'UnsupportedImageError: no package manager found',
            },
          },
        ],
      }),
    });
    expect(response.ok).toBe(true);
    const { result } = await buildPush(workspace(), {
      repository: 'ml/scan-failed',
      tags: 'f1',
      'fail-on-severity': 'LOW',
    });
    expect(result.exitCode).toBe(1);
    expect(failure(result)).toContain('ended with FAILED (UnsupportedImageError: no package manager found)');
  });
});

describe('fails before anything runs', () => {
  test.each([
    [{ file: 'missing/Dockerfile' }, "Input 'file' must name an existing file"],
    [{ repository: 'ML/Upper' }, "Input 'repository' must be an ECR repository name"],
    [{ tags: 'ok\n.bad' }, "Input 'tags' has '.bad', which is not a valid tag"],
    [{ engine: 'podman' }, "Input 'engine' must be one of auto, docker, buildah"],
  ])('%p', async (overrides, message) => {
    const { result, calls } = await buildPush(workspace(), {
      repository: 'ml/never',
      tags: 'v1',
      ...overrides,
    });
    expect(result.exitCode).toBe(1);
    expect(failure(result)).toContain(message);
    expect(calls).toEqual([]);
  });

  test('a repository that does not exist, without create-repository', async () => {
    const { result, calls } = await buildPush(workspace(), { repository: 'ml/absent', tags: 'v1' });
    expect(failure(result)).toContain(
      "Input 'repository' names 'ml/absent', which does not exist in this registry; create it, or set create-repository: true",
    );
    expect(calls).toEqual([]);
  });
});
