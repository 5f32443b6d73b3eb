/**
 * The bundled build-push action, run as the runner runs it, against moto's ECR, with the fake
 * `buildah` and `docker` of tests/support/fake-builders on PATH: they record their calls and play
 * the registry's part, so ECR's view after a run is what it is after a real push.
 */
import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  CreateRepositoryCommand,
} from '@aws-sdk/client-ecr';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  armFakeBuilders,
  builderCalls,
  goneSoon,
  makeBuildFolder,
  MOTO_REGISTRY as REGISTRY,
  MOTO_REGISTRY_PASSWORD as PASSWORD,
  type BuilderCall as Call,
  type FakeBuilderSettings,
} from '../../support/fake-builders';
import { runAction, type RunActionOptions, type RunActionResult } from '../../support/harness';
import { startStack, type Stack } from '../../support/stack';
import { renderSummary } from '../../support/rendered-summary';

const TOKEN = Buffer.from(`AWS:${PASSWORD}`).toString('base64');
const SECRET = 's3cr3t-model-hub-token';

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

/** A fresh build folder holding a small Dockerfile. */
function workspace(dockerfile?: string) {
  runs++;
  return makeBuildFolder(join(root, `run-${runs}`), dockerfile, `weights ${runs}\n`);
}

interface RunOptions extends Omit<FakeBuilderSettings, 'moto'> {
  /** false: none of the stack's AWS_* variables (no region, no credentials). */
  aws?: boolean;
  cancel?: RunActionOptions['cancel'];
}

