import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { Cancelled, DeployFailed, InputError, type RunTool, type ToolResult } from '@deploy-suite/kit';
import { redact } from '../../../packages/kit/src/secrets';
import { fakeClock, recordingLog } from '../../support/fakes';
import { mockClient } from 'aws-sdk-client-mock';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAndPush, newProgress, type Ports } from '../../../actions/build-push/src/build-push';
import { leftInFlight } from '../../../actions/build-push/src/report';
import type { Inputs } from '../../../actions/build-push/src/inputs';
import { cleanUp } from '../../../actions/build-push/src/post';

const REGISTRY = '210987654321.dkr.ecr.eu-west-1.amazonaws.com';
const PASSWORD = 'pw-from-ecr-71b2';
const TOKEN = Buffer.from(`AWS:${PASSWORD}`).toString('base64');
const DIGEST = `sha256:${'c'.repeat(64)}`;
const ecrMock = mockClient(ECRClient);
const named = (name: string) => Object.assign(new Error(name), { name });

const inputs = (overrides: Partial<Inputs> = {}): Inputs => ({
  repository: 'ml/model',
  context: '/ws',
  file: '/ws/Dockerfile',
  target: undefined,
  buildArgs: new Map(),
  secrets: new Map([['hub', 'hub-secret-9']]),
  labels: new Map(),
  platforms: [],
  tags: ['v1', 'latest'],
  engine: 'buildah',
  push: true,
  createRepository: false,
  tagMutability: 'MUTABLE',
  skipIfExists: false,
  cache: true,
  provenance: false,
  failOnSeverity: undefined,
  scanTimeoutMs: 60_000,
  buildTimeoutMs: 3_600_000,
  region: undefined,
  ...overrides,
});

interface Call {
  tool: string;
  args: readonly string[];
  stdin: string | undefined;
  env: Readonly<Record<string, string>> | undefined;
  inheritEnv: boolean | undefined;
  secretFile?: string;
}

const valueOf = (args: readonly string[], name: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

/** A builder that answers version checks, and writes the digest files a push would. */
function fakeBuilder(answer: (call: Call) => Partial<ToolResult> | undefined = () => undefined) {
  const calls: Call[] = [];
  const exec: RunTool = async (tool, args, run = {}) => {
    const call: Call = { tool, args, stdin: run.stdin, env: run.env, inheritEnv: run.inheritEnv };
    const secret = args.find((a) => a.startsWith('--secret=id=hub,src='));
    if (secret !== undefined) call.secretFile = secret.slice('--secret=id=hub,src='.length);
    calls.push(call);
    const custom = answer(call);
    if (custom !== undefined) return { exitCode: 0, stdout: '', stderr: '', ...custom };
    if (tool === 'docker' && args[0] === 'version') return { exitCode: 1, stdout: '', stderr: 'no daemon' };
    const digestFile = valueOf(args, 'digestfile');
    if (digestFile !== undefined) writeFileSync(digestFile, `${DIGEST}\n`);
    const metadata = valueOf(args, 'metadata-file');
    if (metadata !== undefined) writeFileSync(metadata, JSON.stringify({ 'containerimage.digest': DIGEST }));
    return {
      exitCode: 0,
      // Only a build prints steps.
      stdout: args[0] === 'build' ? 'STEP 1/2: FROM scratch\nSTEP 2/2: COPY a /a\n--> Using cache 1\n' : '',
      stderr: '',
    };
  };
  return { calls, exec };
}

function ports(exec: RunTool): Ports & { state: Map<string, string>; log: ReturnType<typeof recordingLog> } {
  const state = new Map<string, string>();
  return {
    ecr: new ECRClient({ region: 'eu-west-1' }),
    awsAvailable: async () => true,
    exec,
    clock: fakeClock(),
    log: recordingLog(),
    env: { RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'bp-unit-')) },
    saveState: (name, value) => state.set(name, value),
    state,
  };
}

beforeEach(() => {
  ecrMock.reset();
  ecrMock.on(GetAuthorizationTokenCommand).resolves({
    authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: `https://${REGISTRY}` }],
  });
  ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [{ imageTagMutability: 'MUTABLE' }] });
  ecrMock.on(DescribeImagesCommand).rejects(named('ImageNotFoundException'));
});

