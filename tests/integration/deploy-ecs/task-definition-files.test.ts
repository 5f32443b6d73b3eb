/**
 * Task definition files as people keep them, through the bundled action against moto: the output
 * of `aws ecs describe-task-definition` as printed, a shape error deep inside (refused before any
 * call to AWS), and two containers given new images in one revision. A recording hop in front of
 * moto keeps every request's X-Amz-Target and every RegisterTaskDefinition body.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forwardRequest, readBody } from '../../support/fault-proxy/forward';
import { closeServer, listenOnLoopback } from '../../support/fault-proxy/listen';
import { runAction } from '../../support/harness';
import { startStack, type Stack } from '../../support/stack';

jest.setTimeout(120_000);

let stack: Stack;
let recorder: Server;
let recorderUrl: string;
const calls: string[] = [];
const registered: Record<string, unknown>[] = [];
const DIGEST = (c: string) => `sha256:${c.repeat(64)}`;

beforeAll(async () => {
  stack = await startStack();
  const moto = new URL(stack.endpoints.moto);
  recorder = createServer((req, res) => {
    void readBody(req).then((body) => {
      const target = String(req.headers['x-amz-target'] ?? `${req.method} ${req.url}`);
      calls.push(target);
      if (target.endsWith('.RegisterTaskDefinition')) {
        registered.push(JSON.parse(body.toString('utf8')) as Record<string, unknown>);
      }
      forwardRequest(req, res, moto, { body });
    });
  });
  recorderUrl = await listenOnLoopback(recorder, 0);
});
afterAll(async () => {
  if (recorder) await closeServer(recorder);
  await stack?.stop();
});
beforeEach(() => {
  calls.length = 0;
  registered.length = 0;
});

function workspaceWith(taskDefinition: unknown): string {
  const workspace = mkdtempSync(join(tmpdir(), 'deploy-ecs-files-'));
  writeFileSync(join(workspace, 'task-definition.json'), JSON.stringify(taskDefinition, null, 2));
  return workspace;
}

function run(workspace: string, inputs: Record<string, string>) {
  return runAction({
    action: 'deploy-ecs',
    workspace,
    env: { ...stack.env, AWS_ENDPOINT_URL: recorderUrl },
    inputs: { 'task-definition': 'task-definition.json', ...inputs },
  });
}

/** What the aws CLI reads back from moto, as a user would check it. */
function describe(ref: string): {
  taskDefinition: { containerDefinitions: Array<{ name: string; image: string }> };
  tags?: Array<{ key: string; value: string }>;
} {
  return JSON.parse(
    execFileSync(
      'aws',
      ['ecs', 'describe-task-definition', '--task-definition', ref, '--include', 'TAGS', '--output', 'json'],
      { env: { ...process.env, ...stack.env, AWS_ENDPOINT_URL: stack.endpoints.moto }, encoding: 'utf8' },
    ),
  ) as ReturnType<typeof describe>;
}

test('registers `aws ecs describe-task-definition --include TAGS` output as printed, with its tags', async () => {
  const printed = {
    taskDefinition: {
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/ranker:12',
      containerDefinitions: [
        {
          name: 'model',
          image: 'registry.local/ranker:11',
          cpu: 0,
          memory: 512,
          portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
          essential: true,
          environment: [{ name: 'MODE', value: 'serve' }],
          mountPoints: [],
          volumesFrom: [],
        },
      ],
      family: 'ranker',
      networkMode: 'bridge',
      revision: 12,
      volumes: [],
      status: 'ACTIVE',
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
      placementConstraints: [],
      compatibilities: ['EXTERNAL', 'EC2'],
      registeredAt: '2024-05-01T10:00:00.000000+00:00',
      registeredBy: 'arn:aws:iam::123456789012:root',
    },
    tags: [{ key: 'team', value: 'ml' }],
  };
  const result = await run(workspaceWith(printed), {
    'container-name': 'model',
    image: `registry.local/ranker@${DIGEST('a')}`,
  });
  expect(result.annotations.filter((a) => a.level === 'error')).toEqual([]);
  expect(result.exitCode).toBe(0);
  expect(result.outputs['task-definition-arn']).toMatch(/task-definition\/ranker:1$/);

  expect(registered).toHaveLength(1);
  expect(registered[0]).not.toHaveProperty('taskDefinition');
  expect(registered[0]).not.toHaveProperty('revision');
  expect(registered[0]?.tags).toEqual([{ key: 'team', value: 'ml' }]);
  const readBack = describe('ranker:1');
  expect(readBack.taskDefinition.containerDefinitions[0]?.image).toBe(`registry.local/ranker@${DIGEST('a')}`);
  expect(readBack.tags).toEqual([{ key: 'team', value: 'ml' }]);
});

