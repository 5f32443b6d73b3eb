import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { deploy } from '../../../actions/deploy-sagemaker/src/deploy';
import type { Inputs } from '../../../actions/deploy-sagemaker/src/inputs';
import type { Ports } from '../../../actions/deploy-sagemaker/src/ports';
import { fakeClock, recordingGitHub, recordingLog } from '../../support/fakes';

// The carry-over through the deploy's ports: what the endpoint serves is read before anything is
// named, what cannot be read is a warning, and the requests hold what was read.
const inputs: Inputs = {
  endpointName: 'charges',
  model: {
    image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-service@sha256:${'2'.repeat(64)}`,
    executionRoleArn: 'arn:aws:iam::123456789012:role/sagemaker-execution',
    environment: {},
  },
  variant: { variantName: 'AllTraffic', instanceType: 'ml.m5.large', instanceCount: 2 },
  deployment: { mode: 'all-at-once', waitIntervalSeconds: 0, bakeMinutes: 0, alarms: [] },
  wait: true,
  timeoutMs: 10 * 60_000,
  rollbackOnFailure: true,
  keepVersions: 0,
  github: { token: '', environment: 'charges' },
  environmentUrl: undefined,
  region: 'us-east-1',
};

const CAPTURE = { EnableCapture: true, InitialSamplingPercentage: 5, DestinationS3Uri: 's3://m/c' };
const notFound = (what: string) =>
  Object.assign(new Error(`SageMaker ${what} failed after 1 attempt: Could not find ${what}.`), {
    name: 'ValidationException',
  });

/** A fake SageMaker serving `hand-made` until UpdateEndpoint, then the configuration it was given. */
function fakePorts(servedConfigExists: boolean) {
  const requests: Record<string, Record<string, unknown>> = {};
  let serving = 'hand-made';
  const sagemaker = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      requests[name] ??= command.input;
      const input = command.input;
      switch (name) {
        case 'DescribeEndpoint':
          return { EndpointStatus: 'InService', EndpointConfigName: serving };
        case 'DescribeEndpointConfig':
          if (input['EndpointConfigName'] !== 'hand-made' || !servedConfigExists)
            throw notFound('endpoint configuration');
          return {
            EndpointConfigName: 'hand-made',
            EndpointConfigArn: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/hand-made',
            DataCaptureConfig: CAPTURE,
            ProductionVariants: [
              { VariantName: 'AllTraffic', ModelName: 'hand-made-model', VolumeSizeInGB: 30 },
            ],
          };
        case 'DescribeModel':
          if (input['ModelName'] !== 'hand-made-model') throw notFound('model');
          return {
            ModelName: 'hand-made-model',
            VpcConfig: { SecurityGroupIds: ['sg-1'], Subnets: ['s-1'] },
          };
        case 'ListTags':
          throw Object.assign(new Error('SageMaker ListTags failed after 1 attempt: not authorized'), {
            name: 'AccessDeniedException',
          });
        case 'UpdateEndpoint':
          serving = String(input['EndpointConfigName']);
          return {};
        default:
          return {};
      }
    },
  };
  const log = recordingLog();
  const ports: Ports = {
    sagemaker: sagemaker as unknown as SageMakerClient,
    logs: { send: async () => ({ events: [] }) } as unknown as CloudWatchLogsClient,
    runtime: { send: async () => ({}) } as unknown as Ports['runtime'],
    clock: fakeClock(1_700_000_000_000),
    log,
    pollMs: 2_000,
    github: recordingGitHub(),
  };
  return { ports, requests, log };
}

test('the served settings go into the new configuration and model; tags that cannot be read are a warning', async () => {
  const { ports, requests, log } = fakePorts(true);
  const result = await deploy(inputs, ports);

  expect(result.status).toBe('succeeded');
  expect(requests['CreateEndpointConfig']).toMatchObject({
    DataCaptureConfig: CAPTURE,
    ProductionVariants: [{ VariantName: 'AllTraffic', VolumeSizeInGB: 30, InstanceType: 'ml.m5.large' }],
  });
  expect(requests['CreateModel']).toMatchObject({
    VpcConfig: { SecurityGroupIds: ['sg-1'], Subnets: ['s-1'] },
  });
  expect(log.lines).toContain(
    'Kept from hand-made: DataCaptureConfig, variant AllTraffic: VolumeSizeInGB, model: VpcConfig',
  );
  expect(log.lines).toContain(
    'warning: The tags of arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/hand-made could not be read, so they are not carried over: SageMaker ListTags failed after 1 attempt: not authorized',
  );
});

test('a served configuration deleted while in use carries nothing, with a warning', async () => {
  const { ports, requests, log } = fakePorts(false);
  const result = await deploy(inputs, ports);

  expect(result.status).toBe('succeeded');
  expect(requests['CreateEndpointConfig']).not.toHaveProperty('DataCaptureConfig');
  expect(log.lines).toContain(
    'warning: charges serves hand-made, which no longer exists: nothing of it is carried over',
  );
});
