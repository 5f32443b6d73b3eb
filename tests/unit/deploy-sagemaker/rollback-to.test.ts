import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { Ports } from '../../../actions/deploy-sagemaker/src/ports';
import {
  readRollbackInputs,
  rollBackTo,
  rollbackTarget,
  type RollbackInputs,
} from '../../../actions/deploy-sagemaker/src/rollback-to';
import { fakeClock, recordingGitHub, recordingLog } from '../../support/fakes';
import { errorOf, inputsOf } from '../../support/inputs';

// rollback-to, in deploy-ecs's and deploy-beanstalk's words: `previous` or a name of this
// endpoint's own configurations, `<endpoint>-<digest12>-<hash8>` (the endpoint cut to 41).
describe('rollbackTarget', () => {
  const long = `a${'-b'.repeat(30)}`; // 61 characters: configuration names start with its first 41, cut of trailing hyphens
  test.each([
    ['charges', 'previous', { kind: 'previous' }],
    ['charges', 'charges-111111111111-0a1b2c3d', { kind: 'config', name: 'charges-111111111111-0a1b2c3d' }],
    [
      long,
      `${long.slice(0, 41)}-111111111111-0a1b2c3d`,
      { kind: 'config', name: `${long.slice(0, 41)}-111111111111-0a1b2c3d` },
    ],
  ])('%s: %s', (endpoint, value, expected) => {
    expect(rollbackTarget(endpoint, value)).toEqual(expected);
  });

  test.each([
    ['charges', 'fraud-111111111111-0a1b2c3d'],
    ['charges', 'charges'],
    ['charges', 'charges-'],
    ['charges', 'chargesx-111111111111-0a1b2c3d'],
    ['charges', 'Previous'],
    ['charges', `charges-${'1'.repeat(60)}`],
    ['charges', 'charges-1\n::error::x'],
  ])('%s: %j is refused in one line', (endpoint, value) => {
    const error = errorOf(() => rollbackTarget(endpoint, value));
    expect(error).toMatch(
      /^InputError: Input 'rollback-to' must be previous or the name of an endpoint configuration of /,
    );
    expect(error).not.toContain('\n');
  });
});

describe('readRollbackInputs', () => {
  // action.yml's defaults, as the runner gives them.
  const base = {
    'endpoint-name': 'charges',
    wait: 'true',
    'timeout-minutes': '30',
    deployment: 'all-at-once',
    'wait-interval': '0',
    'bake-minutes': '0',
    'keep-versions': '0',
  };
  test('without rollback-to: a deploy (undefined)', () => {
    expect(readRollbackInputs(inputsOf(base))).toBeUndefined();
  });

  test('rollback-to needs only the endpoint', () => {
    expect(readRollbackInputs(inputsOf({ ...base, 'rollback-to': 'previous' }))).toEqual({
      endpointName: 'charges',
      rollbackTo: { kind: 'previous' },
      deployment: { mode: 'all-at-once', waitIntervalSeconds: 0, bakeMinutes: 0, alarms: [] },
      wait: true,
      timeoutMs: 30 * 60_000,
      keepVersions: 0,
      github: { token: '', environment: 'charges' },
      environmentUrl: undefined,
      region: undefined,
    });
  });

  test('the way back takes the deploy guardrails and the GitHub deployment inputs', () => {
    const read = readRollbackInputs(
      inputsOf({
        ...base,
        'rollback-to': 'previous',
        deployment: 'canary',
        'canary-size': '25%',
        'wait-interval': '300',
        'bake-minutes': '5',
        alarms: 'charges-5xx',
        'github-token': 'ghs_x',
        'github-environment': 'production',
        'environment-url': 'https://models.example.com',
      }),
    );
    expect(read).toMatchObject({
      deployment: {
        mode: 'canary',
        canarySize: { unit: 'percent', value: 25 },
        waitIntervalSeconds: 300,
        bakeMinutes: 5,
        alarms: ['charges-5xx'],
      },
      github: { token: 'ghs_x', environment: 'production' },
      environmentUrl: 'https://models.example.com',
    });
  });

  // The same one-line refusals as a deploy's, before any call.
  test.each([
    [{ 'canary-size': '10%' }, "Input 'canary-size' applies only to deployment: canary"],
    [{ deployment: 'canary', 'canary-size': '60%' }, "Input 'canary-size' must be from 1% to 50%"],
    [
      { alarms: 'charges\r::error::x' },
      "Input 'alarms' names alarms of 1 to 255 characters, not blank and without control characters",
    ],
    [{ 'environment-url': 'ftp://x' }, "Input 'environment-url' must be an http(s) URL"],
  ])('%j is refused', (extra, message) => {
    expect(
      errorOf(() => readRollbackInputs(inputsOf({ ...base, 'rollback-to': 'previous', ...extra }))),
    ).toContain(message);
  });

  test.each([
    'image',
    'execution-role-arn',
    'instance-type',
    'memory-size',
    'model-data',
    'environment-variables',
    'smoke-test-payload',
  ])('%s cannot be combined with rollback-to', (input) => {
    expect(
      errorOf(() => readRollbackInputs(inputsOf({ ...base, 'rollback-to': 'previous', [input]: 'x' }))),
    ).toBe(
      `InputError: Input '${input}' cannot be combined with rollback-to, which returns the endpoint to an existing configuration as it is`,
    );
  });
});

