import { InputError } from '@deploy-suite/kit';
import type { ProductionVariant } from '@aws-sdk/client-sagemaker';
import {
  carryOver,
  createEndpointConfigRequest,
  createModelRequest,
  NOTHING_CARRIED,
  type Served,
} from '../../../actions/deploy-sagemaker/src/carry';
import {
  resourceNames,
  type ModelSettings,
  type VariantSettings,
} from '../../../actions/deploy-sagemaker/src/plan';

// Members from the SageMaker API reference: CreateEndpointConfig (DataCaptureConfig, KmsKeyId,
// AsyncInferenceConfig, ShadowProductionVariants, ProductionVariant's VolumeSizeInGB,
// ModelDataDownloadTimeoutInSeconds, ContainerStartupHealthCheckTimeoutInSeconds, RoutingConfig,
// ManagedInstanceScaling, InitialVariantWeight, AcceleratorType) and CreateModel (VpcConfig,
// EnableNetworkIsolation, ContainerDefinition); the lists come from botocore sagemaker/2017-07-24.
const DIGEST = `sha256:${'0123456789ab'}${'c'.repeat(52)}`;
const model: ModelSettings = {
  image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-service@${DIGEST}`,
  executionRoleArn: 'arn:aws:iam::123456789012:role/sagemaker-execution',
  environment: {},
};
const variant: VariantSettings = { variantName: 'AllTraffic', instanceType: 'ml.m5.large', instanceCount: 2 };
const KMS = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const capture = {
  EnableCapture: true,
  InitialSamplingPercentage: 20,
  DestinationS3Uri: 's3://monitoring/capture',
  CaptureOptions: [{ CaptureMode: 'Input' as const }, { CaptureMode: 'Output' as const }],
};
const handMade: ProductionVariant = {
  VariantName: 'AllTraffic',
  ModelName: 'hand-made-model',
  InstanceType: 'ml.g5.xlarge',
  InitialInstanceCount: 1,
  InitialVariantWeight: 0.9,
  VolumeSizeInGB: 100,
  ModelDataDownloadTimeoutInSeconds: 1200,
  ContainerStartupHealthCheckTimeoutInSeconds: 600,
  RoutingConfig: { RoutingStrategy: 'LEAST_OUTSTANDING_REQUESTS' },
};
const challenger: ProductionVariant = {
  VariantName: 'Challenger',
  ModelName: 'challenger-model',
  InstanceType: 'ml.m5.large',
  InitialInstanceCount: 1,
  InitialVariantWeight: 0.1,
};
const servedModel = {
  ModelName: 'hand-made-model',
  ExecutionRoleArn: 'arn:aws:iam::123456789012:role/sagemaker-execution',
  EnableNetworkIsolation: true,
  VpcConfig: { SecurityGroupIds: ['sg-1'], Subnets: ['subnet-1'] },
  PrimaryContainer: {
    Image: 'old@sha256:1',
    Environment: { HF_MODEL_ID: 'org/model' },
    ModelDataUrl: 's3://models/model.tar.gz',
    ImageConfig: { RepositoryAccessMode: 'Platform' as const },
  },
};
const served = (over: Partial<Served['config']> = {}, m: Served['model'] = servedModel): Served => ({
  config: {
    EndpointConfigName: 'hand-made-config',
    EndpointConfigArn: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/hand-made-config',
    CreationTime: new Date(0),
    ProductionVariants: [handMade],
    DataCaptureConfig: capture,
    KmsKeyId: KMS,
    ...over,
  },
  model: m,
});

describe('carryOver: what an update keeps, and what the inputs replace', () => {
  it.each<[string, Served | undefined, Partial<ModelSettings>, Partial<VariantSettings>, string[], string[]]>(
    [
      ['a new endpoint carries nothing', undefined, {}, {}, [], []],
      [
        'a hand-made endpoint: data capture, KMS key, variant and model settings kept',
        served(),
        {},
        {},
        [
          'DataCaptureConfig',
          'KmsKeyId',
          'variant AllTraffic: InitialVariantWeight',
          'variant AllTraffic: VolumeSizeInGB',
          'variant AllTraffic: ModelDataDownloadTimeoutInSeconds',
          'variant AllTraffic: ContainerStartupHealthCheckTimeoutInSeconds',
          'variant AllTraffic: RoutingConfig',
          'model: VpcConfig',
          'model: EnableNetworkIsolation',
          'model: ImageConfig',
          'model: ModelDataUrl',
          'model: Environment',
        ],
        ['variant AllTraffic: InstanceType', 'variant AllTraffic: InitialInstanceCount'],
      ],
      [
        'environment-variables and model-data given replace the served ones',
        served(),
        { environment: { HF_MODEL_ID: 'org/other' }, modelDataUrl: 's3://models/new.tar.gz' },
        {},
        [
          'DataCaptureConfig',
          'KmsKeyId',
          'variant AllTraffic: InitialVariantWeight',
          'variant AllTraffic: VolumeSizeInGB',
          'variant AllTraffic: ModelDataDownloadTimeoutInSeconds',
          'variant AllTraffic: ContainerStartupHealthCheckTimeoutInSeconds',
          'variant AllTraffic: RoutingConfig',
          'model: VpcConfig',
          'model: EnableNetworkIsolation',
          'model: ImageConfig',
        ],
        [
          'variant AllTraffic: InstanceType',
          'variant AllTraffic: InitialInstanceCount',
          'model: Environment',
          'model: ModelDataUrl',
        ],
      ],
      [
        'a second variant and shadow variants are kept unchanged',
        served({
          ProductionVariants: [challenger, handMade],
          ShadowProductionVariants: [{ ...challenger, VariantName: 'Shadow' }],
          AsyncInferenceConfig: { OutputConfig: { S3OutputPath: 's3://out/' } },
        }),
        { environment: { HF_MODEL_ID: 'org/model' } },
        { instanceType: 'ml.g5.xlarge', instanceCount: 1 },
        [
          'DataCaptureConfig',
          'KmsKeyId',
          'AsyncInferenceConfig',
          'ShadowProductionVariants',
          'variant AllTraffic: InitialVariantWeight',
          'variant AllTraffic: VolumeSizeInGB',
          'variant AllTraffic: ModelDataDownloadTimeoutInSeconds',
          'variant AllTraffic: ContainerStartupHealthCheckTimeoutInSeconds',
          'variant AllTraffic: RoutingConfig',
          'variant Challenger (unchanged)',
          'model: VpcConfig',
          'model: EnableNetworkIsolation',
          'model: ImageConfig',
          'model: ModelDataUrl',
        ],
        [],
      ],
      [
        "tags of the configuration and the model, without AWS's own aws: keys",
        {
          ...served({ ProductionVariants: [challenger] }),
          configTags: [
            { Key: 'team', Value: 'fraud' },
            { Key: 'aws:cloudformation:stack-name', Value: 'ml' },
          ],
          modelTags: [{ Key: 'cost-center', Value: '42' }],
        },
        { environment: { HF_MODEL_ID: 'org/model' }, modelDataUrl: 's3://models/model.tar.gz' },
        { variantName: 'Challenger', instanceCount: 1 },
        [
          'DataCaptureConfig',
          'KmsKeyId',
          'Tags',
          'variant Challenger: InitialVariantWeight',
          'model: VpcConfig',
          'model: EnableNetworkIsolation',
          'model: Tags',
          'model: ImageConfig',
        ],
        [],
      ],
      [
        'a configuration the action made alone carries nothing',
        {
          config: {
            EndpointConfigName: 'charges-0123456789ab-00000000',
            ProductionVariants: [
              {
                VariantName: 'AllTraffic',
                ModelName: 'm',
                InstanceType: 'ml.m5.large',
                InitialInstanceCount: 2,
                InitialVariantWeight: 1,
              },
            ],
          },
          // What Describe answers for what nobody set: the API's defaults are not carried.
          model: {
            ModelName: 'm',
            ExecutionRoleArn: model.executionRoleArn,
            EnableNetworkIsolation: false,
            PrimaryContainer: { Image: 'old@sha256:1', Environment: {}, Mode: 'SingleModel' as const },
          },
        },
        {},
        {},
        [],
        [],
      ],
    ],
  )('%s', (_what, from, modelOver, variantOver, kept, replaced) => {
    const carried = carryOver('charges', from, { ...model, ...modelOver }, { ...variant, ...variantOver });
    expect(carried.kept).toEqual(kept);
    expect(carried.replaced).toEqual(replaced);
  });

  it.each<[string, Served, string, RegExp]>([
    [
      'a variant-name the endpoint does not serve (blue/green keeps variant names)',
      served({ ProductionVariants: [challenger] }),
      'variant-name',
      /must name a production variant of charges \('Challenger'\)/,
    ],
    [
      'a variant hosting inference components (no ModelName)',
      served({ ProductionVariants: [{ VariantName: 'AllTraffic', InstanceType: 'ml.g5.xlarge' }] }),
      'variant-name',
      /hosts inference components rather than a model/,
    ],
    [
      'an inference pipeline model (Containers)',
      served(
        {},
        { ...servedModel, PrimaryContainer: undefined, Containers: [{ Image: 'a' }, { Image: 'b' }] },
      ),
      'image',
      /inference pipeline \(2 containers\)/,
    ],
  ])('refuses %s in one line naming the input', (_what, from, input, message) => {
    const refusal = () => carryOver('charges', from, model, variant);
    expect(refusal).toThrow(InputError);
    expect(refusal).toThrow(`Input '${input}'`);
    expect(refusal).toThrow(message);
  });
});

describe('the requests: inputs over carried settings', () => {
  const carried = carryOver(
    'charges',
    served({ ProductionVariants: [challenger, handMade] }),
    model,
    variant,
  );

  it('CreateEndpointConfig: the new variant in place of the replaced one, the other as it was', () => {
    const request = createEndpointConfigRequest('new-config', 'new-model', variant, carried);
    expect(request).toEqual({
      EndpointConfigName: 'new-config',
      DataCaptureConfig: capture,
      KmsKeyId: KMS,
      ProductionVariants: [
        challenger,
        {
          VariantName: 'AllTraffic',
          ModelName: 'new-model',
          InstanceType: 'ml.m5.large',
          InitialInstanceCount: 2,
          InitialVariantWeight: 0.9,
          VolumeSizeInGB: 100,
          ModelDataDownloadTimeoutInSeconds: 1200,
          ContainerStartupHealthCheckTimeoutInSeconds: 600,
          RoutingConfig: { RoutingStrategy: 'LEAST_OUTSTANDING_REQUESTS' },
        },
      ],
    });
  });

  it('CreateModel: the new image and role, the served environment, model data, VPC and isolation', () => {
    expect(createModelRequest('new-model', model, carried)).toEqual({
      ModelName: 'new-model',
      ExecutionRoleArn: model.executionRoleArn,
      EnableNetworkIsolation: true,
      VpcConfig: { SecurityGroupIds: ['sg-1'], Subnets: ['subnet-1'] },
      PrimaryContainer: {
        Image: model.image,
        Environment: { HF_MODEL_ID: 'org/model' },
        ModelDataUrl: 's3://models/model.tar.gz',
        ImageConfig: { RepositoryAccessMode: 'Platform' },
      },
    });
  });

  it('tags are sent again as ListTags answered them, aws: keys left out', () => {
    const tagged = carryOver(
      'charges',
      {
        ...served(),
        configTags: [
          { Key: 'aws:x', Value: '1' },
          { Key: 'team', Value: 'fraud' },
        ],
      },
      model,
      variant,
    );
    expect(createEndpointConfigRequest('c', 'm', variant, tagged).Tags).toEqual([
      { Key: 'team', Value: 'fraud' },
    ]);
  });

  it('a new endpoint gets exactly the inputs', () => {
    expect(createModelRequest('m', model, NOTHING_CARRIED).PrimaryContainer).toEqual({
      Image: model.image,
      Environment: {},
    });
    expect(createEndpointConfigRequest('c', 'm', variant, NOTHING_CARRIED)).toEqual({
      EndpointConfigName: 'c',
      ProductionVariants: [
        { VariantName: 'AllTraffic', ModelName: 'm', InstanceType: 'ml.m5.large', InitialInstanceCount: 2 },
      ],
    });
  });
});

describe('names: carried settings enter the hash', () => {
  const names = (from: Served | undefined) =>
    resourceNames('charges', model, variant, carryOver('charges', from, model, variant));

  it.each<[string, Served | undefined, boolean, boolean]>([
    ['nothing carried: the names of before this change', undefined, false, false],
    ['another KMS key: another configuration, the same model', served({ KmsKeyId: `${KMS}0` }), false, true],
    [
      'another VPC: another model and configuration',
      served({}, { ...servedModel, VpcConfig: { SecurityGroupIds: ['sg-2'], Subnets: ['subnet-1'] } }),
      true,
      true,
    ],
    [
      'another weight of the other variant: another configuration',
      served({ ProductionVariants: [handMade, { ...challenger, InitialVariantWeight: 0.5 }] }),
      false,
      true,
    ],
  ])('%s', (_what, from, modelChanges, configChanges) => {
    const base = names(served());
    const other = names(from);
    if (from === undefined) {
      expect(other).toEqual(resourceNames('charges', model, variant));
      return;
    }
    expect(other.modelName !== base.modelName).toBe(modelChanges);
    expect(other.endpointConfigName !== base.endpointConfigName).toBe(configChanges);
  });

  it('a re-run on what the first run made carries the same settings: the same names (idempotent)', () => {
    const first = carryOver(
      'charges',
      served({ ProductionVariants: [challenger, handMade] }),
      model,
      variant,
    );
    const firstNames = resourceNames('charges', model, variant, first);
    const made = createEndpointConfigRequest(
      firstNames.endpointConfigName,
      firstNames.modelName,
      variant,
      first,
    );
    const madeModel = createModelRequest(firstNames.modelName, model, first);
    const again = carryOver(
      'charges',
      { config: { ...made, ShadowProductionVariants: undefined }, model: madeModel },
      model,
      variant,
    );
    expect(resourceNames('charges', model, variant, again)).toEqual(firstNames);
  });
});
