/**
 * Register-only against moto: the task definition read back with the aws CLI carries the new image
 * and the user's environment, and what was sent held no read-only field. A recording hop in front of
 * moto keeps every RegisterTaskDefinition body.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forwardRequest, readBody } from '../../support/fault-proxy/forward';
import { closeServer, listenOnLoopback } from '../../support/fault-proxy/listen';
import { runAction } from '../../support/harness';
import { READ_ONLY_TASK_DEFINITION_FIELDS } from '../../support/simulator/services/ecs-task-definitions';
import { startStack, type Stack } from '../../support/stack';

jest.setTimeout(120_000);

let stack: Stack;
let recorder: Server;
let recorderUrl: string;
const registered: Record<string, unknown>[] = [];

beforeAll(async () => {
  stack = await startStack();
  const moto = new URL(stack.endpoints.moto);
  recorder = createServer((req, res) => {
    void readBody(req).then((body) => {
      if (String(req.headers['x-amz-target']).endsWith('.RegisterTaskDefinition')) {
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

test('registers the rendered task definition without read-only fields, keeping empty values', async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'deploy-ecs-register-'));
  // As `aws ecs describe-task-definition` prints it: read-only fields included.
  writeFileSync(
    join(workspace, 'task-definition.json'),
    JSON.stringify({
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/scorer:7',
      family: 'scorer',
      revision: 7,
      status: 'ACTIVE',
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
      compatibilities: ['EC2', 'FARGATE'],
      registeredAt: '2024-05-01T10:00:00.000Z',
      registeredBy: 'arn:aws:iam::123456789012:root',
      containerDefinitions: [
        {
          name: 'model',
          image: 'registry.local/scorer:1',
          memory: 512,
          environment: [{ name: 'MODE', value: 'serve' }],
        },
      ],
    }),
  );
  const result = await runAction({
    action: 'deploy-ecs',
    workspace,
    env: { ...stack.env, AWS_ENDPOINT_URL: recorderUrl },
    inputs: {
      'task-definition': 'task-definition.json',
      'container-name': 'model',
      image: `registry.local/scorer@sha256:${'ab'.repeat(32)}`,
      'environment-variables': 'MODE=batch\nTHRESHOLD=0.7\nEMPTY=',
    },
  });
  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({
    status: 'succeeded',
    'task-definition-arn': expect.stringMatching(/task-definition\/scorer:1$/),
  });

  expect(registered).toHaveLength(1);
  for (const field of READ_ONLY_TASK_DEFINITION_FIELDS) expect(registered[0]).not.toHaveProperty(field);

  const readBack = JSON.parse(
    execFileSync(
      'aws',
      ['ecs', 'describe-task-definition', '--task-definition', 'scorer:1', '--output', 'json'],
      {
        env: { ...process.env, ...stack.env, AWS_ENDPOINT_URL: stack.endpoints.moto },
        encoding: 'utf8',
      },
    ),
  ) as { taskDefinition: { containerDefinitions: Array<{ image: string; environment: unknown[] }> } };
  const [model] = readBack.taskDefinition.containerDefinitions;
  expect(model?.image).toBe(`registry.local/scorer@sha256:${'ab'.repeat(32)}`);
  expect(model?.environment).toEqual([
    { name: 'MODE', value: 'batch' },
    { name: 'THRESHOLD', value: '0.7' },
    { name: 'EMPTY', value: '' },
  ]);
});