test('buildah: logs in on stdin, builds with the secret as a file, pushes every tag, reads the digest back', async () => {
  const builder = fakeBuilder();
  const p = ports(builder.exec);
  const result = await buildAndPush(inputs(), p);
  expect(builder.calls.map((c) => [c.tool, c.args[0]])).toEqual([
    ['buildah', '--version'],
    ['buildah', 'login'],
    ['buildah', 'build'],
    ['buildah', 'push'],
    ['buildah', 'push'],
  ]);
  const login = builder.calls[1];
  expect(login?.stdin).toBe(PASSWORD);
  for (const call of builder.calls) {
    expect(call.args.join(' ')).not.toMatch(new RegExp(`${PASSWORD}|${TOKEN}|hub-secret-9`));
  }
  // The secret file existed for the build only.
  expect(builder.calls[2]?.secretFile).toBeDefined();
  expect(existsSync(builder.calls[2]?.secretFile ?? '')).toBe(false);
  // Masked before first use: nothing written later can carry them.
  expect(redact(`${TOKEN} ${PASSWORD} hub-secret-9`)).toBe('*** *** ***');
  expect(result).toMatchObject({
    engine: 'buildah',
    digest: DIGEST,
    skipped: false,
    tagUris: [`${REGISTRY}/ml/model:v1`, `${REGISTRY}/ml/model:latest`],
    cache: { hits: 1, steps: 1 },
  });
  expect([...p.state.keys()]).toEqual(['engine', 'registry', 'workDir']);
});

test('auto picks docker where the daemon answers; the digest comes from the metadata file', async () => {
  const builder = fakeBuilder((call) =>
    call.tool === 'docker' && call.args[0] === 'version' ? { stdout: '27.0' } : undefined,
  );
  const result = await buildAndPush(inputs({ engine: 'auto' }), ports(builder.exec));
  expect(builder.calls.map((c) => `${c.tool} ${c.args.slice(0, 2).join(' ')}`)).toEqual([
    'docker version --format',
    'docker buildx version',
    'docker buildx inspect',
    'docker login --username=AWS',
    'docker buildx build',
  ]);
  expect(result.digest).toBe(DIGEST);
});

test('skip-if-exists: the first tag exists, so nothing is built or logged in; its digest is the output', async () => {
  ecrMock
    .on(DescribeImagesCommand, { repositoryName: 'ml/model', imageIds: [{ imageTag: 'v1' }] })
    .resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['v1'], imageSizeInBytes: 2048 }] });
  const builder = fakeBuilder();
  const result = await buildAndPush(inputs({ skipIfExists: true }), ports(builder.exec));
  expect(builder.calls.map((c) => c.args[0])).toEqual(['--version']);
  expect(result).toMatchObject({
    skipped: true,
    digest: DIGEST,
    sizeBytes: 2048,
    tagUris: [`${REGISTRY}/ml/model:v1`],
  });
  expect(result.notes).toEqual(['Tags not on the existing image, left as they are: latest.']);
});

test('immutable tags: a tag that exists fails before login, with a clear message', async () => {
  ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [{ imageTagMutability: 'IMMUTABLE' }] });
  ecrMock
    .on(DescribeImagesCommand, { repositoryName: 'ml/model', imageIds: [{ imageTag: 'latest' }] })
    .resolves({
      imageDetails: [{ imageDigest: DIGEST }],
    });
  const builder = fakeBuilder();
  const error = await buildAndPush(inputs(), ports(builder.exec)).catch((err: unknown) => err);
  expect(error).toBeInstanceOf(DeployFailed);
  expect((error as Error).message).toContain(
    "Tag 'latest' already exists in ml/model, whose tags are immutable",
  );
  expect(builder.calls.map((c) => c.args[0])).toEqual(['--version']);
});

test('immutable tags: the cache is read but not written', async () => {
  ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [{ imageTagMutability: 'IMMUTABLE' }] });
  const builder = fakeBuilder();
  const result = await buildAndPush(inputs(), ports(builder.exec));
  const build = builder.calls.find((c) => c.args[0] === 'build');
  expect(build?.args).toContain(`--cache-from=${REGISTRY}/ml/model`);
  expect(build?.args.some((a) => a.startsWith('--cache-to'))).toBe(false);
  expect(result.notes.join(' ')).toContain('Cache is read but not written');
});

