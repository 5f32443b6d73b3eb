import { exportLines, stackEnv } from '../../support/stack';

const endpoints = {
  moto: 'http://127.0.0.1:4001',
  registry: 'http://127.0.0.1:4002',
  proxy: 'http://127.0.0.1:4003',
  simulator: 'http://127.0.0.1:4004',
};

describe('stackEnv', () => {
  it('sends SDK clients to the simulator with fake credentials in us-east-1', () => {
    expect(stackEnv(endpoints, { username: 'stack', password: 'pw' })).toMatchObject({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4004',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      STACK_REGISTRY: '127.0.0.1:4002',
      STACK_REGISTRY_USERNAME: 'stack',
      STACK_REGISTRY_PASSWORD: 'pw',
    });
  });
});

describe('stackEnv with the fault proxy in front of the simulator', () => {
  it('sends SDK clients to the fault proxy and still names every server', () => {
    expect(stackEnv(endpoints, { username: 'stack', password: 'pw' }, { faultsInFront: true })).toMatchObject(
      {
        AWS_ENDPOINT_URL: 'http://127.0.0.1:4003',
        STACK_FAULT_PROXY_URL: 'http://127.0.0.1:4003',
        STACK_SIMULATOR_URL: 'http://127.0.0.1:4004',
        STACK_MOTO_URL: 'http://127.0.0.1:4001',
      },
    );
  });
});

describe('exportLines', () => {
  it('quotes values only when the shell needs it', () => {
    expect(exportLines({ A: 'http://127.0.0.1:1', B: "it's $HOME" })).toBe(
      "export A=http://127.0.0.1:1\nexport B='it'\\''s $HOME'",
    );
  });
});
