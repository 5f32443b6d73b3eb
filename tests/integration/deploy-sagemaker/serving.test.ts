import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { errorOf, SageMakerStack } from './sagemaker-stack';

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
