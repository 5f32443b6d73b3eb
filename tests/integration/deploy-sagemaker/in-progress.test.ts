import { IMAGE_1, IMAGE_2, SageMakerStack } from './sagemaker-stack';

// Changes already running when the action starts. SageMaker refuses UpdateEndpoint while an
// endpoint is Creating, Updating, SystemUpdating or RollingBack (API reference, UpdateEndpoint and
// DescribeEndpoint EndpointStatus); the simulator's update-while-updating scenario provisions for
// 60 minutes (12 s real at x300) so a second run meets the first in progress, however loaded the
// machine is. Outcomes and call counts only.
let sim: SageMakerStack;
jest.setTimeout(120_000);

beforeAll(async () => {
  sim = await SageMakerStack.start();
}, 60_000);

afterAll(async () => {
  await sim?.stop();
});

async function createdThenBusy(): Promise<string> {
  await sim.fresh('busy');
  const first = await sim.deploy('busy', { image: IMAGE_1 });
  expect(first.outputs.status).toBe('succeeded');
  await sim.choose('busy', 'update-while-updating');
  return first.outputs['endpoint-config-name'] ?? '';
}

test('wait: false starts the update and reports started', async () => {
  const before = await createdThenBusy();
  const result = await sim.deploy('busy', { image: IMAGE_2, wait: 'false' });

  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({ status: 'started', 'previous-endpoint-config-name': before });
  expect(await sim.endpoint('busy')).toMatchObject({ status: 'Updating', configName: before });
});

test('a re-run while its own update runs follows it, with no second UpdateEndpoint', async () => {
  await createdThenBusy();
  const started = await sim.deploy('busy', { image: IMAGE_2, wait: 'false' });
  const rerun = await sim.deploy('busy', { image: IMAGE_2, 'timeout-minutes': '180' });

  expect(rerun.exitCode).toBe(0);
  expect(rerun.outputs).toMatchObject({
    status: 'succeeded',
    'endpoint-config-name': started.outputs['endpoint-config-name'],
  });
  expect(rerun.stdout).toContain('Following busy with');
  expect(await sim.calls('UpdateEndpoint')).toHaveLength(1);
});

test('another change in progress is waited for, then the endpoint is updated once', async () => {
  await createdThenBusy();
  await sim.deploy('busy', { image: IMAGE_2, wait: 'false' });
  const result = await sim.deploy('busy', {
    image: IMAGE_2,
    'environment-variables': 'SAGEMAKER_MODEL_SERVER_WORKERS=2',
    'timeout-minutes': '180',
  });

  expect(result.exitCode).toBe(0);
  expect(result.stdout).toContain('busy is Updating with another change; waiting until it ends');
  expect(result.outputs.status).toBe('succeeded');
  expect(await sim.calls('UpdateEndpoint')).toHaveLength(2);
  expect(await sim.endpoint('busy')).toMatchObject({
    status: 'InService',
    configName: result.outputs['endpoint-config-name'],
  });
});
