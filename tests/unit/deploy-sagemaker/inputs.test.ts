import { readInputs } from '../../../actions/deploy-sagemaker/src/inputs';
import { actionDefaults, errorOf, inputsOf } from '../../support/inputs';

const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-service@sha256:${'a'.repeat(64)}`;
// What the runner passes: action.yml's defaults, and the inputs a deploy needs.
const defaults = {
  ...actionDefaults('deploy-sagemaker'),
  'endpoint-name': 'charges',
  image: IMAGE,
  'execution-role-arn': 'arn:aws:iam::123456789012:role/sagemaker-execution',
  'instance-type': 'ml.m5.large',
  'instance-count': '1',
};
const read = (overrides: Record<string, string>) => readInputs(inputsOf({ ...defaults, ...overrides }));

test('the defaults read as one variant of one instance, deployed all at once', () => {
  expect(read({})).toMatchObject({
    endpointName: 'charges',
    model: { image: IMAGE, environment: {} },
    variant: { variantName: 'AllTraffic', instanceType: 'ml.m5.large', instanceCount: 1 },
    deployment: { mode: 'all-at-once', waitIntervalSeconds: 0, bakeMinutes: 0, alarms: [] },
    wait: true,
    timeoutMs: 30 * 60_000,
    rollbackOnFailure: true,
  });
  expect(read({}).model).not.toHaveProperty('modelDataUrl');
});

test('environment variables, model data, a canary and alarms are read', () => {
  const inputs = read({
    'environment-variables': 'TFJS_BACKEND=wasm\nSAGEMAKER_MODEL_SERVER_WORKERS=2',
    'model-data': 's3://models-bucket/charges/model.tar.gz',
    deployment: 'canary',
    'canary-size': '25%',
    'wait-interval': '300',
    alarms: 'charges-5xx, charges-latency',
  });
  expect(inputs.model).toMatchObject({
    environment: { TFJS_BACKEND: 'wasm', SAGEMAKER_MODEL_SERVER_WORKERS: '2' },
    modelDataUrl: 's3://models-bucket/charges/model.tar.gz',
  });
  expect(inputs.deployment).toMatchObject({
    mode: 'canary',
    canarySize: { unit: 'percent', value: 25 },
    waitIntervalSeconds: 300,
    alarms: ['charges-5xx', 'charges-latency'],
  });
});

// Patterns and limits of the botocore model sagemaker/2017-07-24 (RoleArn, EnvironmentKey,
// ProductionVariantInstanceType, InitialInstanceCount, EndpointName, VariantName, Url).
test.each([
  [{ 'endpoint-name': 'charges_prod' }, "Input 'endpoint-name' must be 1 to 63 letters"],
  [{ 'endpoint-name': 'a'.repeat(64) }, "Input 'endpoint-name' must be 1 to 63"],
  [{ 'variant-name': '-all' }, "Input 'variant-name' must be 1 to 63"],
  [{ 'execution-role-arn': 'sagemaker-execution' }, "Input 'execution-role-arn' must be an IAM role ARN"],
  [{ 'execution-role-arn': 'arn:aws:iam::123456789012:user/me' }, "Input 'execution-role-arn'"],
  [{ 'instance-type': 'm5.large' }, "Input 'instance-type' must be an ml. instance type"],
  [{ 'instance-count': '0' }, "Input 'instance-count'"],
  [{ 'environment-variables': '1BAD=x' }, "Input 'environment-variables' names variables"],
  [{ 'environment-variables': `A=${'x'.repeat(1025)}` }, "Input 'environment-variables' takes values"],
  [{ 'model-data': 'https://example.com/model.tar.gz' }, "Input 'model-data' must be an S3 URI"],
  [{ deployment: 'blue-green' }, "Input 'deployment'"],
  [{ 'canary-size': '10%' }, "Input 'canary-size' applies only to deployment: canary"],
  [{ deployment: 'linear', 'linear-step-size': 'half' }, "Input 'linear-step-size' must be a percentage"],
  [{ 'bake-minutes': '61' }, "Input 'bake-minutes'"],
  [{ 'timeout-minutes': '0' }, "Input 'timeout-minutes'"],
  // The same limits and words as deploy-beanstalk's keep-versions (the kit's readKeepVersions).
  [{ 'keep-versions': '-1' }, "Input 'keep-versions' must be from 0 to 1000; got -1"],
  [{ 'keep-versions': 'two' }, "Input 'keep-versions'"],
  // The same rules as deploy-ecs and deploy-beanstalk (the kit's deployment recorder inputs).
  [{ 'github-environment': 'prod\nx' }, "Input 'github-environment' must be one line"],
  [{ 'environment-url': 'ftp://models.example.com' }, "Input 'environment-url' must be an http(s) URL"],
])('%j is refused in one line naming the input', (overrides, message) => {
  const error = errorOf(() => read(overrides));
  expect(error).toContain(`InputError: ${message}`);
  expect(error).not.toContain('\n');
});

test('more than 100 environment variables are refused (EnvironmentMap holds at most 100)', () => {
  const lines = Array.from({ length: 101 }, (_, i) => `V${i}=x`).join('\n');
  expect(errorOf(() => read({ 'environment-variables': lines }))).toContain('at most 100 variables; got 101');
});

test('keep-versions, github-token, github-environment and environment-url are read as in the other deploy actions', () => {
  expect(read({})).toMatchObject({
    keepVersions: 0,
    github: { token: '', environment: 'charges' },
    environmentUrl: undefined,
  });
  expect(
    read({
      'keep-versions': '2',
      'github-token': 'ghs_x',
      'github-environment': 'production-sagemaker',
      'environment-url': 'https://models.example.com',
    }),
  ).toMatchObject({
    keepVersions: 2,
    github: { token: 'ghs_x', environment: 'production-sagemaker' },
    environmentUrl: 'https://models.example.com',
  });
});