async function buildPush(
  dir: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  options: RunOptions = {},
): Promise<{ result: RunActionResult; calls: Call[] }> {
  const { aws, cancel, ...fake } = options;
  const builders = armFakeBuilders(dir, { ...fake, moto: stack.env['STACK_MOTO_URL'] ?? '' });
  const result = await runAction({
    action: 'build-push',
    workspace: join(dir, 'ws'),
    inputs,
    env: { ...(aws === false ? {} : stack.env), ...builders, ...env },
    ...(cancel === undefined ? {} : { cancel }),
  });
  return { result, calls: builderCalls(dir) };
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

// What a runner may hold that a Dockerfile must not reach (docs.github.com "Variables reference";
// the OIDC request variables of "Security hardening with OpenID Connect").
const RUNNER_SECRETS = {
  ACTIONS_RUNTIME_TOKEN: 'runtime-token-1',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-1',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.example/idtoken',
  ACTIONS_CACHE_URL: 'https://cache.example/',
  GITHUB_TOKEN: 'ghs_example_token',
  AWS_SESSION_TOKEN: 'session-token-1',
  AWS_WEB_IDENTITY_TOKEN_FILE: '/tmp/web-identity-token',
};

test('buildah: creates the repository, pushes every tag, outputs the digest ECR stores; the token only ever on stdin', async () => {
  const dir = workspace();
  const { result, calls } = await buildPush(
    dir,
    {
      repository: 'ml/fraud',
      tags: 'v1\nlatest',
      'build-args': 'MODEL_VERSION=v1',
      secrets: `hub_token=${SECRET}`,
      'create-repository': 'true',
    },
    { ...RUNNER_SECRETS, HTTPS_PROXY: 'http://proxy.example:3128', LC_ALL: 'C.UTF-8' },
  );
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
    status: 'succeeded',
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
  // Every builder process got a scrubbed environment: what finds and configures it, nothing else.
  for (const call of calls) {
    const names = Object.keys(call.env);
    expect(names.filter((n) => /^(INPUT_|AWS_|ACTIONS_|GITHUB_|RUNNER_|STACK_)/.test(n))).toEqual([]);
    expect(call.env).toMatchObject({
      PATH: expect.stringContaining(join(dir, 'bin')),
      DOCKER_CONFIG: join(dir, 'docker'),
      HTTPS_PROXY: 'http://proxy.example:3128',
      LC_ALL: 'C.UTF-8',
    });
    for (const value of Object.values(RUNNER_SECRETS)) expect(JSON.stringify(call.env)).not.toContain(value);
  }
  // The build secret arrived as a file the builder could read, not as an argument.
  expect(calls[1]?.secrets).toEqual({ hub_token: sha256(SECRET) });
  expect(calls[1]?.args).toContain('--build-arg=MODEL_VERSION=v1');

  for (const text of [result.stdout, result.summary]) {
    for (const secret of [PASSWORD, TOKEN, SECRET]) expect(text).not.toContain(secret);
  }
  expect(result.masked).toEqual(expect.arrayContaining([PASSWORD, TOKEN, SECRET]));
  // The digest shortened where it is read, whole on hover and in the details block.
  expect(result.summary).toContain(`${REGISTRY}/ml/fraud@<code title="${stored.digest}">`);
  expect(result.summary).toContain(`${REGISTRY}/ml/fraud@${stored.digest}\n\n</details>`);
  expect(result.summary).toMatch(/\*\*build time:\*\* \d+\.\d s/);
  expect(result.summary).toContain('**cache hits:** 0 of 2 steps');

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
  expect(build?.args).toContain(`--cache-from=${REGISTRY}/ml/frozen`);
  expect(build?.args.some((a) => a.startsWith('--cache-to'))).toBe(false);

  const second = await buildPush(workspace(), inputs);
  expect(second.result.exitCode).toBe(1);
  expect(failure(second.result)).toContain("Tag 'v1' already exists in ml/frozen, whose tags are immutable");
  expect(second.calls.filter((c) => c.args[0] === 'build')).toEqual([]);
});

test('docker with buildx where a daemon answers: one buildx command with the cache options ECR accepts', async () => {
  const dir = workspace();
  const inputs = { repository: 'ml/docker', tags: 'd1\nd2', 'create-repository': 'true' };
  const { result, calls } = await buildPush(dir, inputs, {}, { daemon: 'up' });
  expect(failure(result)).toBe('');
  const stored = await ecrDigestOf('ml/docker', 'd2');
  expect(result.outputs['digest']).toBe(stored.digest);

  // The builder's driver is asked first: a docker-container builder exports the registry cache.
  expect(calls.map((c) => `${c.tool} ${c.args.slice(0, 2).join(' ')}`)).toEqual([
    'docker buildx inspect',
    'docker login --username=AWS',
    'docker buildx build',
    'docker logout ' + REGISTRY,
  ]);
  expect(calls[1]?.stdin).toBe(PASSWORD);
  const args = calls[2]?.args ?? [];
  expect(args).toEqual(
    expect.arrayContaining([
      '--provenance=false',
      '--push',
      `--cache-to=type=registry,ref=${REGISTRY}/ml/docker:buildcache,mode=max,image-manifest=true,oci-mediatypes=true`,
    ]),
  );
  // Logged out in the post step: the credentials login wrote are gone.
  const config = JSON.parse(readFileSync(join(dir, 'docker', 'config.json'), 'utf8')) as { auths: object };
  expect(config.auths).toEqual({});

  // The same build again: the engine's cache hits reach the summary.
  const again = await buildPush(dir, { ...inputs, tags: 'd3' }, {}, { daemon: 'up' });
  expect(again.result.summary).toContain('**cache hits:** 3 of 3 steps');
});

test('push: false with two tags and no AWS credentials or region: exit 0, no login, both tags on the local image', async () => {
  const dir = workspace();
  // An empty HOME: no shared AWS config or credentials files either.
  mkdirSync(join(dir, 'home'));
  const { result, calls } = await buildPush(
    dir,
    { repository: 'ml/pull-request', tags: 'pr-42\nsha-0123abc', push: 'false' },
    { HOME: join(dir, 'home') },
    { aws: false },
  );
  expect(failure(result)).toBe('');
  expect(result.exitCode).toBe(0);
  // No region: the ECR client could not even be made, so nothing in AWS was asked.
  expect(result.stdout).toContain(
    'No AWS region or credentials: the registry cache is not read, and nothing in AWS is asked',
  );
  // No login (nor logout in the post step): the build alone.
  expect(calls.map((c) => `${c.tool} ${c.args[0]}`)).toEqual(['buildah build']);
  expect(calls[0]?.local).toEqual(['ml/pull-request:pr-42', 'ml/pull-request:sha-0123abc']);
  expect(calls[0]?.args.some((a) => a.startsWith('--cache'))).toBe(false);
  expect(result.outputs).toMatchObject({
    'image-uri': 'ml/pull-request:pr-42',
    tags: JSON.stringify(['ml/pull-request:pr-42', 'ml/pull-request:sha-0123abc']),
    registry: '',
    skipped: 'false',
  });
  expect(result.outputs['digest']).toBeUndefined();
  expect(result.postExitCode).toBe(0);
});

test('push: false with docker: --load with both tags', async () => {
  const dir = workspace();
  const { result, calls } = await buildPush(
    dir,
    { repository: 'ml/pull-request-docker', tags: 'pr-43\nsha-4567def', push: 'false', cache: 'false' },
    {},
    { aws: false, daemon: 'up' },
  );
  expect(result.exitCode).toBe(0);
  const build = calls.find((c) => c.args[1] === 'build');
  expect(build?.args).toContain('--load');
  expect(build?.local).toEqual(['ml/pull-request-docker:pr-43', 'ml/pull-request-docker:sha-4567def']);
});

describe('the gate holds release tags (moto ECR, read back with the SDK)', () => {
  // moto's default scan finds one HIGH: a CRITICAL gate passes it, a HIGH gate fails it.
  test('a failing gate leaves latest where it was; a passing gate moves it', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'ml/release' }));
    const first = await buildPush(workspace(), {
      repository: 'ml/release',
      tags: 'r1\nlatest',
      'fail-on-severity': 'CRITICAL',
    });
    expect(failure(first.result)).toBe('');
    const d1 = first.result.outputs['digest'];
    expect((await ecrDigestOf('ml/release', 'latest')).digest).toBe(d1);
    // Gated: the builder pushed the candidate only; latest came through PutImage after the scan.
    expect(first.calls.filter((c) => c.args[0] === 'push').map((c) => c.args.at(-1))).toEqual([
      `docker://${REGISTRY}/ml/release:r1`,
    ]);

    const failing = await buildPush(workspace(), {
      repository: 'ml/release',
      tags: 'r2\nlatest',
      'fail-on-severity': 'HIGH',
    });
    expect(failing.result.exitCode).toBe(1);
    expect(failure(failing.result)).toContain('found 1 HIGH: at or above HIGH, the gate fails');
    const d2 = failing.result.outputs['digest'];
    expect(d2).not.toBe(d1);
    expect((await ecrDigestOf('ml/release', 'latest')).digest).toBe(d1);
    expect(await ecrDigestOf('ml/release', 'r2')).toEqual({ digest: d2, tags: ['r2'] });
    expect(failing.result.summary).toContain(
      'The gate failed, so these tags were left where they were: latest.',
    );
    expect(failing.result.outputs['tags']).toBe(JSON.stringify([`${REGISTRY}/ml/release:r2`]));

    const passing = await buildPush(workspace(), {
      repository: 'ml/release',
      tags: 'r3\nlatest',
      'fail-on-severity': 'CRITICAL',
    });
    expect(failure(passing.result)).toBe('');
    const d3 = passing.result.outputs['digest'];
    expect(await ecrDigestOf('ml/release', 'latest')).toEqual({
      digest: d3,
      tags: expect.arrayContaining(['r3', 'latest']),
    });
  });

  test('immutable tags: a passing gate adds the held tags with PutImage', async () => {
    await ecr.send(
      new CreateRepositoryCommand({ repositoryName: 'ml/release-frozen', imageTagMutability: 'IMMUTABLE' }),
    );
    const { result } = await buildPush(workspace(), {
      repository: 'ml/release-frozen',
      tags: 'v1.0.0\nstable',
      'fail-on-severity': 'CRITICAL',
    });
    expect(failure(result)).toBe('');
    const stored = await ecrDigestOf('ml/release-frozen', 'stable');
    expect(stored.digest).toBe(result.outputs['digest']);
    expect(stored.tags.sort()).toEqual(['stable', 'v1.0.0']);
  });
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
    // Headed as the failed gate it is, never as a successful push.
    const shown = renderSummary(result.summary);
    expect(shown.headline).toMatch(
      /^❌ build-push failed: the scan gate failed: ml\/gated@sha256:[a-f0-9]{8}… has 1 HIGH/,
    );
    expect(shown.headline).not.toContain('pushed');
    expect(shown.quote).toContain('HIGH CVE-9999-9999');
    expect(shown.quoteAt).toBeLessThan(shown.tableAt);
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

