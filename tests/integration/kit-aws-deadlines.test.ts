import { createServer, type Server, type Socket } from 'node:net';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { Cancelled, createAwsClient } from '@deploy-suite/kit';
import { cancelRun } from '../../packages/kit/src/cancellation';
import { CallTimedOut } from '../../packages/kit/src/errors';

// An endpoint that accepts every connection and never answers: the call must still end, at its
// own deadline, and a cancel must end it at once and stop any later call from being sent.
const action = { name: 'kit-deadlines-test', version: '0.0.0' };
const env = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
};
let server: Server;
let endpoint: string;
const sockets: Socket[] = [];
let requests = 0;

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.push(socket);
    socket.once('data', () => requests++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  endpoint = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const client = (callDeadlineMs: number) =>
  createAwsClient(ECSClient, {
    action,
    env: { ...env, AWS_ENDPOINT_URL: endpoint },
    callDeadlineMs,
    config: { endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
  });

test('a call that is never answered ends at its deadline, naming the call', async () => {
  const started = Date.now();
  const err: unknown = await client(1_500)
    .send(new DescribeServicesCommand({ cluster: 'c', services: ['s'] }))
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CallTimedOut);
  expect((err as Error).message).toBe('ECS DescribeServices got no answer within 2 s (retries included)');
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(requests).toBeGreaterThanOrEqual(1);
});

test('a cancel ends the call in flight at once, and no call is sent after it', async () => {
  const ecs = client(60_000);
  const inFlight = ecs
    .send(new DescribeServicesCommand({ cluster: 'c', services: ['s'] }))
    .catch((e: unknown) => e);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const started = Date.now();
  cancelRun('SIGINT');
  expect(await inFlight).toBeInstanceOf(Cancelled);
  expect(Date.now() - started).toBeLessThan(1_000);
  const before = requests;
  await expect(
    ecs.send(new DescribeServicesCommand({ cluster: 'c', services: ['s'] })),
  ).rejects.toBeInstanceOf(Cancelled);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(requests).toBe(before);
});
