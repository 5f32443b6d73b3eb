/** The local stack with its fault proxy in front of the simulator: every AWS call can be faulted. */
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, type Stack, type StackState } from '../../support/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ faultsInFront: true });
});

afterAll(async () => {
  await stack?.stop();
});

function clientConfig(): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
} {
  return {
    endpoint: stack.env.AWS_ENDPOINT_URL ?? '',
    region: stack.env.AWS_REGION ?? '',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
}

test('sends SDK clients to the fault proxy, which forwards to the simulator', () => {
  expect(stack.faultsInFront).toBe(true);
  expect(stack.env.AWS_ENDPOINT_URL).toBe(stack.endpoints.proxy);
  const state = JSON.parse(readFileSync(join(stack.stateDir, 'state.json'), 'utf8')) as StackState;
  // Stopped in reverse: the proxy first, then the simulator it forwards to.
  expect(state.processes.map((p) => p.name)).toEqual(['moto', 'registry', 'simulator', 'proxy']);
  expect(state.faultsInFront).toBe(true);
});

test('faults a call the simulator answers itself, which then never reaches it', async () => {
  await stack.simulator.seed('ecs', {
    serviceName: 'front-web',
    taskDefinition: {
      family: 'front-web',
      containerDefinitions: [{ name: 'model', image: 'r/m:1', memory: 64 }],
    },
  });
  await stack.simulator.clearCalls();
  await stack.faults.configure({
    rules: [{ kind: 'throttle', match: { service: 'ecs', operation: 'DescribeServices' }, count: 1 }],
    resetStats: true,
  });
  const ecs = new ECSClient(clientConfig());
  const describe = new DescribeServicesCommand({ cluster: 'default', services: ['front-web'] });
  await expect(ecs.send(describe)).rejects.toMatchObject({ name: 'ThrottlingException' });
  expect(await stack.simulator.calls({ service: 'ecs', operation: 'DescribeServices' })).toEqual([]);
  const { services } = await ecs.send(describe);
  expect(services?.[0]?.serviceName).toBe('front-web');
  expect((await stack.faults.read()).stats).toMatchObject({
    requests: 2,
    forwarded: 1,
    faults: { throttle: 1 },
  });
  ecs.destroy();
});

test('still passes calls the simulator forwards on to moto', async () => {
  await stack.faults.configure({ rules: [], resetStats: true });
  const identity = await new STSClient(clientConfig()).send(new GetCallerIdentityCommand({}));
  expect(identity.Account).toBe('123456789012');
  expect((await stack.faults.read()).stats.forwarded).toBe(1);
  const [call] = await stack.simulator.calls({ service: 'sts' });
  expect(call).toMatchObject({ operation: 'GetCallerIdentity', forwarded: true });
});

test('refuses to hand out a running stack whose fault proxy is placed otherwise', async () => {
  await expect(startStack({ stateDir: stack.stateDir, faultsInFront: false })).rejects.toThrow(
    `the stack running in ${stack.stateDir} has its fault proxy in front of the simulator, not behind it`,
  );
  const again = await startStack({ stateDir: stack.stateDir });
  expect(again.env.AWS_ENDPOINT_URL).toBe(stack.endpoints.proxy);
});
