import { INJECTED_COMMANDS, MARK } from '../hostile/hostile';
import { errorOf, IMAGE_1, IMAGE_2, SageMakerStack } from './sagemaker-stack';

// The bundled action against the scenario simulator's SageMaker (tests/support/simulator/README.md
// cites the API reference and developer guide behind each scenario). Outcomes only: no poll counts.
let sim: SageMakerStack;
jest.setTimeout(90_000);

beforeAll(async () => {
  sim = await SageMakerStack.start();
}, 60_000);

afterAll(async () => {
  await sim?.stop();
});

const PING = 'did not pass the ping health check';

/** The endpoint created by a first run (healthy), before the scenario under test is chosen. */
async function created(name: string): Promise<string> {
  const first = await sim.deploy(name, { image: IMAGE_1 });
  expect(first.outputs.status).toBe('succeeded');
  return first.outputs['endpoint-config-name'] ?? '';
}

describe('deploys that succeed', () => {
  test('healthy create: a new endpoint InService on the new configuration', async () => {
    await sim.fresh('charges');
    const result = await sim.deploy('charges');

    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({
      status: 'succeeded',
      'endpoint-arn': expect.stringMatching(/^arn:aws:sagemaker:us-east-1:\d{12}:endpoint\/charges$/),
      'endpoint-config-name': expect.stringMatching(/^charges-111111111111-[0-9a-f]{8}$/),
      'model-name': expect.stringMatching(/^charges-111111111111-[0-9a-f]{8}$/),
    });
    expect(await sim.endpoint('charges')).toMatchObject({
      status: 'InService',
      configName: result.outputs['endpoint-config-name'],
    });
    expect(result.summary).toContain('charges is InService on');
    expect(await sim.calls('CreateEndpoint')).toHaveLength(1);
    expect(await sim.calls('UpdateEndpoint')).toHaveLength(0);
  });

  test('healthy update: UpdateEndpoint with the canary, previous configuration as an output', async () => {
    await sim.fresh('charges');
    const before = await created('charges');
    const result = await sim.deploy('charges', {
      image: IMAGE_2,
      deployment: 'canary',
      'canary-size': '50%',
      'wait-interval': '120',
    });

    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      status: 'succeeded',
      'previous-endpoint-config-name': before,
      'endpoint-config-name': expect.stringMatching(/^charges-222222222222-/),
    });
    expect(await sim.endpoint('charges')).toMatchObject({
      status: 'InService',
      configName: result.outputs['endpoint-config-name'],
    });
    const [update] = await sim.calls('UpdateEndpoint');
    expect(update?.params).toMatchObject({
      DeploymentConfig: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: {
            Type: 'CANARY',
            WaitIntervalInSeconds: 120,
            CanarySize: { Type: 'CAPACITY_PERCENT', Value: 50 },
          },
        },
      },
    });
    expect(result.stdout).toContain('Baking');
  });

  test('an idempotent re-run creates no second model or configuration and changes nothing', async () => {
    await sim.fresh('charges');
    const config = await created('charges');
    const again = await sim.deploy('charges', { image: IMAGE_1 });

    expect(again.exitCode).toBe(0);
    expect(again.outputs).toMatchObject({ status: 'succeeded', 'endpoint-config-name': config });
    expect(again.stdout).toContain(`charges already serves ${config}; nothing to change`);
    expect(again.stdout).toContain('Reused the existing model');
    expect(await sim.calls('CreateModel')).toHaveLength(1);
    expect(await sim.calls('CreateEndpointConfig')).toHaveLength(1);
    expect(await sim.calls('CreateEndpoint')).toHaveLength(1);
    expect(await sim.calls('UpdateEndpoint')).toHaveLength(0);
  });
});

describe('deploys that fail', () => {
  test('ping-fails on update: the reason and log lines printed, the previous configuration serving', async () => {
    await sim.fresh('charges');
    const before = await created('charges');
    await sim.choose('charges', 'ping-fails');
    const result = await sim.deploy('charges', { image: IMAGE_2 });

    expect(result.exitCode).not.toBe(0);
    // SageMaker leaves a failed update InService on the previous configuration (API reference,
    // DescribeEndpoint FailureReason): its own rollback.
    expect(result.outputs).toMatchObject({ status: 'rolled-back', 'previous-endpoint-config-name': before });
    expect(await sim.endpoint('charges')).toMatchObject({ status: 'InService', configName: before });
    expect(errorOf(result)).toContain(PING);
    expect(result.stdout).toContain(
      `FailureReason: The primary container for production variant AllTraffic ${PING}`,
    );
    expect(result.stdout).toContain('Last log lines of /aws/sagemaker/Endpoints/charges:');
    // The summary's first line: verdict, then the cause in one sentence.
    expect(result.summary.split('\n')[0]).toMatch(
      new RegExp(
        `^## ❌ deploy-sagemaker rolled back: the update of charges to charges-222222222222-\\w+ failed: .*${PING}.*; ${before} serves again$`,
      ),
    );
  });

  test('ping-fails on create: Failed, with the reason', async () => {
    await sim.fresh('charges', 'ping-fails');
    const result = await sim.deploy('charges');

    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.status).toBe('failed');
    expect(errorOf(result)).toMatch(new RegExp(`charges is Failed: .*${PING}`));
    expect((await sim.endpoint('charges')).status).toBe('Failed');
  });

  test('alarm-during-bake: RollingBack followed until the previous configuration serves', async () => {
    await sim.fresh('charges');
    const before = await created('charges');
    await sim.choose('charges', 'alarm-during-bake');
    const result = await sim.deploy('charges', {
      image: IMAGE_2,
      'wait-interval': '300',
      alarms: 'charges-5xx',
    });

    expect(result.exitCode).not.toBe(0);
    expect(result.outputs).toMatchObject({ status: 'rolled-back', 'previous-endpoint-config-name': before });
    expect(result.stdout).toContain('RollingBack');
    expect(await sim.endpoint('charges')).toMatchObject({ status: 'InService', configName: before });
  });

  test('capacity-error: one clear line naming the call and the quota', async () => {
    await sim.fresh('charges', 'capacity-error');
    const result = await sim.deploy('charges');

    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.status).toBe('failed');
    const error = errorOf(result);
    expect(error).toMatch(
      /^SageMaker CreateEndpoint failed after \d+ attempts?: The account-level service limit '.*' is 0 Instances/,
    );
    expect(error).not.toContain('\n');
  });

  test.each([
    ['image', { image: `${IMAGE_1.split('@')[0]}:latest` }, /^Input 'image' must name the image by digest/],
    [
      'endpoint-name',
      { 'endpoint-name': `charges\n${INJECTED_COMMANDS.join('\n')}` },
      /^Input 'endpoint-name' must be 1 to 63 letters/,
    ],
    ['execution-role-arn', { 'execution-role-arn': 'sagemaker-execution' }, /^Input 'execution-role-arn'/],
    [
      'environment-variables',
      { 'environment-variables': 'MODEL-PATH=/opt/ml' },
      /^Input 'environment-variables'/,
    ],
    [
      'canary-size',
      { deployment: 'canary', 'canary-size': '75%' },
      /^Input 'canary-size' must be from 1% to 50%/,
    ],
  ])('a bad %s is refused in one line before any call', async (_input, inputs, error) => {
    await sim.fresh('charges');
    const result = await sim.deploy('charges', inputs);

    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(error);
    expect(result.stdout).not.toContain(`${MARK}-`);
    expect(await sim.calls()).toEqual([]);
  });
});
