import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DeployFailed } from '@deploy-suite/kit';
import { deploy } from '../../../actions/deploy-sagemaker/src/deploy';
import type { Inputs } from '../../../actions/deploy-sagemaker/src/inputs';
import type { Ports } from '../../../actions/deploy-sagemaker/src/ports';
import type { EndpointView } from '../../../actions/deploy-sagemaker/src/verdict';
import { fakeClock, recordingLog } from '../../support/fakes';

// The deploy through fake ports: DescribeEndpoint answers are scripted, time is a fake clock, so
// paths the simulator can only show within a short real-time window are checked here.
const inputs: Inputs = {
  endpointName: 'charges',
  model: {
    image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-service@sha256:${'2'.repeat(64)}`,
    executionRoleArn: 'arn:aws:iam::123456789012:role/sagemaker-execution',
    environment: {},
  },
  variant: { variantName: 'AllTraffic', instanceType: 'ml.m5.large', instanceCount: 2 },
  deployment: { mode: 'all-at-once', waitIntervalSeconds: 0, bakeMinutes: 0, alarms: ['charges-5xx'] },
  wait: true,
  timeoutMs: 10 * 60_000,
  rollbackOnFailure: true,
  region: 'us-east-1',
};

const ALARM_REASON = 'An alarm fired during the bake';

/** A fake SageMaker: the endpoint serves `old`, then answers `script` in turn (the last repeats). */
function fakePorts(script: EndpointView[], logs: () => Promise<unknown>) {
  const sent: string[] = [];
  let describes = 0;
  const sagemaker = {
    send: async (command: { constructor: { name: string } }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      sent.push(name);
      if (name === 'DescribeEndpoint') {
        const answer =
          describes === 0
            ? { EndpointStatus: 'InService', EndpointConfigName: 'old' }
            : script[Math.min(describes - 1, script.length - 1)];
        describes++;
        return answer;
      }
      if (name === 'DescribeModel' || name === 'DescribeEndpointConfig') {
        throw Object.assign(
          new Error(`SageMaker ${name} failed after 1 attempt: Could not find model "x".`),
          {
            name: 'ValidationException',
          },
        );
      }
      return {};
    },
  };
  const clock = fakeClock(1_700_000_000_000);
  const log = recordingLog();
  const ports: Ports = {
    sagemaker: sagemaker as unknown as SageMakerClient,
    logs: { send: logs } as unknown as CloudWatchLogsClient,
    runtime: { send: async () => ({}) } as unknown as Ports['runtime'],
    clock,
    log,
    pollMs: 2_000,
  };
  return { ports, sent, log, clock };
}

async function failureOf(work: Promise<unknown>): Promise<DeployFailed> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DeployFailed)) throw new Error(`expected DeployFailed, got ${String(err)}`);
  return err;
}

const rollingBack: EndpointView = {
  EndpointStatus: 'RollingBack',
  EndpointConfigName: 'old',
  FailureReason: ALARM_REASON,
};
const backOnOld: EndpointView = {
  EndpointStatus: 'InService',
  EndpointConfigName: 'old',
  FailureReason: ALARM_REASON,
};

test('rollback-on-failure: false stops at RollingBack and reports failed', async () => {
  const { ports } = fakePorts(
    [{ EndpointStatus: 'Updating', EndpointConfigName: 'old' }, rollingBack],
    async () => ({
      events: [],
    }),
  );
  const failure = await failureOf(deploy({ ...inputs, rollbackOnFailure: false }, ports));
  expect(failure.status).toBe('failed');
  expect(failure.message).toMatch(/SageMaker is rolling back to old \(not followed/);
  expect(failure.reasons).toEqual([`FailureReason: ${ALARM_REASON}`]);
});

test('rollback-on-failure: true follows RollingBack until the previous configuration serves: rolled-back', async () => {
  const { ports, clock } = fakePorts([rollingBack, rollingBack, backOnOld], async () => ({
    events: [{ logStreamName: 'AllTraffic/i-1', message: 'ping failed\n', timestamp: 1 }],
  }));
  const failure = await failureOf(deploy(inputs, ports));
  expect(failure.status).toBe('rolled-back');
  expect(failure.reasons).toEqual([
    `FailureReason: ${ALARM_REASON}`,
    'Last log lines of /aws/sagemaker/Endpoints/charges:',
    'AllTraffic/i-1: ping failed',
  ]);
  // Polls every 2 s: three DescribeEndpoint answers after the update, two pauses between them.
  expect(clock.slept).toHaveLength(2);
  expect(clock.slept.every((ms) => ms >= 1_800 && ms <= 2_200)).toBe(true);
});

test('log lines that cannot be read are a warning; the verdict stands', async () => {
  const { ports, log } = fakePorts([backOnOld], async () => {
    throw new Error('AccessDeniedException');
  });
  const failure = await failureOf(deploy(inputs, ports));
  expect(failure.status).toBe('rolled-back');
  expect(log.lines).toContain("warning: The endpoint's log lines could not be read: AccessDeniedException");
});

test('the timeout ends the wait with what was last seen', async () => {
  const { ports, sent } = fakePorts(
    [{ EndpointStatus: 'Updating', EndpointConfigName: 'old' }],
    async () => ({}),
  );
  const failure = await failureOf(deploy({ ...inputs, timeoutMs: 60_000 }, ports));
  expect(failure.message).toMatch(/^Timed out after 1 minute waiting for charges to serve charges-/);
  expect(failure.message).toContain('last seen: Updating');
  expect(sent.filter((call) => call === 'UpdateEndpoint')).toHaveLength(1);
});

test('the model and configuration are created before the update, in that order', async () => {
  const { ports, sent } = fakePorts(
    [{ EndpointStatus: 'InService', EndpointConfigName: 'x' }],
    async () => ({}),
  );
  await deploy(inputs, ports).catch(() => undefined);
  expect(sent.slice(0, 6)).toEqual([
    'DescribeEndpoint',
    'DescribeModel',
    'CreateModel',
    'DescribeEndpointConfig',
    'CreateEndpointConfig',
    'UpdateEndpoint',
  ]);
});
