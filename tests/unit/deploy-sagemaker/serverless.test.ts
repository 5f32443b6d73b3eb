import { readInputs } from '../../../actions/deploy-sagemaker/src/inputs';
import { resourceNames, type VariantSettings } from '../../../actions/deploy-sagemaker/src/plan';
import { conversionRefusal, productionVariant } from '../../../actions/deploy-sagemaker/src/serverless';
import { actionDefaults, errorOf, inputsOf } from '../../support/inputs';

// Serverless variants: ProductionVariantServerlessConfig of the botocore model sagemaker/2017-07-24
// (MemorySizeInMB 1024-6144 "in 1 GB increments", MaxConcurrency and ProvisionedConcurrency 1-200,
// provisioned "less than or equal to MaxConcurrency").
const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-service@sha256:${'a'.repeat(64)}`;
// What the runner passes: action.yml's defaults, and the inputs a deploy needs.
const defaults = {
  ...actionDefaults('deploy-sagemaker'),
  'endpoint-name': 'charges',
  image: IMAGE,
  'execution-role-arn': 'arn:aws:iam::123456789012:role/sagemaker-execution',
};
const read = (inputs: Record<string, string>) => readInputs(inputsOf({ ...defaults, ...inputs }));

test.each([
  [{ 'instance-type': 'ml.m5.large' }, { instanceType: 'ml.m5.large', instanceCount: 1 }],
  [
    { 'instance-type': 'ml.m5.large', 'instance-count': '3' },
    { instanceType: 'ml.m5.large', instanceCount: 3 },
  ],
  [
    { 'memory-size': '2048', 'max-concurrency': '5' },
    { serverless: { memorySizeInMB: 2048, maxConcurrency: 5 } },
  ],
  [
    { 'memory-size': '6144', 'max-concurrency': '200', 'provisioned-concurrency': '200' },
    { serverless: { memorySizeInMB: 6144, maxConcurrency: 200, provisionedConcurrency: 200 } },
  ],
  [
    { 'memory-size': '1024', 'max-concurrency': '1' },
    { serverless: { memorySizeInMB: 1024, maxConcurrency: 1 } },
  ],
])('%j reads as the variant %j', (inputs, variant) => {
  expect(read(inputs).variant).toEqual({ variantName: 'AllTraffic', ...variant });
});

test.each([
  [{}, "Input 'instance-type' is required, unless memory-size is given"],
  [
    { 'instance-type': 'ml.m5.large', 'memory-size': '2048', 'max-concurrency': '5' },
    "Input 'instance-type' cannot be combined with memory-size",
  ],
  [{ 'memory-size': '2048' }, "Input 'max-concurrency' is required with memory-size"],
  [{ 'memory-size': '512', 'max-concurrency': '5' }, "Input 'memory-size' must be from 1024 to 6144"],
  [{ 'memory-size': '8192', 'max-concurrency': '5' }, "Input 'memory-size' must be from 1024 to 6144"],
  [{ 'memory-size': '1536', 'max-concurrency': '5' }, "Input 'memory-size' must be 1024, 2048, 3072"],
  [{ 'memory-size': '2GB', 'max-concurrency': '5' }, "Input 'memory-size' must be a whole number"],
  [{ 'memory-size': '2048', 'max-concurrency': '0' }, "Input 'max-concurrency' must be from 1 to 200"],
  [{ 'memory-size': '2048', 'max-concurrency': '201' }, "Input 'max-concurrency' must be from 1 to 200"],
  [
    { 'memory-size': '2048', 'max-concurrency': '5', 'provisioned-concurrency': '6' },
    "Input 'provisioned-concurrency' must be at most max-concurrency (5); got 6",
  ],
  [
    { 'memory-size': '2048', 'max-concurrency': '5', 'instance-count': '2' },
    "Input 'instance-count' applies only to instance-type",
  ],
  [
    { 'instance-type': 'ml.m5.large', 'max-concurrency': '5' },
    "Input 'max-concurrency' applies only to a serverless variant",
  ],
  [
    { 'instance-type': 'ml.m5.large', 'provisioned-concurrency': '1' },
    "Input 'provisioned-concurrency' applies only to a serverless variant",
  ],
  // A serverless variant has no instances: CapacitySize INSTANCE_COUNT has nothing to count.
  [
    { 'memory-size': '2048', 'max-concurrency': '5', deployment: 'canary', 'canary-size': '1' },
    "Input 'canary-size' must be a percentage (such as 25%) with memory-size",
  ],
  [
    { 'memory-size': '2048', 'max-concurrency': '5', deployment: 'linear', 'linear-step-size': '2' },
    "Input 'linear-step-size' must be a percentage (such as 25%) with memory-size",
  ],
])('%j is refused in one line naming the input', (inputs, message) => {
  const error = errorOf(() => read(inputs));
  expect(error).toContain(`InputError: ${message}`);
  expect(error).not.toContain('\n');
});

// Deployment guardrails "Exclusions" (developer guide): serverless endpoints are excluded from
// rolling deployments only; blue/green canary and linear shifting by share of capacity apply.
test.each([
  [{ deployment: 'canary', 'canary-size': '10%', 'wait-interval': '300' }],
  [{ deployment: 'linear', 'linear-step-size': '25%', 'wait-interval': '60' }],
  [{ deployment: 'all-at-once', alarms: 'charges-5xx', 'bake-minutes': '5' }],
])('serverless with %j is accepted', (deployment) => {
  expect(
    read({ 'memory-size': '2048', 'max-concurrency': '5', ...deployment }).variant.serverless,
  ).toBeDefined();
});

describe('productionVariant', () => {
  test.each<[string, VariantSettings, object]>([
    [
      'instances',
      { variantName: 'AllTraffic', instanceType: 'ml.m5.large', instanceCount: 2 },
      { VariantName: 'AllTraffic', ModelName: 'm', InstanceType: 'ml.m5.large', InitialInstanceCount: 2 },
    ],
    [
      'serverless, on demand',
      { variantName: 'AllTraffic', serverless: { memorySizeInMB: 2048, maxConcurrency: 5 } },
      {
        VariantName: 'AllTraffic',
        ModelName: 'm',
        ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 },
      },
    ],
    [
      'serverless, provisioned',
      {
        variantName: 'AllTraffic',
        serverless: { memorySizeInMB: 3072, maxConcurrency: 10, provisionedConcurrency: 2 },
      },
      {
        VariantName: 'AllTraffic',
        ModelName: 'm',
        ServerlessConfig: { MemorySizeInMB: 3072, MaxConcurrency: 10, ProvisionedConcurrency: 2 },
      },
    ],
  ])('%s', (_name, variant, expected) => {
    expect(productionVariant(variant, 'm')).toEqual(expected);
  });
});

test('the configuration name changes between instances and serverless, and with the memory', () => {
  const model = { image: IMAGE, executionRoleArn: defaults['execution-role-arn'], environment: {} };
  const names = [
    { variantName: 'AllTraffic', instanceType: 'ml.m5.large', instanceCount: 1 },
    { variantName: 'AllTraffic', serverless: { memorySizeInMB: 2048, maxConcurrency: 5 } },
    { variantName: 'AllTraffic', serverless: { memorySizeInMB: 3072, maxConcurrency: 5 } },
  ].map((variant) => resourceNames('charges', model, variant).endpointConfigName);
  expect(new Set(names).size).toBe(3);
});

// "Update a serverless endpoint" (developer guide): updating a real-time endpoint to a serverless
// one is not supported.
describe('conversionRefusal', () => {
  const serverless: VariantSettings = {
    variantName: 'AllTraffic',
    serverless: { memorySizeInMB: 2048, maxConcurrency: 5 },
  };
  const instances: VariantSettings = {
    variantName: 'AllTraffic',
    instanceType: 'ml.m5.large',
    instanceCount: 1,
  };
  const onInstances = [{ VariantName: 'AllTraffic', CurrentInstanceCount: 1 }];
  const onServerless = [
    { VariantName: 'AllTraffic', CurrentServerlessConfig: { MemorySizeInMB: 1024, MaxConcurrency: 1 } },
  ];
  test.each([
    ['instances to serverless: refused', onInstances, serverless, true],
    ['serverless to serverless', onServerless, serverless, false],
    ['instances to instances', onInstances, instances, false],
    ['no endpoint yet', undefined, serverless, false],
  ])('%s', (_name, serving, variant, refused) => {
    expect(conversionRefusal(serving, variant) !== undefined).toBe(refused);
  });
});