test('a shape error deep inside fails with one ::error:: line naming its JSON path, and no call to AWS', async () => {
  const result = await run(
    workspaceWith({
      family: 'ranker',
      containerDefinitions: [
        { name: 'model', image: 'registry.local/ranker:1' },
        { name: 'proxy', image: 'registry.local/envoy:1', portMappings: { containerPort: 9901 } },
      ],
    }),
    { 'container-name': 'model', image: 'registry.local/ranker:2' },
  );
  expect(result.exitCode).toBe(1);
  const errors = result.annotations.filter((a) => a.level === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]?.message).toBe(
    "Input 'task-definition' is not a task definition ECS takes: containerDefinitions[1].portMappings: expected a list (got an object)",
  );
  expect(calls).toEqual([]);
});

test('two containers get new images in one revision (images beside container-name/image)', async () => {
  const result = await run(
    workspaceWith({
      family: 'scorer-pair',
      containerDefinitions: [
        { name: 'model', image: 'registry.local/scorer:1', memory: 512, essential: true },
        { name: 'feature-proxy', image: 'registry.local/feature-proxy:1', memory: 128, essential: false },
        { name: 'log-router', image: 'registry.local/fluent-bit:2', memory: 64, essential: false },
      ],
    }),
    {
      'container-name': 'model',
      image: `registry.local/scorer@${DIGEST('c')}`,
      images: `feature-proxy=registry.local/feature-proxy@${DIGEST('e')}`,
    },
  );
  expect(result.exitCode).toBe(0);
  expect(registered).toHaveLength(1);
  const images = Object.fromEntries(
    describe('scorer-pair:1').taskDefinition.containerDefinitions.map((c) => [c.name, c.image]),
  );
  expect(images).toEqual({
    model: `registry.local/scorer@${DIGEST('c')}`,
    'feature-proxy': `registry.local/feature-proxy@${DIGEST('e')}`,
    'log-router': 'registry.local/fluent-bit:2',
  });
});

test('an unknown container in images fails naming the input, before any call to AWS', async () => {
  const result = await run(
    workspaceWith({
      family: 'scorer-pair',
      containerDefinitions: [{ name: 'model', image: 'registry.local/s:1' }],
    }),
    { images: 'sidecar=registry.local/sidecar:2' },
  );
  expect(result.exitCode).toBe(1);
  expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
    "Input 'images' names 'sidecar', not in the task definition; its containers are: model",
  ]);
  expect(calls).toEqual([]);
});

test('a task definition over 64 KiB fails naming the environment value that makes it so, before any call to AWS', async () => {
  const result = await run(
    workspaceWith({
      family: 'ranker',
      containerDefinitions: [{ name: 'model', image: 'registry.local/ranker:1' }],
    }),
    { 'container-name': 'model', 'environment-variables': `FEATURES=${'f'.repeat(70_000)}` },
  );
  expect(result.exitCode).toBe(1);
  const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(
    /^Input 'environment-variables' makes a task definition of 70,\d{3} bytes as JSON; ECS takes at most 65,536 \(64 KiB\)\. Largest values: containerDefinitions\[0\]\.environment\[0\]\.value \(70,000 bytes\)\./,
  );
  expect(calls).toEqual([]);
});
