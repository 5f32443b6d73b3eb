import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  SageMakerClient,
  UpdateEndpointCommand,
  type DeploymentConfig,
  type DescribeEndpointCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { startSimulator, type Simulator } from '../../support/simulator';

// The simulator's SageMaker, driven through the AWS SDK and read back with the aws CLI (botocore's
// own parser). Virtual time only moves by clock.advance: speed 0 is not allowed, so the clock runs
// at 1 (real time) and every duration a test relies on is minutes of virtual time, far from the
// milliseconds a loaded machine adds.
let simulator: Simulator;
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const region = 'us-east-1';
const ACCOUNT = '123456789012';
const IMAGE = `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com/sample-service@sha256:${'a'.repeat(64)}`;
const IMAGE_2 = `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com/sample-service@sha256:${'b'.repeat(64)}`;

beforeAll(async () => {
  // Nothing here is forwarded; the upstream is a closed port.
  simulator = await startSimulator({ upstream: 'http://127.0.0.1:9', speed: 1 });
});
afterAll(() => simulator?.close());
beforeEach(() => simulator.reset());

const sageMaker = () => new SageMakerClient({ endpoint: simulator.url, region, credentials, maxAttempts: 1 });
const runtime = () =>
  new SageMakerRuntimeClient({ endpoint: simulator.url, region, credentials, maxAttempts: 1 });

/**
 * The aws CLI against the simulator: it must parse every answer the SDK got. Asynchronous, because
 * the simulator answers from this same process.
 */
async function aws<T>(args: string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(
    'aws',
    [...args, '--endpoint-url', simulator.url, '--region', region, '--output', 'json'],
    {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_ENDPOINT_URL: '',
      },
      encoding: 'utf8',
    },
  );
  return (stdout.trim() ? JSON.parse(stdout) : {}) as T;
}

const advance = (seconds: number) => simulator.clock.advance(seconds * 1000);

async function describe_(name: string): Promise<DescribeEndpointCommandOutput> {
  const answer = await sageMaker().send(new DescribeEndpointCommand({ EndpointName: name }));
  // The CLI reads the same answer: status and failure reason equal.
  const cli = await aws<{ EndpointStatus: string; FailureReason?: string }>([
    'sagemaker',
    'describe-endpoint',
    '--endpoint-name',
    name,
  ]);
  expect(cli.EndpointStatus).toBe(answer.EndpointStatus);
  expect(cli.FailureReason).toBe(answer.FailureReason);
  return answer;
}

