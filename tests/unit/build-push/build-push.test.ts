import {
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';
import {
  DeployFailed,
  fakeClock,
  InputError,
  recordingLog,
  redact,
  type RunTool,
  type ToolResult,
} from '@deploy-suite/kit';
import { mockClient } from 'aws-sdk-client-mock';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAndPush, type Ports } from '../../../actions/build-push/src/build-push';
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
  region: undefined,
  ...overrides,
});

interface Call {
  tool: string;
  args: readonly string[];
  stdin: string | undefined;
  secretFile?: string;
}

/** A builder that answers version checks, and writes the digest files a push would. */
function fakeBuilder(answer: (call: Call) => Partial<ToolResult> | undefined = () => undefined) {
  const calls: Call[] = [];
  const exec: RunTool = async (tool, args, run = {}) => {
    const call: Call = { tool, args, stdin: run.stdin };
    const secret = args.find((a) => a.startsWith('id=hub,src='));
    if (secret !== undefined) call.secretFile = secret.slice('id=hub,src='.length);
    calls.push(call);
    const custom = answer(call);
    if (custom !== undefined) return { exitCode: 0, stdout: '', stderr: '', ...custom };
    if (tool === 'docker' && args[0] === 'version') return { exitCode: 1, stdout: '', stderr: 'no daemon' };
    const digestFile = args[args.indexOf('--digestfile') + 1];
    if (args.includes('--digestfile') && digestFile !== undefined) writeFileSync(digestFile, `${DIGEST}\n`);
    const metadata = args[args.indexOf('--metadata-file') + 1];
    if (args.includes('--metadata-file') && metadata !== undefined) {
      writeFileSync(metadata, JSON.stringify({ 'containerimage.digest': DIGEST }));
    }
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
    'docker login --username',
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
  expect(build?.args).toContain('--cache-from');
  expect(build?.args).not.toContain('--cache-to');
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
    writeFileSync(call.args[call.args.indexOf('--digestfile') + 1] ?? '', `sha256:${String(n++).repeat(64)}`);
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
  await cleanUp({ exec: builder.exec, log, getState: (name) => state[name] ?? '' });
  expect(builder.calls.map((c) => c.args)).toEqual([
    ['logout', '--authfile', `${workDir}/auth.json`, REGISTRY],
  ]);
  expect(existsSync(workDir)).toBe(false);
  expect(log.lines[0]).toBe(`warning: buildah logout from ${REGISTRY} ended with exit code 1: not logged in`);
});

test('post: nothing saved (main failed before login), nothing done', async () => {
  const builder = fakeBuilder();
  await cleanUp({ exec: builder.exec, log: recordingLog(), getState: () => '' });
  expect(builder.calls).toEqual([]);
});