test('a push refused for an immutable tag reads as such, not as a raw error', async () => {
  const builder = fakeBuilder((call) =>
    call.args[0] === 'push'
      ? {
          exitCode: 1,
          stderr:
            "tag invalid: The image tag 'v1' already exists in the 'ml/model' repository and cannot be overwritten because the repository is immutable.",
        }
      : undefined,
  );
  await expect(buildAndPush(inputs(), ports(builder.exec))).rejects.toThrow(
    'The push was refused: a tag already exists in a repository with immutable tags; use a new tag, or set skip-if-exists: true',
  );
});

test('a failed build names the engine and ends with the output as evidence', async () => {
  const builder = fakeBuilder((call) =>
    call.args[0] === 'build' ? { exitCode: 125, stderr: 'Error: no such file model.bin' } : undefined,
  );
  const error = (await buildAndPush(inputs(), ports(builder.exec)).catch(
    (err: unknown) => err,
  )) as DeployFailed;
  expect(error.message).toBe('buildah build failed (exit code 125)');
  expect(error.reasons).toEqual(['Error: no such file model.bin']);
});

test('a missing repository: created with scan on push when allowed, named in an input error otherwise', async () => {
  ecrMock.on(DescribeRepositoriesCommand).rejects(named('RepositoryNotFoundException'));
  ecrMock.on(CreateRepositoryCommand).resolves({});
  await expect(buildAndPush(inputs(), ports(fakeBuilder().exec))).rejects.toThrow(InputError);
  const result = await buildAndPush(
    inputs({ createRepository: true, tagMutability: 'IMMUTABLE' }),
    ports(fakeBuilder().exec),
  );
  expect(ecrMock.commandCalls(CreateRepositoryCommand)[0]?.args[0].input).toEqual({
    repositoryName: 'ml/model',
    imageTagMutability: 'IMMUTABLE',
    imageScanningConfiguration: { scanOnPush: true },
  });
  expect(result.notes[0]).toContain('Created repository ml/model');
});

test('a gate set: the scan of the pushed digest is awaited and its blocking counts returned', async () => {
  ecrMock.on(DescribeImageScanFindingsCommand, { imageId: { imageDigest: DIGEST } }).resolves({
    imageScanStatus: { status: 'COMPLETE' },
    imageScanFindings: { findingSeverityCounts: { CRITICAL: 1, LOW: 3 } },
  });
  const result = await buildAndPush(inputs({ failOnSeverity: 'HIGH' }), ports(fakeBuilder().exec));
  expect(result.scan?.blocking).toEqual([['CRITICAL', 1]]);
});

test('a scan that cannot be read is carried as the gate error, the push result kept', async () => {
  ecrMock.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: 'UNSUPPORTED_IMAGE' } });
  const result = await buildAndPush(inputs({ failOnSeverity: 'LOW' }), ports(fakeBuilder().exec));
  expect(result.digest).toBe(DIGEST);
  expect(result.scan?.error?.message).toContain('ended with UNSUPPORTED_IMAGE');
});

test('pushes that report different digests fail', async () => {
  let n = 0;
  const builder = fakeBuilder((call) => {
    if (call.args[0] !== 'push') return undefined;
    writeFileSync(valueOf(call.args, 'digestfile') ?? '', `sha256:${String(n++).repeat(64)}`);
    return {};
  });
  await expect(buildAndPush(inputs(), ports(builder.exec))).rejects.toThrow(
    'The tags were pushed with different digests',
  );
});

test('post: logs out with the auth file and removes the work folder; a failed logout only warns', async () => {
  const workDir = mkdtempSync(join(tmpdir(), 'bp-post-'));
  const state: Record<string, string> = { engine: 'buildah', registry: REGISTRY, workDir };
  const builder = fakeBuilder((call) =>
    call.args[0] === 'logout' ? { exitCode: 1, stderr: 'not logged in' } : undefined,
  );
  const log = recordingLog();
  await cleanUp({
    exec: builder.exec,
    log,
    env: { PATH: '/bin', AWS_SECRET_ACCESS_KEY: 'k' },
    getState: (name) => state[name] ?? '',
  });
  expect(builder.calls.map((c) => c.args)).toEqual([['logout', `--authfile=${workDir}/auth.json`, REGISTRY]]);
  expect(builder.calls[0]).toMatchObject({ env: { PATH: '/bin' }, inheritEnv: false });
  expect(existsSync(workDir)).toBe(false);
  expect(log.lines[0]).toBe(`warning: buildah logout from ${REGISTRY} ended with exit code 1: not logged in`);
});

