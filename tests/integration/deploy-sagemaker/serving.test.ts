import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { INJECTED_COMMANDS, MARK } from '../hostile/hostile';
import { errorOf, IMAGE_1, IMAGE_2, SageMakerStack } from './sagemaker-stack';

// Serverless variants, the smoke test after InService, and rollback-to, through the bundled action
// on the scenario simulator. Outcomes only: no poll counts.
let sim: SageMakerStack;
jest.setTimeout(90_000);

beforeAll(async () => {
  sim = await SageMakerStack.start();
}, 60_000);

afterAll(async () => {
  await sim?.stop();
});

/** A SageMaker client of the test's own, reading back what the action created, over the wire. */
function sagemaker(): SageMakerClient {
  const env = sim.stack.env;
  return new SageMakerClient({
    region: env.AWS_REGION ?? 'us-east-1',
    endpoint: env.AWS_ENDPOINT_URL ?? '',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

const SERVERLESS = {
  'instance-type': '',
  'instance-count': '',
  'memory-size': '2048',
  'max-concurrency': '5',
};

describe('serverless variants', () => {
  test('memory-size creates a serverless endpoint: ServerlessConfig instead of instances', async () => {
    await sim.fresh('scoring');
    const result = await sim.deploy('scoring', { ...SERVERLESS, 'provisioned-concurrency': '2' });

    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    const client = sagemaker();
    const config = await client.send(
      new DescribeEndpointConfigCommand({ EndpointConfigName: result.outputs['endpoint-config-name'] }),
    );
    expect(config.ProductionVariants).toEqual([
      {
        VariantName: 'AllTraffic',
        ModelName: result.outputs['model-name'],
        ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5, ProvisionedConcurrency: 2 },
      },
    ]);
    const endpoint = await client.send(new DescribeEndpointCommand({ EndpointName: 'scoring' }));
    expect(endpoint.ProductionVariants?.[0]).toMatchObject({
      CurrentServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5, ProvisionedConcurrency: 2 },
    });
    expect(endpoint.ProductionVariants?.[0]).not.toHaveProperty('CurrentInstanceCount');
  });

  test('an endpoint on instances is not updated to serverless: one line, before any change', async () => {
    await sim.fresh('scoring');
    const first = await sim.deploy('scoring');
    expect(first.outputs.status).toBe('succeeded');
    const result = await sim.deploy('scoring', SERVERLESS);

    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toMatch(
      /^Input 'memory-size' cannot update scoring: the endpoint runs on instances, and SageMaker does not update a real-time endpoint to a serverless one/,
    );
    expect(await sim.calls('UpdateEndpoint')).toHaveLength(0);
    expect(await sim.calls('CreateEndpointConfig')).toHaveLength(1);
  });

  test('instance-type and memory-size together are refused in one line before any call', async () => {
    await sim.fresh('scoring');
    const result = await sim.deploy('scoring', { ...SERVERLESS, 'instance-type': 'ml.m5.large' });

    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toMatch(/^Input 'instance-type' cannot be combined with memory-size/);
    expect(await sim.calls()).toEqual([]);
  });
});

const PAYLOAD = '{"instances": [[42, 1, 0, 27.9, 0, 3]]}';

describe('smoke-test-payload', () => {
  test('passes: one InvokeEndpoint on the new configuration, the answer in the summary', async () => {
    await sim.fresh('charges');
    const first = await sim.deploy('charges', { image: IMAGE_1 });
    expect(first.outputs.status).toBe('succeeded');
    const result = await sim.deploy('charges', { image: IMAGE_2, 'smoke-test-payload': PAYLOAD });

    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    const invocations = await sim.stack.simulator.calls({
      service: 'sagemaker',
      operation: 'InvokeEndpoint',
    });
    expect(invocations).toHaveLength(1);
    expect(invocations[0]?.params).toMatchObject({ EndpointName: 'charges', Body: PAYLOAD });
    // The simulated container echoes which configuration served: the new one.
    expect(result.summary).toContain('Smoke test:');
    expect(result.summary).toContain(result.outputs['endpoint-config-name']);
    expect(result.stdout).toContain('the smoke test passed: InvokeEndpoint answered');
  });

  test('a hostile payload echoed back is neither a workflow command nor raw Markdown in the summary', async () => {
    await sim.fresh('charges');
    // The simulated container echoes the request: the answer carries workflow commands and HTML.
    const payload = `${INJECTED_COMMANDS.join('\n')}\n<img src=x onerror=alert(1)>`;
    const result = await sim.deploy('charges', {
      'smoke-test-payload': payload,
      'smoke-test-content-type': 'text/plain',
    });

    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toContain(`${MARK}-`);
    expect(result.annotations.filter((a) => a.message.includes(MARK))).toEqual([]);
    expect(result.summary).toContain('Smoke test:');
    expect(result.summary).not.toContain('<img');
  });

  test('fails (the container answers 500): the previous configuration serves again, rolled-back', async () => {
    await sim.fresh('charges');
    const first = await sim.deploy('charges', { image: IMAGE_1 });
    const before = first.outputs['endpoint-config-name'];
    await sim.choose('charges', 'invocation-fails');
    const result = await sim.deploy('charges', { image: IMAGE_2, 'smoke-test-payload': PAYLOAD });

    expect(result.exitCode).not.toBe(0);
    expect(result.outputs).toMatchObject({ status: 'rolled-back', 'previous-endpoint-config-name': before });
    expect(await sim.endpoint('charges')).toMatchObject({ status: 'InService', configName: before });
    const updates = await sim.calls('UpdateEndpoint');
    expect(updates.map((call) => call.params['EndpointConfigName'])).toEqual([
      result.outputs['endpoint-config-name'],
      before,
    ]);
    // The runtime's ModelError (HTTP 424) for a container that answered 500, quoted as the cause.
    expect(errorOf(result)).toContain('failed (the container answered 500)');
    expect(result.stdout).toContain('InvokeEndpoint: SageMakerRuntime InvokeEndpoint failed after');
    expect(result.stdout).toContain('Received server error (500) from primary');
    expect(result.summary.split('\n')[0]).toMatch(
      new RegExp(
        `^## ❌ deploy-sagemaker rolled back: the smoke test of charges on charges-222222222222-\\w+ failed \\(the container answered 500\\); ${before} serves again$`,
      ),
    );
    expect(result.summary).toContain(
      'Smoke test response: Internal Server Error: the model could not score the request',
    );
  });

  test('fails with rollback-on-failure: false: failed, the new configuration left serving', async () => {
    await sim.fresh('charges');
    await sim.deploy('charges', { image: IMAGE_1 });
    await sim.choose('charges', 'invocation-fails');
    const result = await sim.deploy('charges', {
      image: IMAGE_2,
      'smoke-test-payload': PAYLOAD,
      'rollback-on-failure': 'false',
    });

    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.status).toBe('failed');
    expect(errorOf(result)).toContain(
      'but the smoke test failed (the container answered 500; not rolled back: rollback-on-failure is false)',
    );
    expect(await sim.endpoint('charges')).toMatchObject({
      configName: result.outputs['endpoint-config-name'],
    });
    expect(await sim.calls('UpdateEndpoint')).toHaveLength(1);
  });
});

