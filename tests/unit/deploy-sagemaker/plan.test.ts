import { InputError } from '@deploy-suite/kit';
import {
  NAME_PATTERN,
  deploymentConfig,
  endpointAction,
  parseStepSize,
  resourceNames,
  settingsHash,
  type DeploymentSettings,
  type ModelSettings,
  type VariantSettings,
} from '../../../actions/deploy-sagemaker/src/plan';

const DIGEST = `sha256:${'0123456789ab'}${'c'.repeat(52)}`;
const model: ModelSettings = {
  image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-service@${DIGEST}`,
  executionRoleArn: 'arn:aws:iam::123456789012:role/sagemaker-execution',
  environment: { TFJS_BACKEND: 'wasm' },
};
const variant: VariantSettings = { variantName: 'AllTraffic', instanceType: 'ml.m5.large', instanceCount: 2 };

// Names: EndpointConfigName/ModelName at most 63 characters, pattern from the botocore model
// sagemaker/2017-07-24 (`[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`).
describe('resourceNames', () => {
  it('derives both names from the endpoint, the digest and a hash of what each holds', () => {
    const names = resourceNames('charges', model, variant);
    expect(names.modelName).toMatch(/^charges-0123456789ab-[0-9a-f]{8}$/);
    expect(names.endpointConfigName).toMatch(/^charges-0123456789ab-[0-9a-f]{8}$/);
    expect(names.endpointConfigName).not.toBe(names.modelName);
  });

  it.each([
    [
      'another environment changes the model and the configuration',
      { ...model, environment: { TFJS_BACKEND: 'cpu' } },
      variant,
      true,
      true,
    ],
    [
      'another role changes the model',
      { ...model, executionRoleArn: 'arn:aws:iam::123456789012:role/other' },
      variant,
      true,
      true,
    ],
    [
      'another instance count changes only the configuration',
      model,
      { ...variant, instanceCount: 3 },
      false,
      true,
    ],
    [
      'another instance type changes only the configuration',
      model,
      { ...variant, instanceType: 'ml.c5.large' },
      false,
      true,
    ],
    [
      'the same settings in another key order change nothing',
      { ...model, environment: { TFJS_BACKEND: 'wasm' } },
      { instanceCount: 2, instanceType: 'ml.m5.large', variantName: 'AllTraffic' },
      false,
      false,
    ],
  ])('%s', (_case, otherModel, otherVariant, modelChanges, configChanges) => {
    const before = resourceNames('charges', model, variant);
    const after = resourceNames('charges', otherModel, otherVariant);
    expect(after.modelName !== before.modelName).toBe(modelChanges);
    expect(after.endpointConfigName !== before.endpointConfigName).toBe(configChanges);
  });

  it.each([
    ['a 63-character endpoint name', 'e'.repeat(63)],
    ['a name whose cut ends in hyphens', `${'a'.repeat(40)}---b`],
    ['a one-letter name', 'x'],
  ])('stays within 63 characters and the name pattern for %s', (_case, endpoint) => {
    const { modelName, endpointConfigName } = resourceNames(endpoint, model, variant);
    for (const name of [modelName, endpointConfigName]) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(NAME_PATTERN);
    }
  });

  it.each([
    ['endpoint-name', 'bad_name', model],
    ['endpoint-name', '-leading', model],
    ['endpoint-name', 'e'.repeat(64), model],
    [
      'image',
      'charges',
      { ...model, image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-service:v1' },
    ],
    ['image', 'charges', { ...model, image: 'repo@sha256:short' }],
  ])('refuses a bad %s with an InputError naming it (%s)', (input, endpoint, settings) => {
    expect(() => resourceNames(endpoint, settings, variant)).toThrow(InputError);
    expect(() => resourceNames(endpoint, settings, variant)).toThrow(`Input '${input}'`);
  });

  it('hashes canonically: key order does not matter', () => {
    expect(settingsHash({ a: 1, b: { c: 2, d: 3 } })).toBe(settingsHash({ b: { d: 3, c: 2 }, a: 1 }));
    expect(settingsHash({ a: 1 })).not.toBe(settingsHash({ a: 2 }));
  });
});

describe('parseStepSize', () => {
  it.each([
    ['25%', { unit: 'percent', value: 25 }],
    [' 10 % ', { unit: 'percent', value: 10 }],
    ['2', { unit: 'instances', value: 2 }],
  ])('reads %j', (value, size) => {
    expect(parseStepSize('canary-size', value)).toEqual(size);
  });

  it.each(['0', '0%', '101%', 'half', '-1', '2.5'])('refuses %j', (value) => {
    expect(() => parseStepSize('canary-size', value)).toThrow("Input 'canary-size' must be a percentage");
  });
});

const base: DeploymentSettings = {
  mode: 'all-at-once',
  waitIntervalSeconds: 300,
  bakeMinutes: 10,
  alarms: [],
};

// DeploymentConfig of UpdateEndpoint; traffic shifting modes and their size rules from the
// SageMaker developer guide ("Use canary traffic shifting": the canary at most 50% of the new
// fleet; "Use linear traffic shifting": each step 10-50%); limits from the botocore model.
describe('deploymentConfig', () => {
  it.each<[string, DeploymentSettings, object]>([
    [
      'all-at-once: one shift, bake-minutes as TerminationWaitInSeconds, no alarms',
      base,
      {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 300 },
          TerminationWaitInSeconds: 600,
        },
      },
    ],
    [
      'canary of 10% with alarms and a timeout',
      {
        ...base,
        mode: 'canary',
        canarySize: { unit: 'percent', value: 10 },
        alarms: ['5xx', 'latency'],
        maximumExecutionSeconds: 3600,
      },
      {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: {
            Type: 'CANARY',
            WaitIntervalInSeconds: 300,
            CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 },
          },
          TerminationWaitInSeconds: 600,
          MaximumExecutionTimeoutInSeconds: 3600,
        },
        AutoRollbackConfiguration: { Alarms: [{ AlarmName: '5xx' }, { AlarmName: 'latency' }] },
      },
    ],
    [
      'canary of one instance',
      { ...base, mode: 'canary', canarySize: { unit: 'instances', value: 1 } },
      {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: {
            Type: 'CANARY',
            WaitIntervalInSeconds: 300,
            CanarySize: { Type: 'INSTANCE_COUNT', Value: 1 },
          },
          TerminationWaitInSeconds: 600,
        },
      },
    ],
    [
      'linear steps of 20% with no bake at the end',
      {
        ...base,
        mode: 'linear',
        linearStepSize: { unit: 'percent', value: 20 },
        waitIntervalSeconds: 60,
        bakeMinutes: 0,
      },
      {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: {
            Type: 'LINEAR',
            WaitIntervalInSeconds: 60,
            LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 20 },
          },
          TerminationWaitInSeconds: 0,
        },
      },
    ],
  ])('%s', (_case, settings, expected) => {
    expect(deploymentConfig(settings)).toEqual(expected);
  });

  it.each<[string, DeploymentSettings, string]>([
    [
      'a canary over half the fleet',
      { ...base, mode: 'canary', canarySize: { unit: 'percent', value: 60 } },
      "Input 'canary-size' must be from 1% to 50%",
    ],
    ['a canary without a size', { ...base, mode: 'canary' }, "Input 'canary-size' is required"],
    [
      'a linear step under 10%',
      { ...base, mode: 'linear', linearStepSize: { unit: 'percent', value: 5 } },
      "Input 'linear-step-size' must be from 10% to 50%",
    ],
    [
      'a bake over an hour',
      { ...base, bakeMinutes: 61 },
      "Input 'bake-minutes' must be a whole number of seconds from 0 to 3600",
    ],
    ['a wait interval over an hour', { ...base, waitIntervalSeconds: 3601 }, "Input 'wait-interval'"],
    [
      'a timeout under 600 s',
      { ...base, maximumExecutionSeconds: 300 },
      "Input 'timeout' must be a whole number of seconds from 600 to 28800",
    ],
    [
      'eleven alarms',
      { ...base, alarms: Array.from({ length: 11 }, (_, i) => `a${i}`) },
      "Input 'alarms' takes at most 10 alarms",
    ],
    [
      'a blank alarm name',
      { ...base, alarms: ['ok', ' '] },
      "Input 'alarms' names alarms of 1 to 255 characters",
    ],
    // CloudWatch API Reference, PutMetricAlarm AlarmName: "can't contain ASCII control characters".
    [
      'an alarm name with a terminal escape',
      { ...base, alarms: ['\u001b[31mscoring-5xx'] },
      "Input 'alarms' names alarms of 1 to 255 characters, not blank and without control characters; got '[31mscoring-5xx'",
    ],
    [
      'an alarm name with a carriage return',
      { ...base, alarms: ['scoring-5xx\r::error::x'] },
      'without control characters',
    ],
    ['an alarm name with DEL', { ...base, alarms: ['a\u007f'] }, 'without control characters'],
  ])('refuses %s', (_case, settings, message) => {
    expect(() => deploymentConfig(settings)).toThrow(message);
  });
});

// EndpointStatus as the API reference defines it: UpdateEndpoint is refused while a change runs
// ("Cannot update in-progress endpoint"); "DeleteEndpoint is the only operation that can be
// performed on a failed endpoint".
describe('endpointAction', () => {
  const target = 'charges-0123456789ab-1a2b3c4d';
  it.each([
    ['no endpoint: create', undefined, { kind: 'create' }],
    [
      'InService on the target: nothing',
      { EndpointStatus: 'InService', EndpointConfigName: target },
      { kind: 'nothing' },
    ],
    [
      'InService on another configuration: update',
      { EndpointStatus: 'InService', EndpointConfigName: 'charges-old' },
      { kind: 'update', from: 'charges-old' },
    ],
    [
      'InService after a failed update to the target: update again',
      { EndpointStatus: 'InService', EndpointConfigName: 'charges-old', FailureReason: 'ping failed' },
      { kind: 'update', from: 'charges-old' },
    ],
    [
      'Creating the target (a re-run): follow',
      { EndpointStatus: 'Creating', EndpointConfigName: target },
      { kind: 'follow', status: 'Creating' },
    ],
    [
      'Updating to the target (a re-run): follow',
      {
        EndpointStatus: 'Updating',
        EndpointConfigName: 'charges-old',
        PendingDeploymentSummary: { EndpointConfigName: target },
      },
      { kind: 'follow', status: 'Updating' },
    ],
    [
      'Updating to something else: wait',
      {
        EndpointStatus: 'Updating',
        EndpointConfigName: 'charges-old',
        PendingDeploymentSummary: { EndpointConfigName: 'charges-other' },
      },
      { kind: 'wait', status: 'Updating' },
    ],
    [
      'RollingBack from the target: wait, then decide again',
      {
        EndpointStatus: 'RollingBack',
        EndpointConfigName: 'charges-old',
        PendingDeploymentSummary: { EndpointConfigName: target },
      },
      { kind: 'wait', status: 'RollingBack' },
    ],
    [
      'SystemUpdating: wait',
      { EndpointStatus: 'SystemUpdating', EndpointConfigName: target },
      { kind: 'wait', status: 'SystemUpdating' },
    ],
  ] as const)('%s', (_case, endpoint, action) => {
    expect(endpointAction(endpoint, target)).toEqual(action);
  });

  it.each(['Failed', 'UpdateRollbackFailed', 'Deleting', 'OutOfService'] as const)(
    '%s: blocked, saying why',
    (status) => {
      const action = endpointAction(
        { EndpointStatus: status, EndpointConfigName: target, FailureReason: 'ping failed' },
        target,
      );
      expect(action).toMatchObject({ kind: 'blocked', status });
      expect(action.kind === 'blocked' && action.reason).toContain(status);
    },
  );
});
