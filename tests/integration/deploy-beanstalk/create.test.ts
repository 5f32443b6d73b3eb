import { APP, BeanstalkStack, errorOf } from './beanstalk-stack';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1.6.0';
const STACK = '64bit Amazon Linux 2023 v4.3.0 running Docker';
const NEW_APP = 'fraud-model';
const NEW_ENV = 'fraud-model-prod';
let sim: BeanstalkStack;
jest.setTimeout(90_000);

beforeAll(async () => {
  sim = await BeanstalkStack.start();
}, 60_000);

afterAll(async () => {
  await sim?.stop();
});

async function fresh(scenario = 'healthy'): Promise<void> {
  await sim.stack.simulator.reset();
  await sim.stack.simulator.choose('elasticbeanstalk', NEW_ENV, scenario);
}

interface CreatedEnvironment {
  EnvironmentName: string;
  VersionLabel?: string;
  Status: string;
  Health: string;
  CNAME?: string;
  Tier?: { Name: string; Type: string };
  SolutionStackName?: string;
}

async function created(): Promise<CreatedEnvironment | undefined> {
  const state = (await sim.state()) as unknown as { environments: CreatedEnvironment[] };
  return state.environments.find((e) => e.EnvironmentName === NEW_ENV);
}

const deployNew = (inputs: Record<string, string>) =>
  sim.deploy({
    'application-name': NEW_APP,
    'environment-name': NEW_ENV,
    image: IMAGE,
    'version-label': 'v1',
    ...inputs,
  });

test('without create-*, a missing application fails before anything is uploaded', async () => {
  await fresh();
  const result = await deployNew({});
  expect(result.exitCode).toBe(1);
  expect(errorOf(result)).toContain(
    `Application ${NEW_APP} does not exist; create it first, or set create-application: true`,
  );
  expect(await sim.s3Writes()).toHaveLength(0);
});

test('create-application and create-environment: both made, the environment launched with the version and settings', async () => {
  await fresh();
  const result = await deployNew({
    'create-application': 'true',
    'create-environment': 'true',
    'solution-stack-name': STACK,
    'cname-prefix': 'fraud-model-7',
    'environment-variables': 'LOG_LEVEL=info',
  });

  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({
    status: 'succeeded',
    action: 'created',
    'version-label': 'v1',
    'environment-url': 'http://fraud-model-7.us-east-1.elasticbeanstalk.com',
    'environment-id': expect.stringMatching(/^e-/),
    health: 'Green',
  });
  expect(result.outputs['previous-version-label']).toBeUndefined();
  expect(result.stdout).toContain(`Created application ${NEW_APP}`);
  expect(result.stdout).toContain(`Launching, health Grey (Pending), running v1`);
  expect(result.stdout).toContain(`Successfully launched environment: ${NEW_ENV}`);
  expect(await created()).toMatchObject({
    VersionLabel: 'v1',
    Status: 'Ready',
    Health: 'Green',
    SolutionStackName: STACK,
    Tier: { Name: 'WebServer', Type: 'Standard' },
  });
  const [create] = await sim.calls('CreateEnvironment');
  expect(create?.params).toMatchObject({
    'OptionSettings.member.1.Namespace': 'aws:elasticbeanstalk:application:environment',
    'OptionSettings.member.1.OptionName': 'LOG_LEVEL',
  });

  // The next run finds the environment and updates it as usual.
  const next = await deployNew({
    'create-environment': 'true',
    'solution-stack-name': STACK,
    image: `${IMAGE}-b`,
    'version-label': 'v2',
  });
  expect(next.outputs).toMatchObject({
    status: 'succeeded',
    action: 'updated',
    'previous-version-label': 'v1',
  });
  expect(await sim.calls('CreateEnvironment')).toHaveLength(1);
});

test('a taken cname-prefix fails before anything is created or uploaded', async () => {
  await fresh();
  await sim.seed({ ApplicationName: APP, VersionLabel: 'v0', EnvironmentName: 'taken-name' });
  const result = await deployNew({
    'create-application': 'true',
    'create-environment': 'true',
    'solution-stack-name': STACK,
    'cname-prefix': 'taken-name',
  });

  expect(result.exitCode).toBe(1);
  expect(errorOf(result)).toContain('cname-prefix taken-name is taken');
  expect(await sim.calls('CreateApplication')).toHaveLength(0);
  expect(await sim.calls('CreateEnvironment')).toHaveLength(0);
  expect(await sim.s3Writes()).toHaveLength(0);
});

test('a worker environment on a platform ARN that fails to launch is reported and left for inspection', async () => {
  await fresh('deploy-fails');
  const result = await deployNew({
    'create-application': 'true',
    'create-environment': 'true',
    'platform-arn':
      'arn:aws:elasticbeanstalk:us-east-1::platform/Docker running on 64bit Amazon Linux 2023/4.3.0',
    tier: 'Worker',
  });

  expect(result.exitCode).toBe(1);
  expect(result.outputs).toMatchObject({ status: 'failed', action: 'created' });
  expect(errorOf(result)).toContain(
    `Creating ${NEW_ENV} with v1 failed: Elastic Beanstalk reported an error`,
  );
  expect(errorOf(result)).toContain(
    'the environment was created by this run; it is left as it is for inspection',
  );
  expect(await created()).toMatchObject({ Tier: { Name: 'Worker', Type: 'SQS/HTTP' } });
  expect((await created())?.CNAME).toBeUndefined();
});
