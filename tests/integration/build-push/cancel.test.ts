/**
 * GitHub's cancel (SIGINT to the step's process only, SIGTERM 7.5 s later, then a kill:
 * actions/runner src/Runner.Sdk/ProcessInvoker.cs; docs "Canceling a workflow"), done by the
 * harness to the bundled build-push while its builder hangs. The builder runs in a process group
 * of its own, so the signal never reaches it: the action has to stop it, and the fake builder's
 * processes (the builder and the child it started, SIGTERM ignored) must be gone afterwards.
 */
import { DescribeImagesCommand, ECRClient, CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  armFakeBuilders,
  builderCalls,
  goneSoon,
  makeBuildFolder,
  MOTO_REGISTRY as REGISTRY,
} from '../../support/fake-builders';
import { runAction } from '../../support/harness';
import { startStack, type Stack } from '../../support/stack';

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
  root = mkdtempSync(join(tmpdir(), 'build-push-cancel-'));
}, 60_000);

afterAll(async () => {
  ecr?.destroy();
  await stack?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function cancelHangingBuild(name: string, daemon?: 'up') {
  const dir = makeBuildFolder(join(root, name));
  const builders = armFakeBuilders(dir, {
    moto: stack.env['STACK_MOTO_URL'] ?? '',
    hang: 'build',
    ...(daemon === undefined ? {} : { daemon }),
  });
  const repository = `ml/${name}`;
  await ecr.send(new CreateRepositoryCommand({ repositoryName: repository }));
  const result = await runAction({
    action: 'build-push',
    workspace: join(dir, 'ws'),
    inputs: { repository, tags: 'v1\nlatest' },
    env: { ...stack.env, ...builders },
    cancel: { whenLine: /FROM scratch \(hanging\)/ },
  });
  const images = await ecr.send(new DescribeImagesCommand({ repositoryName: repository }));
  return { result, calls: builderCalls(dir), images: images.imageDetails ?? [] };
}

test.each([
  [
    'buildah',
    undefined,
    'buildah build was stopped; its processes were killed.',
    'Build cancelled; nothing pushed.',
  ],
  [
    'docker',
    'up' as const,
    `docker buildx build was stopped while pushing ${REGISTRY}/ml/cancel-docker:v1, ${REGISTRY}/ml/cancel-docker:latest: ECR may or may not hold it; its processes were killed.`,
    'Build cancelled while pushing; no push had finished.',
  ],
])(
  '%s: a cancel during the build stops the builder process group, says nothing was pushed, and writes outputs and summary within 5 s',
  async (engine, daemon, stopped, verdict) => {
    const { result, calls, images } = await cancelHangingBuild(`cancel-${engine}`, daemon);

    const main = result.stages.find((stage) => stage.stage === 'main');
    expect(main?.cancelToExitMs).toBeLessThan(5_000);
    expect(main?.signal).toBeNull(); // it left on its own, before SIGTERM
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('Received SIGINT: the run is being cancelled; no new change is started');
    expect(result.annotations).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'Cancelled by the runner (SIGINT)' }),
    );
    expect(result.stdout).toContain(verdict);
    expect(result.stdout).toContain(stopped);
    expect(result.outputs).toEqual({ status: 'cancelled', registry: REGISTRY, tags: '[]' });
    expect(result.summary).toContain('Build cancelled');
    expect(result.summary).toContain(verdict);

    // The builder and the child it started are gone, though SIGINT was never sent to them.
    const pids = calls.find((call) => call.pids !== undefined)?.pids ?? [];
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect({ pid, gone: await goneSoon(pid) }).toEqual({ pid, gone: true });
    // Nothing reached ECR, and the post step still logged out.
    expect(images).toEqual([]);
    expect(result.postExitCode).toBe(0);
    expect(result.stdout).toContain(`Logged out of ${REGISTRY}`);
  },
);
