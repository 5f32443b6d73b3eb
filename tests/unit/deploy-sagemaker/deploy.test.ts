import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DeployFailed } from '@deploy-suite/kit';
import { deploy } from '../../../actions/deploy-sagemaker/src/deploy';
import type { Inputs } from '../../../actions/deploy-sagemaker/src/inputs';
import { resourceNames } from '../../../actions/deploy-sagemaker/src/plan';
import type { Ports } from '../../../actions/deploy-sagemaker/src/ports';
import type { EndpointView } from '../../../actions/deploy-sagemaker/src/verdict';
import { fakeClock, recordingGitHub, recordingLog } from '../../support/fakes';

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
  keepVersions: 0,
  github: { token: '', environment: 'charges' },
  environmentUrl: undefined,
  region: 'us-east-1',
};

const ENDPOINT_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/charges';
const ALARM_REASON = 'An alarm fired during the bake';

/** A fake SageMaker: the endpoint serves `old`, then answers `script` in turn (the last repeats). */
function fakePorts(
  script: EndpointView[],
  logs: () => Promise<unknown>,
  invoke: () => Promise<unknown> = async () => ({}),
) {
  const sent: string[] = [];
  const params: Record<string, unknown>[] = [];
  let describes = 0;
  const sagemaker = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      sent.push(name);
      params.push(command.input);
      if (name === 'DescribeEndpoint') {
        const answer =
          describes === 0
            ? { EndpointStatus: 'InService', EndpointConfigName: 'old', EndpointArn: ENDPOINT_ARN }
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
  const github = recordingGitHub();
  const ports: Ports = {
    sagemaker: sagemaker as unknown as SageMakerClient,
    logs: { send: logs } as unknown as CloudWatchLogsClient,
    runtime: { send: invoke } as unknown as Ports['runtime'],
    clock,
    log,
    pollMs: 2_000,
    github,
  };
  return { ports, sent, params, log, clock, github };
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

test('the served configuration is read, then the model and configuration are created before the update, in that order', async () => {
  const { ports, sent } = fakePorts(
    [{ EndpointStatus: 'InService', EndpointConfigName: 'x' }],
    async () => ({}),
  );
  await deploy(inputs, ports).catch(() => undefined);
  expect(sent.slice(0, 7)).toEqual([
    'DescribeEndpoint',
    'DescribeEndpointConfig',
    'DescribeModel',
    'CreateModel',
    'DescribeEndpointConfig',
    'CreateEndpointConfig',
    'UpdateEndpoint',
  ]);
});

describe('the GitHub deployment (github-token), recorded by the kit as deploy-ecs and deploy-beanstalk do', () => {
  const github = { token: 'ghs_unitToken', environment: 'production-sagemaker' };
  const target = resourceNames(inputs.endpointName, inputs.model, inputs.variant).endpointConfigName;

  test('created in progress before the first change (CreateModel), then success with environment-url', async () => {
    const {
      ports,
      sent,
      github: gh,
    } = fakePorts([{ EndpointStatus: 'InService', EndpointConfigName: target }], async () => ({}));
    let statusesAtCreateModel: number | undefined;
    const send = ports.sagemaker.send.bind(ports.sagemaker);
    (ports.sagemaker as { send: unknown }).send = async (command: { constructor: { name: string } }) => {
      if (command.constructor.name === 'CreateModelCommand')
        statusesAtCreateModel = gh.deployments[0]?.statuses.length;
      return send(command as never);
    };
    const result = await deploy({ ...inputs, github, environmentUrl: 'https://models.example.com' }, ports);

    expect(result.status).toBe('succeeded');
    expect(sent).toContain('CreateModel');
    expect(statusesAtCreateModel).toBe(1);
    expect(gh.tokens).toEqual(['ghs_unitToken']);
    expect(gh.deployments).toHaveLength(1);
    expect(gh.deployments[0]?.deployment).toMatchObject({
      ref: 'c0ffee',
      environment: 'production-sagemaker',
      description: `sample-service@sha256:22222222… to charges`,
      task: 'deploy',
      productionEnvironment: true,
      payload: { endpoint: 'charges', 'endpoint-config': target, image: inputs.model.image },
    });
    expect(gh.deployments[0]?.statuses.map((s) => [s.state, s.description, s.environmentUrl])).toEqual([
      ['in_progress', 'Deploying', undefined],
      ['success', 'Deployed', 'https://models.example.com'],
    ]);
  });

  test("SageMaker's rollback of a failed update: failure, saying it was rolled back and why", async () => {
    const { ports, github: gh } = fakePorts([rollingBack, backOnOld], async () => ({ events: [] }));
    await failureOf(deploy({ ...inputs, github }, ports));
    expect(gh.deployments[0]?.statuses.map((s) => [s.state, s.description])).toEqual([
      ['in_progress', 'Deploying'],
      ['failure', `Rolled back: FailureReason: ${ALARM_REASON}`],
    ]);
  });

  test('wait: false leaves it in progress: the action does not see the end', async () => {
    const { ports, github: gh } = fakePorts([], async () => ({}));
    const result = await deploy({ ...inputs, github, wait: false }, ports);
    expect(result.status).toBe('started');
    expect(gh.deployments[0]?.statuses.map((s) => s.state)).toEqual(['in_progress']);
  });

  test('GitHub refusing is a warning; the deploy still succeeds', async () => {
    const {
      ports,
      log,
      github: gh,
    } = fakePorts([{ EndpointStatus: 'InService', EndpointConfigName: target }], async () => ({}));
    gh.refuse(new Error('Resource not accessible by integration'));
    const result = await deploy({ ...inputs, github }, ports);
    expect(result.status).toBe('succeeded');
    expect(log.lines).toContain(
      'warning: Could not create a GitHub deployment for production-sagemaker: Resource not accessible by integration',
    );
  });

  test('without github-token nothing is recorded', async () => {
    const { ports, github: gh } = fakePorts(
      [{ EndpointStatus: 'InService', EndpointConfigName: target }],
      async () => ({}),
    );
    await deploy(inputs, ports);
    expect(gh.deployments).toEqual([]);
  });
});

describe('smoke-test-payload', () => {
  const target = resourceNames(inputs.endpointName, inputs.model, inputs.variant).endpointConfigName;
  const smoke = {
    ...inputs,
    smokeTest: { payload: '{"instances": [[1]]}', contentType: 'application/json' },
  };
  const onTarget: EndpointView = { EndpointStatus: 'InService', EndpointConfigName: target };
  const onOld: EndpointView = { EndpointStatus: 'InService', EndpointConfigName: 'old' };
  const modelError = () =>
    Promise.reject(
      Object.assign(new Error('Received server error (500) from primary with message "boom"'), {
        name: 'ModelError',
        OriginalStatusCode: 500,
        OriginalMessage: 'boom',
      }),
    );

  test('passes: the update succeeds and the configuration served before is recorded for rollback-to', async () => {
    const { ports, sent, params } = fakePorts(
      [onTarget],
      async () => ({}),
      async () => ({ Body: new Uint8Array() }),
    );
    const result = await deploy({ ...smoke, endpointName: 'charges' }, ports);
    expect(result.status).toBe('succeeded');
    const tagged = params[sent.indexOf('AddTags')];
    expect(tagged).toMatchObject({
      ResourceArn: ENDPOINT_ARN,
      Tags: [{ Key: 'deploy-suite:previous-endpoint-config', Value: 'old' }],
    });
  });

  test('fails: UpdateEndpoint back to the configuration served before, followed to InService: rolled-back', async () => {
    const { ports, sent, params } = fakePorts(
      [onTarget, { EndpointStatus: 'Updating', EndpointConfigName: target }, onOld],
      async () => ({}),
      modelError,
    );
    const failure = await failureOf(deploy(smoke, ports));
    expect(failure.status).toBe('rolled-back');
    expect(failure.message).toBe(
      `the smoke test of charges on ${target} failed (the container answered 500); old serves again`,
    );
    expect(failure.reasons).toEqual([
      'InvokeEndpoint: Received server error (500) from primary with message "boom"',
      'Smoke test response: boom',
    ]);
    const updates = sent.flatMap((call, i) =>
      call === 'UpdateEndpoint' ? [params[i]?.['EndpointConfigName']] : [],
    );
    expect(updates).toEqual([target, 'old']);
    expect(sent).not.toContain('AddTags');
  });

  test('fails, and the way back ends elsewhere: failed, saying where the endpoint is', async () => {
    const { ports } = fakePorts(
      [onTarget, { EndpointStatus: 'Failed', EndpointConfigName: target, FailureReason: 'x' }],
      async () => ({}),
      modelError,
    );
    const failure = await failureOf(deploy(smoke, ports));
    expect(failure.status).toBe('failed');
    expect(failure.message).toMatch(/and returning to old did not complete: charges is Failed on charges-/);
  });
});
