import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListTagsCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { ACCOUNT, IMAGE_1, IMAGE_2, ROLE, SageMakerStack } from './sagemaker-stack';

// An endpoint made by hand (or IaC) before the action ever runs, with settings the action has no
// input for: CreateEndpointConfig's DataCaptureConfig, KmsKeyId, Tags and a second production
// variant; a variant's VolumeSizeInGB and RoutingConfig; CreateModel's VpcConfig and
// EnableNetworkIsolation and the container's Environment and ModelDataUrl (SageMaker API
// reference, CreateEndpointConfig and CreateModel). A deploy of a new image keeps all of them.
let sim: SageMakerStack;
let sagemaker: SageMakerClient;
jest.setTimeout(120_000);

beforeAll(async () => {
  sim = await SageMakerStack.start();
  sagemaker = sim.client();
}, 60_000);

afterAll(async () => {
  sagemaker?.destroy();
  await sim?.stop();
});

const KMS = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const DATA_CAPTURE = {
  EnableCapture: true,
  InitialSamplingPercentage: 20,
  DestinationS3Uri: 's3://monitoring-bucket/capture',
  CaptureOptions: [{ CaptureMode: 'Input' as const }, { CaptureMode: 'Output' as const }],
};
const VPC = { SecurityGroupIds: ['sg-0123456789abcdef0'], Subnets: ['subnet-0123456789abcdef0'] };
const CHALLENGER = {
  VariantName: 'Challenger',
  ModelName: 'fraud-challenger',
  InstanceType: 'ml.m5.large' as const,
  InitialInstanceCount: 1,
  InitialVariantWeight: 0.1,
};

async function handMadeEndpoint(name: string): Promise<void> {
  await sim.fresh(name);
  await sagemaker.send(
    new CreateModelCommand({
      ModelName: 'fraud-primary',
      ExecutionRoleArn: ROLE,
      EnableNetworkIsolation: true,
      VpcConfig: VPC,
      PrimaryContainer: {
        Image: IMAGE_1,
        ModelDataUrl: 's3://models-bucket/fraud/model.tar.gz',
        Environment: { SAGEMAKER_PROGRAM: 'inference.py' },
      },
      Tags: [{ Key: 'team', Value: 'fraud' }],
    }),
  );
  await sagemaker.send(
    new CreateModelCommand({
      ModelName: 'fraud-challenger',
      ExecutionRoleArn: ROLE,
      PrimaryContainer: { Image: IMAGE_1 },
    }),
  );
  await sagemaker.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: 'fraud-by-hand',
      KmsKeyId: KMS,
      DataCaptureConfig: DATA_CAPTURE,
      Tags: [
        { Key: 'team', Value: 'fraud' },
        { Key: 'cost-center', Value: '4711' },
      ],
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: 'fraud-primary',
          InstanceType: 'ml.m5.large',
          InitialInstanceCount: 2,
          InitialVariantWeight: 0.9,
          VolumeSizeInGB: 64,
          ContainerStartupHealthCheckTimeoutInSeconds: 600,
          RoutingConfig: { RoutingStrategy: 'LEAST_OUTSTANDING_REQUESTS' },
        },
        CHALLENGER,
      ],
    }),
  );
  await sagemaker.send(
    new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: 'fraud-by-hand' }),
  );
  // The creation lasts minutes of the simulator's time (under a second at its speed): wait for
  // the outcome, not for a time.
  for (let i = 0; i < 600; i++) {
    const { EndpointStatus } = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: name }));
    if (EndpointStatus === 'InService') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not become InService`);
}

test('a new image keeps data capture, the KMS key, tags, the second variant and the model settings; a re-run changes nothing', async () => {
  await handMadeEndpoint('fraud');
  const result = await sim.deploy('fraud', { image: IMAGE_2 });

  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({
    status: 'succeeded',
    'previous-endpoint-config-name': 'fraud-by-hand',
  });
  expect(result.stdout).toMatch(
    /Kept from fraud-by-hand: DataCaptureConfig, KmsKeyId, Tags, variant AllTraffic: InitialVariantWeight, .*variant Challenger \(unchanged\), model: VpcConfig, model: EnableNetworkIsolation, model: Tags, model: ModelDataUrl, model: Environment/,
  );
  expect(result.summary).toContain('Kept from the endpoint');

  const configName = result.outputs['endpoint-config-name'] ?? '';
  const config = await sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName }));
  expect(config.KmsKeyId).toBe(KMS);
  expect(config.DataCaptureConfig).toEqual(DATA_CAPTURE);
  expect(config.ProductionVariants).toEqual([
    {
      VariantName: 'AllTraffic',
      ModelName: result.outputs['model-name'],
      InstanceType: 'ml.m5.large',
      InitialInstanceCount: 2,
      InitialVariantWeight: 0.9,
      VolumeSizeInGB: 64,
      ContainerStartupHealthCheckTimeoutInSeconds: 600,
      RoutingConfig: { RoutingStrategy: 'LEAST_OUTSTANDING_REQUESTS' },
    },
    CHALLENGER,
  ]);
  const configTags = await sagemaker.send(new ListTagsCommand({ ResourceArn: config.EndpointConfigArn }));
  expect(configTags.Tags).toEqual([
    { Key: 'team', Value: 'fraud' },
    { Key: 'cost-center', Value: '4711' },
  ]);

  const model = await sagemaker.send(new DescribeModelCommand({ ModelName: result.outputs['model-name'] }));
  expect(model).toMatchObject({
    ExecutionRoleArn: ROLE,
    EnableNetworkIsolation: true,
    VpcConfig: VPC,
    PrimaryContainer: {
      Image: IMAGE_2,
      ModelDataUrl: 's3://models-bucket/fraud/model.tar.gz',
      Environment: { SAGEMAKER_PROGRAM: 'inference.py' },
    },
  });
  expect(await sim.endpoint('fraud')).toMatchObject({ status: 'InService', configName });

  const again = await sim.deploy('fraud', { image: IMAGE_2 });
  expect(again.exitCode).toBe(0);
  expect(again.outputs).toMatchObject({ status: 'succeeded', 'endpoint-config-name': configName });
  expect(again.stdout).toContain(`fraud already serves ${configName}; nothing to change`);
  expect(await sim.calls('UpdateEndpoint')).toHaveLength(1);
  expect(await sim.calls('CreateEndpointConfig')).toHaveLength(2);
});

test('a variant-name the endpoint does not serve is refused in one line before any change', async () => {
  await handMadeEndpoint('fraud');
  const result = await sim.deploy('fraud', { image: IMAGE_2, 'variant-name': 'Primary' });

  expect(result.exitCode).toBe(1);
  expect(result.stdout).toContain(
    "Input 'variant-name' must name a production variant of fraud ('AllTraffic', 'Challenger')",
  );
  expect(await sim.calls('CreateModel')).toHaveLength(2);
  expect(await sim.calls('UpdateEndpoint')).toHaveLength(0);
});
