import { GetEnvironmentCommand, MWAAClient, UpdateEnvironmentCommand } from '@aws-sdk/client-mwaa';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, type Stack, type StackState } from '../../support/stack';
import { isAlive } from '../../support/stack/processes';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

function clientConfig(): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
} {
  return {
    endpoint: stack.env.AWS_ENDPOINT_URL ?? '',
    region: stack.env.AWS_REGION ?? '',
    credentials: {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  };
}

const basic = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

describe('local AWS stack (started by a test)', () => {
  it('serves every endpoint on loopback and says how to reach it', () => {
    for (const url of Object.values(stack.endpoints)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.env).toMatchObject({
      AWS_ENDPOINT_URL: stack.endpoints.simulator,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      STACK_REGISTRY_PASSWORD: stack.registryAuth.password,
    });
  });

  it('runs a registry that turns away anonymous clients', async () => {
    const response = await fetch(`${stack.endpoints.registry}/v2/`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('lets the generated credentials into the registry, and no others', async () => {
    const { username, password } = stack.registryAuth;
    const ok = await fetch(`${stack.endpoints.registry}/v2/`, {
      headers: { authorization: basic(username, password) },
    });
    expect(ok.status).toBe(200);
    const wrong = await fetch(`${stack.endpoints.registry}/v2/`, {
      headers: { authorization: basic(username, `${password}x`) },
    });
    expect(wrong.status).toBe(401);
  });

  it('reaches moto through the simulator and the fault proxy', async () => {
    await stack.faults.configure({ resetStats: true });
    const identity = await new STSClient(clientConfig()).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('123456789012');
    expect((await stack.faults.read()).stats.forwarded).toBe(1);
  });

  it('injects faults into calls on their way to moto when asked', async () => {
    await stack.faults.configure({ rate: 1, kinds: ['throttle'] });
    try {
      const sts = new STSClient({ ...clientConfig(), maxAttempts: 1 });
      await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'Throttling' });
    } finally {
      await stack.faults.setRate(0);
    }
  });

  it('drives its simulator over the control endpoint', async () => {
    await stack.simulator.seed('mwaa', { Name: 'airflow-stack' });
    await stack.simulator.choose('mwaa', 'airflow-stack', 'update-fails');
    const mwaa = new MWAAClient({ ...clientConfig(), disableHostPrefix: true });
    await mwaa.send(
      new UpdateEnvironmentCommand({ Name: 'airflow-stack', RequirementsS3ObjectVersion: 'v9' }),
    );
    await stack.simulator.clock({ advanceSeconds: 90 });
    const { Environment } = await mwaa.send(new GetEnvironmentCommand({ Name: 'airflow-stack' }));
    expect(Environment).toMatchObject({ Status: 'UPDATE_FAILED', LastUpdate: { Status: 'FAILED' } });
    expect(await stack.simulator.calls({ service: 'mwaa', operation: 'UpdateEnvironment' })).toHaveLength(1);
  });

  it('finds the running stack instead of starting a second one', async () => {
    const again = await startStack({ stateDir: stack.stateDir });
    expect(again.reused).toBe(true);
    expect(again.endpoints).toEqual(stack.endpoints);
    await again.stop();
    expect((await fetch(`${stack.endpoints.simulator}/_sim/health`)).status).toBe(200);
  });

  it('stops every process it started and removes its state', async () => {
    const state = JSON.parse(readFileSync(join(stack.stateDir, 'state.json'), 'utf8')) as StackState;
    expect(state.processes.map((p) => p.name)).toEqual(['moto', 'registry', 'proxy', 'simulator']);
    await stack.stop();
    for (const p of state.processes) expect(isAlive(p.pid)).toBe(false);
    await expect(fetch(stack.endpoints.moto)).rejects.toThrow('fetch failed');
    expect(existsSync(stack.stateDir)).toBe(false);
  });
});