describe('rollBackTo', () => {
  const current = 'charges-222222222222-0b0b0b0b';
  const target = 'charges-111111111111-0a0a0a0a';
  const inputs: RollbackInputs = {
    endpointName: 'charges',
    rollbackTo: { kind: 'config', name: target },
    deployment: { mode: 'all-at-once', waitIntervalSeconds: 0, bakeMinutes: 0, alarms: [] },
    wait: true,
    timeoutMs: 10 * 60_000,
    keepVersions: 0,
    github: { token: 'ghs_unitToken', environment: 'production-sagemaker' },
    environmentUrl: 'https://models.example.com',
    region: 'us-east-1',
  };

  /** The endpoint serves `current`; after UpdateEndpoint it answers `after`. */
  function fakePorts(after: Record<string, unknown>, serverless = false) {
    const sent: { name: string; input: Record<string, unknown> }[] = [];
    let updated = false;
    const sagemaker = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        const name = command.constructor.name.replace(/Command$/, '');
        sent.push({ name, input: command.input });
        if (name === 'DescribeEndpoint')
          return updated
            ? after
            : {
                EndpointStatus: 'InService',
                EndpointConfigName: current,
                EndpointArn: 'arn:endpoint/charges',
              };
        if (name === 'DescribeEndpointConfig')
          return {
            ProductionVariants: [
              {
                VariantName: 'AllTraffic',
                ModelName: target,
                ...(serverless ? { ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 } } : {}),
              },
            ],
          };
        if (name === 'UpdateEndpoint') updated = true;
        return {};
      },
    };
    const github = recordingGitHub();
    const ports: Ports = {
      sagemaker: sagemaker as unknown as SageMakerClient,
      logs: { send: async () => ({ events: [] }) } as unknown as CloudWatchLogsClient,
      runtime: { send: async () => ({}) } as unknown as Ports['runtime'],
      clock: fakeClock(1_700_000_000_000),
      log: recordingLog(),
      pollMs: 2_000,
      github,
    };
    return { ports, sent, github };
  }

  test('records a GitHub deployment with task deploy:rollback before UpdateEndpoint, then success with environment-url', async () => {
    const { ports, sent, github } = fakePorts({ EndpointStatus: 'InService', EndpointConfigName: target });
    let statusesAtUpdate: number | undefined;
    const send = ports.sagemaker.send.bind(ports.sagemaker);
    (ports.sagemaker as { send: unknown }).send = async (command: { constructor: { name: string } }) => {
      if (command.constructor.name === 'UpdateEndpointCommand')
        statusesAtUpdate = github.deployments[0]?.statuses.length;
      return send(command as never);
    };
    const result = await rollBackTo(inputs, ports);

    expect(result.status).toBe('succeeded');
    expect(sent.map((c) => c.name)).toContain('UpdateEndpoint');
    expect(statusesAtUpdate).toBe(1);
    expect(github.deployments).toHaveLength(1);
    expect(github.deployments[0]?.deployment).toMatchObject({
      environment: 'production-sagemaker',
      description: `Roll back charges to ${target}`,
      task: 'deploy:rollback',
      payload: { endpoint: 'charges', 'endpoint-config': target, model: target },
    });
    expect(github.deployments[0]?.statuses.map((s) => [s.state, s.description, s.environmentUrl])).toEqual([
      ['in_progress', 'Rolling back', undefined],
      ['success', 'Rolled back', 'https://models.example.com'],
    ]);
  });

  test('a rollback SageMaker itself rolls back (an alarm during the bake) is recorded as a failure', async () => {
    const { ports, github } = fakePorts({
      EndpointStatus: 'InService',
      EndpointConfigName: current,
      FailureReason: 'An alarm fired',
    });
    await expect(rollBackTo(inputs, ports)).rejects.toThrow();
    expect(github.deployments[0]?.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
  });

  test('nothing to roll back: no GitHub deployment, no UpdateEndpoint', async () => {
    const { ports, sent, github } = fakePorts({});
    const result = await rollBackTo({ ...inputs, rollbackTo: { kind: 'config', name: current } }, ports);
    expect(result.status).toBe('succeeded');
    expect(sent.map((c) => c.name)).not.toContain('UpdateEndpoint');
    expect(github.deployments).toEqual([]);
  });

  // UpdateEndpoint takes a DeploymentConfig for any configuration (API reference): the way back
  // moves traffic as the deploy inputs say.
  test('the way back is a canary with a bake and alarms when the inputs say so', async () => {
    const { ports, sent } = fakePorts({ EndpointStatus: 'InService', EndpointConfigName: target });
    await rollBackTo(
      {
        ...inputs,
        deployment: {
          mode: 'canary',
          canarySize: { unit: 'percent', value: 25 },
          waitIntervalSeconds: 300,
          bakeMinutes: 5,
          alarms: ['charges-5xx'],
        },
      },
      ports,
    );
    expect(sent.find((c) => c.name === 'UpdateEndpoint')?.input).toEqual({
      EndpointName: 'charges',
      EndpointConfigName: target,
      DeploymentConfig: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: {
            Type: 'CANARY',
            WaitIntervalInSeconds: 300,
            CanarySize: { Type: 'CAPACITY_PERCENT', Value: 25 },
          },
          TerminationWaitInSeconds: 300,
        },
        AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'charges-5xx' }] },
      },
    });
  });

  test('a canary counted in instances back to a serverless configuration is refused before the update', async () => {
    const { ports, sent } = fakePorts({}, true);
    const canary = {
      ...inputs,
      deployment: {
        ...inputs.deployment,
        mode: 'canary' as const,
        canarySize: { unit: 'instances' as const, value: 1 },
      },
    };
    await expect(rollBackTo(canary, ports)).rejects.toThrow(
      `Input 'canary-size' must be a percentage (such as 25%) for ${target}, which is serverless`,
    );
    expect(sent.map((c) => c.name)).not.toContain('UpdateEndpoint');
  });
});