test('post: nothing saved (main failed before login), nothing done', async () => {
  const builder = fakeBuilder();
  await cleanUp({ exec: builder.exec, log: recordingLog(), env: {}, getState: () => '' });
  expect(builder.calls).toEqual([]);
});

describe('push: false', () => {
  test('no AWS at hand: no ECR call, no login, every tag on the local image under the repository name', async () => {
    const builder = fakeBuilder();
    const p = { ...ports(builder.exec), awsAvailable: async () => false };
    const result = await buildAndPush(inputs({ push: false, tags: ['pr-7', 'sha1'] }), p);
    expect(ecrMock.calls()).toEqual([]);
    expect(builder.calls.map((c) => c.args[0])).toEqual(['--version', 'build']);
    const build = builder.calls[1]?.args ?? [];
    expect(build.filter((a) => a.startsWith('--tag='))).toEqual([
      '--tag=ml/model:pr-7',
      '--tag=ml/model:sha1',
    ]);
    expect(build.some((a) => a.startsWith('--cache'))).toBe(false);
    expect(result).toMatchObject({
      pushed: false,
      digest: undefined,
      tagUris: ['ml/model:pr-7', 'ml/model:sha1'],
    });
    expect(result.destination.registry).toBe('');
    // Only the work folder for the post step: no registry to log out of.
    expect([...p.state.keys()]).toEqual(['workDir']);
  });

  test('AWS at hand and cache on: logs in to read the cache, writes none, creates nothing', async () => {
    const builder = fakeBuilder();
    const result = await buildAndPush(inputs({ push: false }), ports(builder.exec));
    expect(ecrMock.calls().map((c) => c.args[0].constructor.name)).toEqual(['GetAuthorizationTokenCommand']);
    const build = builder.calls.find((c) => c.args[0] === 'build')?.args ?? [];
    expect(build).toContain(`--cache-from=${REGISTRY}/ml/model`);
    expect(build.some((a) => a.startsWith('--cache-to'))).toBe(false);
    expect(result.tagUris).toEqual([`${REGISTRY}/ml/model:v1`, `${REGISTRY}/ml/model:latest`]);
  });

  test('a refused cache login only warns: the build goes on under local names', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).rejects(named('AccessDeniedException'));
    const p = ports(fakeBuilder().exec);
    const result = await buildAndPush(inputs({ push: false }), p);
    expect(result.tagUris).toEqual(['ml/model:v1', 'ml/model:latest']);
    expect(p.log.lines).toContain('warning: The registry cache is not read: AccessDeniedException');
  });
});