test('a Dockerfile error: the step fails with the builder’s error, in the log and in a summary of its own', async () => {
  const { result } = await buildPush(workspace('FROM scratch\nCOPY requirments.txt /app/\n'), {
    repository: 'ml/typo',
    tags: 'v1',
    'create-repository': 'true',
  });
  expect(result.exitCode).toBe(1);
  expect(failure(result)).toBe('buildah build failed (exit code 1)');
  const shown = renderSummary(result.summary);
  // The builder's own error line is the cause, in the first line.
  expect(shown.headline).toMatch(
    /^❌ build-push failed: building and pushing ml\/typo stopped: buildah build failed \(exit code 1\): Error: building at STEP "COPY requirments\.txt \/app\/"/,
  );
  expect(shown.quote).toContain('copier: stat: "/requirments.txt": no such file or directory');
  expect(result.outputs).toEqual({ status: 'failed' });
});

describe('fails before anything runs', () => {
  test.each([
    [{ file: 'missing/Dockerfile' }, "Input 'file' must name an existing file"],
    [{ repository: 'ML/Upper' }, "Input 'repository' must be an ECR repository name"],
    [{ tags: 'ok\n.bad' }, "Input 'tags' has '.bad', which is not a valid tag"],
    [{ engine: 'podman' }, "Input 'engine' must be one of auto, docker, buildah"],
    [{ target: '--help' }, "Input 'target' has '--help', which is not a build stage name"],
    [{ tags: '--push' }, "Input 'tags' has '--push', which is not a valid tag"],
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

test('build-timeout-minutes: a builder that hangs is stopped with its whole process group, one line naming the deadline', async () => {
  const dir = workspace();
  const { result, calls } = await buildPush(
    dir,
    { repository: 'ml/hangs', tags: 'v1', 'create-repository': 'true', 'build-timeout-minutes': '0.1' },
    {},
    { hang: 'build' },
  );
  expect(result.exitCode).toBe(1);
  expect(failure(result)).toBe(
    'buildah build was stopped: the builder ran past build-timeout-minutes (0.1 minutes); its whole process group was killed',
  );
  expect(result.outputs['status']).toBe('failed');
  const pids = calls.find((call) => call.pids !== undefined)?.pids ?? [];
  expect(pids).toHaveLength(2);
  for (const pid of pids) expect({ pid, gone: await goneSoon(pid) }).toEqual({ pid, gone: true });
  const images = await ecr.send(new DescribeImagesCommand({ repositoryName: 'ml/hangs' }));
  expect(images.imageDetails).toEqual([]);
});

test("docker's default builder (docker driver, as on GitHub-hosted runners): an inline cache and a warning naming docker/setup-buildx-action", async () => {
  const dir = workspace();
  const inputs = { repository: 'ml/hosted-runner', tags: 'h1\nlatest', 'create-repository': 'true' };
  const { result, calls } = await buildPush(dir, inputs, {}, { daemon: 'up', driver: 'docker' });
  expect(failure(result)).toBe('');
  expect(result.outputs['status']).toBe('succeeded');
  expect(result.annotations).toContainEqual(
    expect.objectContaining({
      level: 'warning',
      message: expect.stringContaining('add a docker/setup-buildx-action step before this one'),
    }),
  );
  const build = calls.find((c) => c.args[1] === 'build');
  expect(build?.args.filter((a) => a.startsWith('--cache'))).toEqual([
    `--cache-from=type=registry,ref=${REGISTRY}/ml/hosted-runner:h1`,
    `--cache-from=type=registry,ref=${REGISTRY}/ml/hosted-runner:latest`,
    '--cache-to=type=inline',
  ]);
  expect((await ecrDigestOf('ml/hosted-runner', 'latest')).digest).toBe(result.outputs['digest']);

  // With the containerd image store the same driver exports the registry cache: no warning.
  const containerd = await buildPush(
    workspace(),
    { ...inputs, tags: 'h2' },
    {},
    { daemon: 'up', driver: 'docker', driverStatus: '[["driver-type","io.containerd.snapshotter.v1"]]' },
  );
  expect(containerd.result.annotations.filter((a) => a.level === 'warning')).toEqual([]);
  expect(containerd.calls.find((c) => c.args[1] === 'build')?.args).toContain(
    `--cache-to=type=registry,ref=${REGISTRY}/ml/hosted-runner:buildcache,mode=max,image-manifest=true,oci-mediatypes=true`,
  );
});

// The bound in the README: the scan wait ends within scan-timeout-minutes plus one call's deadline
// (30 s, retries included), so an ECR that stops answering cannot hold the step.
test('an ECR that never answers the scan read: the gated run ends with one line naming the call, within its bound', async () => {
  await stack.faults.configure({
    rules: [{ kind: 'never-answer', match: { service: 'ecr', operation: 'DescribeImageScanFindings' } }],
    resetStats: true,
  });
  try {
    const dir = workspace();
    const builders = armFakeBuilders(dir, { moto: stack.env['STACK_MOTO_URL'] ?? '' });
    const result = await runAction({
      action: 'build-push',
      workspace: join(dir, 'ws'),
      inputs: {
        repository: 'ml/silent-scan',
        tags: 'v1',
        'create-repository': 'true',
        'fail-on-severity': 'CRITICAL',
        'scan-timeout-minutes': '0.1',
      },
      env: { ...stack.env, ...builders },
      // scan-timeout-minutes, one call's deadline, and Node's start for main and post.
      timeoutMs: 6_000 + 30_000 + 30_000,
    });
    expect(result.stages.find((s) => s.timedOut)).toBeUndefined();
    expect(result.exitCode).toBe(1);
    expect(failure(result)).toMatch(/DescribeImageScanFindings got no answer within 30 s/);
    expect(result.outputs['status']).toBe('failed');
    expect((await stack.faults.read()).stats.faults['never-answer']).toBeGreaterThanOrEqual(1);
  } finally {
    await stack.faults.configure({ rules: [], resetStats: true });
  }
});