async function deployable(
  suffix: string,
  image: string,
  variant: Record<string, unknown> = {},
): Promise<string> {
  const client = sageMaker();
  await client.send(
    new CreateModelCommand({
      ModelName: `model-${suffix}`,
      PrimaryContainer: { Image: image },
      ExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/sagemaker-execution`,
    }),
  );
  await client.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: `config-${suffix}`,
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: `model-${suffix}`,
          InstanceType: 'ml.m5.large',
          InitialInstanceCount: 4,
          ...variant,
        },
      ],
    }),
  );
  return `config-${suffix}`;
}

/** An endpoint InService on config-1 (image 1), created under the default healthy scenario. */
async function inService(name: string): Promise<void> {
  await deployable('1', IMAGE);
  await sageMaker().send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: 'config-1' }));
  advance(240);
  expect((await describe_(name)).EndpointStatus).toBe('InService');
}

const canary: DeploymentConfig = {
  BlueGreenUpdatePolicy: {
    TrafficRoutingConfiguration: {
      Type: 'CANARY',
      WaitIntervalInSeconds: 600,
      CanarySize: { Type: 'CAPACITY_PERCENT', Value: 25 },
    },
    TerminationWaitInSeconds: 120,
    MaximumExecutionTimeoutInSeconds: 3600,
  },
  AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'sample-service-5xx' }] },
};

describe('simulated SageMaker, scenario healthy', () => {
  it('creates an endpoint, shifts a canary update, and serves the new image afterwards', async () => {
    await inService('charges');
    const invoke = async () =>
      JSON.parse(
        Buffer.from(
          (
            await runtime().send(
              new InvokeEndpointCommand({
                EndpointName: 'charges',
                ContentType: 'application/json',
                Body: '{"age":19}',
              }),
            )
          ).Body,
        ).toString('utf8'),
      ) as { image: string; request: unknown };
    // The request body reaches the "container" as sent (a blob payload, not parsed).
    expect(await invoke()).toMatchObject({ image: IMAGE, request: '{"age":19}' });

    await deployable('2', IMAGE_2);
    await sageMaker().send(
      new UpdateEndpointCommand({
        EndpointName: 'charges',
        EndpointConfigName: 'config-2',
        DeploymentConfig: canary,
      }),
    );
    const updating = await describe_('charges');
    expect(updating).toMatchObject({
      EndpointStatus: 'Updating',
      EndpointConfigName: 'config-1',
      PendingDeploymentSummary: {
        EndpointConfigName: 'config-2',
        ProductionVariants: [{ VariantName: 'AllTraffic', VariantStatus: [{ Status: 'Creating' }] }],
      },
    });
    advance(300);
    const baking = await describe_('charges');
    expect(baking.PendingDeploymentSummary?.ProductionVariants?.[0]?.VariantStatus?.[0]).toMatchObject({
      Status: 'Baking',
      StatusMessage: '25% of traffic on the new fleet',
    });
    expect(await invoke()).toMatchObject({ image: IMAGE }); // the old fleet still serves until the update ends
    advance(700);
    const done = await describe_('charges');
    expect(done).toMatchObject({
      EndpointStatus: 'InService',
      EndpointConfigName: 'config-2',
      LastDeploymentConfig: canary,
    });
    expect(done.PendingDeploymentSummary).toBeUndefined();
    expect(done.ProductionVariants?.[0]?.DeployedImages?.[0]?.SpecifiedImage).toBe(IMAGE_2);
    expect(await invoke()).toMatchObject({ image: IMAGE_2 });
    const outfile = join(mkdtempSync(join(tmpdir(), 'invoke-')), 'answer.json');
    const invoked = await aws<{ ContentType: string }>([
      'sagemaker-runtime',
      'invoke-endpoint',
      '--endpoint-name',
      'charges',
      '--content-type',
      'application/json',
      '--body',
      '{"age":19}',
      outfile,
    ]);
    expect(invoked.ContentType).toBe('application/json');
    expect(JSON.parse(readFileSync(outfile, 'utf8'))).toMatchObject({ image: IMAGE_2 });

    const cli = await aws<{ Body?: unknown }>([
      'sagemaker',
      'describe-endpoint-config',
      '--endpoint-config-name',
      'config-2',
    ]);
    expect(cli).toMatchObject({ EndpointConfigName: 'config-2' });
    const logs = await aws<{ events: { message: string; logStreamName: string }[] }>([
      'logs',
      'filter-log-events',
      '--log-group-name',
      '/aws/sagemaker/Endpoints/charges',
    ]);
    expect(logs.events.map((event) => event.message)).toContain(
      'AllTraffic: 25% of traffic on the new fleet; baking 600 s',
    );
    expect(logs.events[0]?.logStreamName).toMatch(/^AllTraffic\/i-[0-9a-f]{17}$/);
  });

  // ListModels / ListEndpointConfigs / ListEndpoints as botocore's sagemaker/2017-07-24 defines
  // them: SortBy CreationTime and SortOrder Descending by default, NameContains, MaxResults 1 to 100
  // with NextToken; EndpointSummary carries no configuration (DescribeEndpoint does).
  it('lists newest first by default, page by page, and lists endpoints; deletes answer as SageMaker does', async () => {
    const client = sageMaker();
    for (const suffix of ['a1', 'a2', 'a3']) {
      await deployable(suffix, IMAGE);
      advance(60);
    }
    await client.send(new CreateEndpointCommand({ EndpointName: 'lister', EndpointConfigName: 'config-a2' }));
    const first = await client.send(
      new ListEndpointConfigsCommand({ NameContains: 'CONFIG-A', MaxResults: 2 }),
    );
    expect(first.EndpointConfigs?.map((c) => c.EndpointConfigName)).toEqual(['config-a3', 'config-a2']);
    const second = await client.send(
      new ListEndpointConfigsCommand({ NameContains: 'config-a', MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.EndpointConfigs?.map((c) => c.EndpointConfigName)).toEqual(['config-a1']);
    expect(second.NextToken).toBeUndefined();
    const cliModels = await aws<{ Models: Array<{ ModelName: string }> }>(['sagemaker', 'list-models']);
    expect(cliModels.Models.map((m) => m.ModelName)).toEqual(['model-a3', 'model-a2', 'model-a1']);
    await expect(client.send(new ListModelsCommand({ MaxResults: 101 }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const endpoints = await client.send(new ListEndpointsCommand({}));
    expect(endpoints.Endpoints).toEqual([
      expect.objectContaining({ EndpointName: 'lister', EndpointStatus: 'Creating' }),
    ]);
    expect(endpoints.Endpoints?.[0]).not.toHaveProperty('EndpointConfigName');
    const cliEndpoints = await aws<{ Endpoints: Array<{ EndpointName: string }> }>([
      'sagemaker',
      'list-endpoints',
    ]);
    expect(cliEndpoints.Endpoints.map((e) => e.EndpointName)).toEqual(['lister']);

    await client.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'config-a1' }));
    await expect(
      client.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'config-a1' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: `Could not find endpoint configuration "arn:aws:sagemaker:${region}:${ACCOUNT}:endpoint-config/config-a1".`,
    });
    await expect(client.send(new DeleteModelCommand({ ModelName: 'model-zz' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: `Could not find model "arn:aws:sagemaker:${region}:${ACCOUNT}:model/model-zz".`,
    });
  });

  it('creates a serverless endpoint, and lists, describes and deletes models and configurations', async () => {
    await deployable('s', IMAGE, {
      InstanceType: undefined,
      InitialInstanceCount: undefined,
      ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 },
    });
    await deployable('t', IMAGE);
    const client = sageMaker();
    await client.send(
      new CreateEndpointCommand({ EndpointName: 'serverless', EndpointConfigName: 'config-s' }),
    );
    advance(240);
    expect((await describe_('serverless')).ProductionVariants?.[0]?.CurrentServerlessConfig).toEqual({
      MemorySizeInMB: 2048,
      MaxConcurrency: 5,
    });
    const models = await client.send(
      new ListModelsCommand({ NameContains: 'MODEL', SortBy: 'Name', SortOrder: 'Ascending' }),
    );
    expect(models.Models?.map((m) => m.ModelName)).toEqual(['model-s', 'model-t']);
    expect((await aws<{ Models: unknown[] }>(['sagemaker', 'list-models'])).Models).toHaveLength(2);
    const configs = await client.send(new ListEndpointConfigsCommand({ MaxResults: 1 }));
    expect(configs.EndpointConfigs).toHaveLength(1);
    expect(configs.NextToken).toBeDefined();
    expect(
      (await client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'config-s' })))
        .ProductionVariants?.[0]?.ServerlessConfig,
    ).toEqual({
      MemorySizeInMB: 2048,
      MaxConcurrency: 5,
    });
    expect(
      (await client.send(new DescribeModelCommand({ ModelName: 'model-t' }))).PrimaryContainer?.Image,
    ).toBe(IMAGE);
    expect(await aws(['sagemaker', 'describe-model', '--model-name', 'model-t'])).toMatchObject({
      ModelName: 'model-t',
      PrimaryContainer: { Image: IMAGE },
    });
    const cliConfigs = await aws<{ EndpointConfigs: unknown[] }>(['sagemaker', 'list-endpoint-configs']);
    expect(cliConfigs.EndpointConfigs).toHaveLength(2);
    await client.send(new DeleteModelCommand({ ModelName: 'model-t' }));
    await client.send(new DeleteEndpointCommand({ EndpointName: 'serverless' }));
    await expect(client.send(new DescribeModelCommand({ ModelName: 'model-t' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: `Could not find model "arn:aws:sagemaker:${region}:${ACCOUNT}:model/model-t".`,
    });
    await expect(
      client.send(new DescribeEndpointCommand({ EndpointName: 'serverless' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: `Could not find endpoint "arn:aws:sagemaker:${region}:${ACCOUNT}:endpoint/serverless".`,
    });
  });

  it('refuses names outside the botocore pattern, and invocations of an endpoint still Creating', async () => {
    await expect(
      sageMaker().send(new CreateModelCommand({ ModelName: 'bad_name', PrimaryContainer: { Image: IMAGE } })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await deployable('1', IMAGE);
    await sageMaker().send(
      new CreateEndpointCommand({ EndpointName: 'new', EndpointConfigName: 'config-1' }),
    );
    await expect(
      runtime().send(
        new InvokeEndpointCommand({ EndpointName: 'new', ContentType: 'application/json', Body: '{}' }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: `Endpoint new of account ${ACCOUNT} not found.`,
    });
  });
});

describe('simulated SageMaker, other scenarios', () => {
  it('slow: Creating for 20 virtual minutes', async () => {
    simulator.scenarios.choose('sagemaker', 'slow-one', 'slow');
    await deployable('1', IMAGE);
    await sageMaker().send(
      new CreateEndpointCommand({ EndpointName: 'slow-one', EndpointConfigName: 'config-1' }),
    );
    advance(900);
    expect((await describe_('slow-one')).EndpointStatus).toBe('Creating');
    advance(400);
    expect((await describe_('slow-one')).EndpointStatus).toBe('InService');
  });

  it('ping-fails: a creation ends Failed with the ping-check reason, and cannot be updated', async () => {
    simulator.scenarios.choose('sagemaker', 'no-ping', 'ping-fails');
    await deployable('1', IMAGE);
    await sageMaker().send(
      new CreateEndpointCommand({ EndpointName: 'no-ping', EndpointConfigName: 'config-1' }),
    );
    advance(500);
    expect(await describe_('no-ping')).toMatchObject({
      EndpointStatus: 'Failed',
      FailureReason:
        'The primary container for production variant AllTraffic did not pass the ping health check. Please check CloudWatch logs for this endpoint.',
    });
    await expect(
      sageMaker().send(
        new UpdateEndpointCommand({ EndpointName: 'no-ping', EndpointConfigName: 'config-1' }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('ping-fails: a failed update leaves the endpoint InService on its previous configuration, with the reason', async () => {
    await inService('live');
    simulator.scenarios.choose('sagemaker', 'live', 'ping-fails');
    await deployable('2', IMAGE_2);
    await sageMaker().send(
      new UpdateEndpointCommand({ EndpointName: 'live', EndpointConfigName: 'config-2' }),
    );
    advance(500);
    const answer = await describe_('live');
    expect(answer).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'config-1' });
    expect(answer.FailureReason).toContain('did not pass the ping health check');
  });

  it('alarm-during-bake: RollingBack, then the previous configuration InService', async () => {
    await inService('guarded');
    simulator.scenarios.choose('sagemaker', 'guarded', 'alarm-during-bake');
    await deployable('2', IMAGE_2);
    await sageMaker().send(
      new UpdateEndpointCommand({
        EndpointName: 'guarded',
        EndpointConfigName: 'config-2',
        DeploymentConfig: canary,
      }),
    );
    advance(320);
    const rolling = await describe_('guarded');
    expect(rolling).toMatchObject({ EndpointStatus: 'RollingBack', EndpointConfigName: 'config-1' });
    expect(rolling.FailureReason).toContain('sample-service-5xx');
    advance(100);
    expect(await describe_('guarded')).toMatchObject({
      EndpointStatus: 'InService',
      EndpointConfigName: 'config-1',
    });
  });

  it('capacity-error: CreateEndpoint answers ResourceLimitExceeded in AWS wording', async () => {
    simulator.scenarios.choose('sagemaker', 'big', 'capacity-error');
    await deployable('1', IMAGE);
    await expect(
      sageMaker().send(new CreateEndpointCommand({ EndpointName: 'big', EndpointConfigName: 'config-1' })),
    ).rejects.toMatchObject({
      name: 'ResourceLimitExceeded',
      message: expect.stringMatching(
        /^The account-level service limit 'ml\.m5\.large for endpoint usage' is 0 Instances, with current utilization of 0 Instances and a request delta of 4 Instances\./,
      ),
    });
    await expect(aws(['sagemaker', 'describe-endpoint', '--endpoint-name', 'big'])).rejects.toThrow(
      /Could not find endpoint/,
    );
  });

  it('update-while-updating: a second UpdateEndpoint is refused while the first runs', async () => {
    await inService('busy');
    simulator.scenarios.choose('sagemaker', 'busy', 'update-while-updating');
    await deployable('2', IMAGE_2);
    await sageMaker().send(
      new UpdateEndpointCommand({ EndpointName: 'busy', EndpointConfigName: 'config-2' }),
    );
    advance(600);
    await expect(
      sageMaker().send(new UpdateEndpointCommand({ EndpointName: 'busy', EndpointConfigName: 'config-1' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: `Cannot update in-progress endpoint "arn:aws:sagemaker:${region}:${ACCOUNT}:endpoint/busy".`,
    });
    expect((await describe_('busy')).EndpointStatus).toBe('Updating');
    await expect(sageMaker().send(new DeleteEndpointCommand({ EndpointName: 'busy' }))).rejects.toMatchObject(
      {
        name: 'ValidationException',
        message: expect.stringMatching(/^Cannot update in-progress endpoint/),
      },
    );
  });
});