describe('the scan gate holds the other tags until it passes', () => {
  const manifest = '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}';
  const OLD = `sha256:${'a'.repeat(64)}`;
  beforeEach(() => {
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [
        {
          imageManifest: manifest,
          imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        },
      ],
    });
    ecrMock.on(PutImageCommand).resolves({});
  });
  const scanFinds = (counts: Record<string, number>) =>
    ecrMock.on(DescribeImageScanFindingsCommand).resolves({
      imageScanStatus: { status: 'COMPLETE' },
      imageScanFindings: { findingSeverityCounts: counts },
    });
  const putTags = () => ecrMock.commandCalls(PutImageCommand).map((c) => c.args[0].input.imageTag);
  const pushedTags = (calls: Call[]) =>
    calls.filter((c) => c.args[0] === 'push').map((c) => c.args[c.args.length - 1]);

  test('passing: the candidate is pushed, then the others added with PutImage of the same manifest', async () => {
    scanFinds({ LOW: 2 });
    const builder = fakeBuilder();
    const result = await buildAndPush(inputs({ failOnSeverity: 'HIGH' }), ports(builder.exec));
    expect(pushedTags(builder.calls)).toEqual([`docker://${REGISTRY}/ml/model:v1`]);
    expect(ecrMock.commandCalls(PutImageCommand)[0]?.args[0].input).toEqual({
      repositoryName: 'ml/model',
      imageManifest: manifest,
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      imageDigest: DIGEST,
      imageTag: 'latest',
    });
    expect(result.tagUris).toEqual([`${REGISTRY}/ml/model:v1`, `${REGISTRY}/ml/model:latest`]);
  });

  test('failing: nothing but the new candidate names the image; the held tags are listed', async () => {
    scanFinds({ CRITICAL: 1 });
    const builder = fakeBuilder();
    const result = await buildAndPush(inputs({ failOnSeverity: 'HIGH' }), ports(builder.exec));
    expect(putTags()).toEqual([]);
    expect(result.tagUris).toEqual([`${REGISTRY}/ml/model:v1`]);
    expect(result.notes).toContain('The gate failed, so these tags were left where they were: latest.');
  });

  test('a re-run where every tag exists: the first tag goes back where it was when the gate fails', async () => {
    scanFinds({ CRITICAL: 1 });
    ecrMock
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'v1' }] })
      .resolves({ imageDetails: [{ imageDigest: OLD, imageTags: ['v1'] }] })
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'latest' }] })
      .resolves({ imageDetails: [{ imageDigest: OLD, imageTags: ['latest'] }] });
    const result = await buildAndPush(inputs({ failOnSeverity: 'HIGH' }), ports(fakeBuilder().exec));
    expect(ecrMock.commandCalls(BatchGetImageCommand)[0]?.args[0].input.imageIds).toEqual([
      { imageDigest: OLD },
    ]);
    expect(
      ecrMock
        .commandCalls(PutImageCommand)
        .map((c) => [c.args[0].input.imageTag, c.args[0].input.imageDigest]),
    ).toEqual([['v1', OLD]]);
    expect(result.tagUris).toEqual([]);
    expect(result.notes).toContain(`The gate failed, so tag 'v1' was put back on ${OLD}.`);
  });

  test('latest listed first and taken: the new tag is the candidate, latest waits', async () => {
    scanFinds({});
    ecrMock
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'latest' }] })
      .resolves({ imageDetails: [{ imageDigest: OLD, imageTags: ['latest'] }] });
    const builder = fakeBuilder();
    await buildAndPush(inputs({ tags: ['latest', 'v2'], failOnSeverity: 'LOW' }), ports(builder.exec));
    expect(pushedTags(builder.calls)).toEqual([`docker://${REGISTRY}/ml/model:v2`]);
    expect(putTags()).toEqual(['latest']);
  });

  test('PutImage: ImageAlreadyExistsException for this image is success; for another, an error naming the tag', async () => {
    scanFinds({});
    ecrMock.on(PutImageCommand).rejects(named('ImageAlreadyExistsException'));
    ecrMock
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'latest' }] })
      .rejectsOnce(named('ImageNotFoundException'))
      .resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['v1', 'latest'] }] });
    const ok = await buildAndPush(inputs({ failOnSeverity: 'LOW' }), ports(fakeBuilder().exec));
    expect(ok.tagUris).toHaveLength(2);

    ecrMock.on(PutImageCommand).rejects(named('ImageTagAlreadyExistsException'));
    await expect(buildAndPush(inputs({ failOnSeverity: 'LOW' }), ports(fakeBuilder().exec))).rejects.toThrow(
      "The gate passed, but tag 'latest' names another image in ml/model, whose tags are immutable",
    );
  });

  test('no gate: every tag pushed by the builder, no PutImage', async () => {
    const builder = fakeBuilder();
    await buildAndPush(inputs(), ports(builder.exec));
    expect(pushedTags(builder.calls)).toHaveLength(2);
    expect(ecrMock.commandCalls(PutImageCommand)).toEqual([]);
  });
});

test('builders get only the environment they need; a credential-like build arg is warned about', async () => {
  const builder = fakeBuilder();
  const p = ports(builder.exec);
  p.env = {
    ...p.env,
    PATH: '/usr/bin',
    HOME: '/home/runner',
    DOCKER_CONFIG: '/d',
    AWS_SECRET_ACCESS_KEY: 'aws-secret',
    INPUT_SECRETS: 'hub=hub-secret-9',
    ACTIONS_RUNTIME_TOKEN: 'rt',
    GITHUB_TOKEN: 'ghs_x',
  };
  await buildAndPush(
    inputs({
      buildArgs: new Map([
        ['NPM_TOKEN', 'x'],
        ['MODEL', 'v1'],
      ]),
    }),
    p,
  );
  for (const call of builder.calls) {
    expect(call).toMatchObject({ inheritEnv: false });
    expect(call.env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      DOCKER_CONFIG: '/d',
      RUNNER_TEMP: undefined,
    });
  }
  expect(p.log.lines.filter((l) => l.startsWith('warning:'))).toEqual([
    "warning: build-args has 'NPM_TOKEN', which looks like a credential: a build argument stays in the image for anyone who pulls it; pass it in secrets: and read it with RUN --mount=type=secret in the Dockerfile",
  ]);
});