/** A rollback run from workflow_dispatch: no image, role or variant, only the endpoint and the target. */
const ROLLBACK = { image: '', 'execution-role-arn': '', 'instance-type': '', 'instance-count': '' };

describe('rollback-to', () => {
  test('previous: the configuration served before the last update serves again; outputs as a deploy', async () => {
    await sim.fresh('charges');
    const first = await sim.deploy('charges', { image: IMAGE_1 });
    const second = await sim.deploy('charges', { image: IMAGE_2 });
    expect(second.outputs.status).toBe('succeeded');
    const result = await sim.deploy('charges', { ...ROLLBACK, 'rollback-to': 'previous' });

    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({
      status: 'succeeded',
      'endpoint-arn': second.outputs['endpoint-arn'],
      'endpoint-config-name': first.outputs['endpoint-config-name'],
      'model-name': first.outputs['model-name'],
      'previous-endpoint-config-name': second.outputs['endpoint-config-name'],
    });
    expect(await sim.endpoint('charges')).toMatchObject({
      status: 'InService',
      configName: first.outputs['endpoint-config-name'],
    });
    expect(await sim.calls('CreateModel')).toHaveLength(2);
    expect(await sim.calls('CreateEndpointConfig')).toHaveLength(2);
    expect(result.summary.split('\n')[0]).toContain(
      `Rolled charges back to ${first.outputs['endpoint-config-name']}; it is InService`,
    );
  });

  test('a named configuration of the endpoint is returned to', async () => {
    await sim.fresh('charges');
    const first = await sim.deploy('charges', { image: IMAGE_1 });
    await sim.deploy('charges', { image: IMAGE_2 });
    const target = first.outputs['endpoint-config-name'] ?? '';
    const result = await sim.deploy('charges', { ...ROLLBACK, 'rollback-to': target });

    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'succeeded', 'endpoint-config-name': target });
    expect(await sim.endpoint('charges')).toMatchObject({ status: 'InService', configName: target });
  });

  test('wait: false starts the update back and reports started', async () => {
    await sim.fresh('charges');
    const first = await sim.deploy('charges', { image: IMAGE_1 });
    await sim.deploy('charges', { image: IMAGE_2 });
    const result = await sim.deploy('charges', { ...ROLLBACK, 'rollback-to': 'previous', wait: 'false' });

    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      status: 'started',
      'endpoint-config-name': first.outputs['endpoint-config-name'],
    });
    const updates = await sim.calls('UpdateEndpoint');
    expect(updates.at(-1)?.params).toMatchObject({
      EndpointName: 'charges',
      EndpointConfigName: first.outputs['endpoint-config-name'],
    });
  });

  // UpdateEndpoint takes a DeploymentConfig for any configuration (API reference, UpdateEndpoint):
  // the way back moves traffic as `deployment` and its guardrails say, all at once by default.
  test('the way back follows deployment, canary-size, wait-interval, bake-minutes and alarms', async () => {
    await sim.fresh('charges');
    const first = await sim.deploy('charges', { image: IMAGE_1 });
    await sim.deploy('charges', { image: IMAGE_2 });
    const result = await sim.deploy('charges', {
      ...ROLLBACK,
      'rollback-to': 'previous',
      deployment: 'canary',
      'canary-size': '25%',
      'wait-interval': '60',
      'bake-minutes': '1',
      alarms: 'charges-5xx',
    });

    expect(result.exitCode).toBe(0);
    expect(await sim.endpoint('charges')).toMatchObject({
      status: 'InService',
      configName: first.outputs['endpoint-config-name'],
    });
    expect((await sim.calls('UpdateEndpoint')).at(-1)?.params).toEqual({
      EndpointName: 'charges',
      EndpointConfigName: first.outputs['endpoint-config-name'],
      DeploymentConfig: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: {
            Type: 'CANARY',
            WaitIntervalInSeconds: 60,
            CanarySize: { Type: 'CAPACITY_PERCENT', Value: 25 },
          },
          TerminationWaitInSeconds: 60,
        },
        AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'charges-5xx' }] },
      },
    });
  });

  test('previous with nothing recorded (only a creation so far): one line, no update', async () => {
    await sim.fresh('charges');
    await sim.deploy('charges', { image: IMAGE_1 });
    const result = await sim.deploy('charges', { ...ROLLBACK, 'rollback-to': 'previous' });

    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.status).toBe('failed');
    expect(errorOf(result)).toMatch(
      /^No previous endpoint configuration is recorded on charges \(tag deploy-suite:previous-endpoint-config/,
    );
    expect(await sim.calls('UpdateEndpoint')).toHaveLength(0);
  });

  test.each([
    [
      'a configuration of another endpoint',
      { 'rollback-to': 'fraud-111111111111-0a1b2c3d' },
      /^Input 'rollback-to' must be previous or the name of an endpoint configuration of charges \(charges-…\)/,
    ],
    [
      'an image with rollback-to',
      { 'rollback-to': 'previous', image: IMAGE_2 },
      /^Input 'image' cannot be combined with rollback-to/,
    ],
    [
      'an alarm name with a control character',
      { 'rollback-to': 'previous', alarms: 'charges-5xx\u001b[31m' },
      /^Input 'alarms' names alarms of 1 to 255 characters, not blank and without control characters/,
    ],
  ])('%s is refused in one line before any call', async (_what, inputs, error) => {
    await sim.fresh('charges');
    const result = await sim.deploy('charges', { ...ROLLBACK, ...inputs });

    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toMatch(error);
    expect(await sim.calls()).toEqual([]);
  });

  test('a configuration of this endpoint that does not exist: one line, no update', async () => {
    await sim.fresh('charges');
    await sim.deploy('charges', { image: IMAGE_1 });
    const result = await sim.deploy('charges', {
      ...ROLLBACK,
      'rollback-to': 'charges-999999999999-0a1b2c3d',
    });

    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toBe(
      "Input 'rollback-to' names charges-999999999999-0a1b2c3d, which is not an existing endpoint configuration",
    );
    expect(await sim.calls('UpdateEndpoint')).toHaveLength(0);
  });
});
