import { CreateEndpointCommand } from '@aws-sdk/client-sagemaker';
import { imageOf, SageMakerStack } from './sagemaker-stack';

// keep-versions through the bundled action on the simulator's SageMaker, read back from what the
// simulator holds. DeleteEndpointConfig does not refuse a configuration an endpoint uses (API
// reference: "You must not delete an EndpointConfig in use by an endpoint…"; the endpoint only
// loses visibility of its instance type), so keeping it is the action's own doing. Outcomes only.
let sim: SageMakerStack;
jest.setTimeout(180_000);

beforeAll(async () => {
  sim = await SageMakerStack.start();
}, 60_000);

afterAll(async () => {
  await sim?.stop();
});

/** Deploys versions `from`…`to` in turn, each one succeeding; the names of each, by version. */
async function deployVersions(endpoint: string, from: number, to: number) {
  const versions = new Map<number, { model: string; config: string }>();
  for (let n = from; n <= to; n++) {
    const result = await sim.deploy(endpoint, { image: imageOf(n), 'keep-versions': '2' });
    expect(result.outputs.status).toBe('succeeded');
    versions.set(n, {
      model: result.outputs['model-name'] ?? '',
      config: result.outputs['endpoint-config-name'] ?? '',
    });
  }
  return versions;
}

test('four deploys with keep-versions 2: the two newest models and configurations remain', async () => {
  await sim.fresh('charges');
  const v = await deployVersions('charges', 1, 4);

  const held = await sim.names();
  expect(held.endpointConfigs).toEqual([v.get(3)?.config, v.get(4)?.config].sort());
  expect(held.models).toEqual([v.get(3)?.model, v.get(4)?.model].sort());
  expect(await sim.endpoint('charges')).toMatchObject({ status: 'InService', configName: v.get(4)?.config });
  const deletes = (await sim.calls('DeleteEndpointConfig')).map((call) => call.params['EndpointConfigName']);
  expect(deletes).toEqual([v.get(1)?.config, v.get(2)?.config]);
});

test('a configuration another endpoint serves survives, and so does its model', async () => {
  await sim.fresh('charges');
  const [first] = [...(await deployVersions('charges', 1, 1)).values()];
  // Another team's endpoint serves the first configuration of `charges`.
  await sim
    .client()
    .send(new CreateEndpointCommand({ EndpointName: 'reports', EndpointConfigName: first?.config }));
  const later = await deployVersions('charges', 2, 4);
  // A re-run that changes nothing knows no rollback target, so it deletes nothing.
  const again = await sim.deploy('charges', { image: imageOf(4), 'keep-versions': '2' });
  expect(again.outputs.status).toBe('succeeded');
  expect(again.stdout).toContain('keep-versions: nothing deployed, so nothing deleted');

  const held = await sim.names();
  expect(held.endpointConfigs).toEqual([first?.config, later.get(3)?.config, later.get(4)?.config].sort());
  expect(held.models).toEqual([first?.model, later.get(3)?.model, later.get(4)?.model].sort());
  expect(await sim.endpoint('reports')).toMatchObject({ configName: first?.config });
});

test('the job summary and log name what was deleted', async () => {
  await sim.fresh('charges');
  await deployVersions('charges', 1, 2);
  const third = await sim.deploy('charges', { image: imageOf(3), 'keep-versions': '1' });
  expect(third.outputs.status).toBe('succeeded');
  // keep 1 still keeps the rollback target (version 2): only version 1 goes.
  const held = await sim.names();
  expect(held.endpointConfigs).toHaveLength(2);
  expect(third.stdout).toMatch(
    /keep-versions: deleted 2 old configuration\(s\) and model\(s\) beyond 1: charges-111111111111-\w+, charges-111111111111-\w+/,
  );
  expect(third.summary).toContain('Deleted (keep-versions)');
});

// As deploy-beanstalk's rollback-to, a successful rollback prunes too; the configuration the
// endpoint's deploy-suite:previous-endpoint-config tag names (what rollback-to: previous reads)
// stays even when neither the target nor the configuration replaced is that one.
test('rollback-to prunes with keep-versions, keeping the target, the one replaced and the recorded previous', async () => {
  await sim.fresh('charges');
  const v = new Map<number, { model: string; config: string }>();
  for (let n = 1; n <= 4; n++) {
    const result = await sim.deploy('charges', { image: imageOf(n) });
    v.set(n, {
      model: result.outputs['model-name'] ?? '',
      config: result.outputs['endpoint-config-name'] ?? '',
    });
  }
  const result = await sim.deploy('charges', {
    image: '',
    'execution-role-arn': '',
    'instance-type': '',
    'instance-count': '',
    'rollback-to': v.get(1)?.config ?? '',
    'keep-versions': '1',
  });

  expect(result.outputs.status).toBe('succeeded');
  expect(await sim.endpoint('charges')).toMatchObject({ status: 'InService', configName: v.get(1)?.config });
  const held = await sim.names();
  // Version 3 is the recorded previous (written when version 4 was deployed); only version 2 goes.
  expect(held.endpointConfigs).toEqual([1, 3, 4].map((n) => v.get(n)?.config).sort());
  expect(held.models).toEqual([1, 3, 4].map((n) => v.get(n)?.model).sort());
});