describe('a docker builder that cannot export a registry cache (the docker driver, as on GitHub-hosted runners)', () => {
  const dockerWith = (driver: string, driverStatus: string) =>
    fakeBuilder((call) => {
      if (call.tool !== 'docker') return undefined;
      if (call.args[0] === 'version') return { stdout: '27.0.0' };
      if (call.args[1] === 'inspect') return { stdout: `Name:          default\nDriver:        ${driver}\n` };
      if (call.args[0] === 'info') return { stdout: driverStatus };
      return undefined;
    });
  const cacheArgs = (calls: Call[]) =>
    calls.find((c) => c.args[1] === 'build')?.args.filter((a) => a.startsWith('--cache')) ?? [];

  test('falls back to an inline cache read back from the tags, with a warning naming docker/setup-buildx-action', async () => {
    const builder = dockerWith('docker', '[["Backing Filesystem","extfs"],["Supports d_type","true"]]');
    const p = ports(builder.exec);
    await buildAndPush(inputs({ engine: 'docker' }), p);
    expect(cacheArgs(builder.calls)).toEqual([
      `--cache-from=type=registry,ref=${REGISTRY}/ml/model:v1`,
      `--cache-from=type=registry,ref=${REGISTRY}/ml/model:latest`,
      '--cache-to=type=inline',
    ]);
    expect(
      p.log.lines.filter((l) => l.startsWith('warning:') && l.includes('docker/setup-buildx-action')),
    ).toHaveLength(1);
  });

  test.each([
    [
      'the docker driver with the containerd image store',
      'docker',
      '[["driver-type","io.containerd.snapshotter.v1"]]',
    ],
    ['a docker-container builder (docker/setup-buildx-action)', 'docker-container', ''],
  ])('%s keeps the registry cache, without a warning', async (_name, driver, status) => {
    const builder = dockerWith(driver, status);
    const p = ports(builder.exec);
    await buildAndPush(inputs({ engine: 'docker' }), p);
    expect(cacheArgs(builder.calls)).toEqual([
      `--cache-from=type=registry,ref=${REGISTRY}/ml/model:buildcache`,
      `--cache-to=type=registry,ref=${REGISTRY}/ml/model:buildcache,mode=max,image-manifest=true,oci-mediatypes=true`,
    ]);
    expect(p.log.lines.filter((l) => l.startsWith('warning:'))).toEqual([]);
  });

  test('with cache: false nothing is asked of the builder about its driver', async () => {
    const builder = dockerWith('docker', '');
    await buildAndPush(inputs({ engine: 'docker', cache: false }), ports(builder.exec));
    expect(builder.calls.some((c) => c.args[1] === 'inspect' || c.args[0] === 'info')).toBe(false);
  });
});

test('a cancel during the second push: the first push is recorded as done, the second as stopped midway', async () => {
  const builder = fakeBuilder();
  let pushes = 0;
  const exec: RunTool = async (tool, args, run) => {
    if (args[0] === 'push' && ++pushes === 2) throw new Cancelled('SIGINT');
    return builder.exec(tool, args, run);
  };
  const progress = newProgress();
  await expect(buildAndPush(inputs(), ports(exec), progress)).rejects.toEqual(new Cancelled('SIGINT'));
  expect(progress.pushed).toEqual([`${REGISTRY}/ml/model:v1`]);
  expect(progress.running).toEqual({ name: 'buildah push', pushes: [`${REGISTRY}/ml/model:latest`] });
  expect(leftInFlight(progress).slice(0, 2)).toEqual([
    `Build cancelled; pushed before the cancel: ${REGISTRY}/ml/model:v1.`,
    `buildah push was stopped while pushing ${REGISTRY}/ml/model:latest: ECR may or may not hold it; its processes were killed.`,
  ]);
});
