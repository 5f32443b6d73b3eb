import { ScenarioRegistry, ServiceError, type ServiceInstance } from '../../support/simulator';
import { elasticBeanstalkService } from '../../support/simulator/services/elastic-beanstalk';
import { ABORT_SECONDS } from '../../support/simulator/services/elastic-beanstalk/timing';

// The Elastic Beanstalk module in process, on a clock the test moves: what a poller sees at each
// moment of an update. Behaviours and wording follow the API reference (UpdateEnvironment,
// AbortEnvironmentUpdate, DescribeEvents, CreateEnvironment) as listed in the simulator's README.

const APP = 'insurance';
const ENV = 'insurance-prod';
let now: number;
let scenarios: ScenarioRegistry;
let eb: ServiceInstance;

beforeEach(() => {
  now = 1_700_000_000_000;
  scenarios = new ScenarioRegistry();
  const { service } = elasticBeanstalkService;
  scenarios.define(service, elasticBeanstalkService.scenarios, elasticBeanstalkService.defaultScenario);
  eb = elasticBeanstalkService.create({
    clock: { now: () => now },
    accountId: '123456789012',
    scenarioFor: (resource) => scenarios.resolve(service, resource),
  });
});

function call(name: string, input: Record<string, unknown> = {}): Record<string, unknown> {
  const operation = eb.operations.find((o) => o.name === name);
  if (!operation) throw new Error(`no operation ${name}`);
  return operation.handle({ input, region: 'eu-west-1' }) as Record<string, unknown>;
}

function environment(): Record<string, unknown> {
  const answer = call('DescribeEnvironments', { 'EnvironmentNames.member.1': ENV });
  return (answer.Environments as Array<Record<string, unknown>>)[0] ?? {};
}

function messages(input: Record<string, unknown> = { EnvironmentName: ENV }): string[] {
  return (call('DescribeEvents', input).Events as Array<{ Message: string }>).map((e) => e.Message);
}

function seedWithNewVersion(scenario?: string): void {
  if (scenario !== undefined) scenarios.choose('elasticbeanstalk', ENV, scenario);
  eb.seed?.({ ApplicationName: APP, VersionLabel: 'v1', EnvironmentName: ENV }, 'eu-west-1');
  call('CreateApplicationVersion', { ApplicationName: APP, VersionLabel: 'v2' });
}

const seconds = (s: number): void => void (now += s * 1000);

test('a seeded environment is Ready and Green on its version, named in its region', () => {
  seedWithNewVersion();
  expect(environment()).toMatchObject({
    Status: 'Ready',
    Health: 'Green',
    HealthStatus: 'Ok',
    VersionLabel: 'v1',
    EnvironmentArn: `arn:aws:elasticbeanstalk:eu-west-1:123456789012:environment/${APP}/${ENV}`,
    CNAME: `${ENV}.eu-west-1.elasticbeanstalk.com`,
  });
});

test.each([
  // scenario, seconds after the update starts, Status, Health, HealthStatus, VersionLabel shown
  ['healthy', 89, 'Updating', 'Grey', 'Pending', 'v2'],
  ['healthy', 90, 'Ready', 'Green', 'Ok', 'v2'],
  ['deploy-fails', 60, 'Ready', 'Red', 'Severe', 'v2'],
  ['immutable-fails', 60, 'Ready', 'Green', 'Ok', 'v1'],
  ['yellow', 90, 'Ready', 'Yellow', 'Warning', 'v2'],
  ['recovers', 90, 'Ready', 'Red', 'Degraded', 'v2'],
  ['recovers', 130, 'Ready', 'Green', 'Ok', 'v2'],
  ['slow', 719, 'Updating', 'Grey', 'Pending', 'v2'],
  ['never-ready', 36_000, 'Updating', 'Grey', 'Pending', 'v2'],
])(
  '%s, %d s after UpdateEnvironment: %s, %s (%s) on %s',
  (scenario, after, status, health, healthStatus, label) => {
    seedWithNewVersion(scenario);
    call('UpdateEnvironment', { EnvironmentName: ENV, VersionLabel: 'v2' });
    seconds(after);
    expect(environment()).toMatchObject({
      Status: status,
      Health: health,
      HealthStatus: healthStatus,
      VersionLabel: label,
    });
  },
);

test('events show only once their virtual time has come, newest first', () => {
  seedWithNewVersion();
  call('UpdateEnvironment', { EnvironmentName: ENV, VersionLabel: 'v2' });
  expect(messages()).toEqual(['Environment update is starting.']);
  seconds(90);
  const all = messages();
  expect(all[0]).toBe('Environment update completed successfully.');
  expect(all.at(-1)).toBe('Environment update is starting.');
});

test('DescribeEvents pages by MaxRecords with a NextToken, and refuses MaxRecords outside 1 to 1,000', () => {
  seedWithNewVersion();
  call('UpdateEnvironment', { EnvironmentName: ENV, VersionLabel: 'v2' });
  seconds(90);
  const total = messages().length;
  const first = call('DescribeEvents', { EnvironmentName: ENV, MaxRecords: '2' });
  expect(first.Events).toHaveLength(2);
  const rest = call('DescribeEvents', { EnvironmentName: ENV, NextToken: first.NextToken });
  expect((rest.Events as unknown[]).length).toBe(total - 2);
  expect(rest.NextToken).toBeUndefined();
  for (const MaxRecords of ['0', '1001'])
    expect(() => call('DescribeEvents', { EnvironmentName: ENV, MaxRecords })).toThrow(
      expect.objectContaining({ code: 'ValidationError' }),
    );
});

test('an update while one runs is refused; an abort restores the previous version ABORT_SECONDS later', () => {
  seedWithNewVersion('never-ready');
  call('UpdateEnvironment', { EnvironmentName: ENV, VersionLabel: 'v2' });
  expect(() => call('UpdateEnvironment', { EnvironmentName: ENV, VersionLabel: 'v2' })).toThrow(
    /is in an invalid state for this operation. Must be Ready./,
  );
  seconds(300);
  call('AbortEnvironmentUpdate', { EnvironmentName: ENV });
  expect(environment()).toMatchObject({
    Status: 'Aborting',
    VersionLabel: 'v1',
    AbortableOperationInProgress: false,
  });
  seconds(ABORT_SECONDS);
  expect(environment()).toMatchObject({ Status: 'Ready', VersionLabel: 'v1', Health: 'Green' });
  expect(messages()[0]).toBe('Environment update was aborted; the environment runs v1 again.');
  expect(() => call('AbortEnvironmentUpdate', { EnvironmentName: ENV })).toThrow(/no operation in progress/);
});

test('a version the environment ran healthily deploys like healthy, whatever the scenario', () => {
  seedWithNewVersion('deploy-fails');
  call('UpdateEnvironment', { EnvironmentName: ENV, VersionLabel: 'v1' });
  seconds(90);
  expect(environment()).toMatchObject({ Status: 'Ready', Health: 'Green', VersionLabel: 'v1' });
  expect(eb.state?.()).toMatchObject({
    environments: [
      { Updates: [{ scenario: 'healthy (a version this environment ran before)', outcome: 'succeeded' }] },
    ],
  });
});

test('busy: someone else’s update starts at the first describe, and UpdateEnvironment waits for it', () => {
  seedWithNewVersion('busy');
  seconds(3600);
  expect(environment()).toMatchObject({ Status: 'Updating' });
  expect(() => call('UpdateEnvironment', { EnvironmentName: ENV, VersionLabel: 'v2' })).toThrow(
    /Must be Ready/,
  );
  seconds(300);
  expect(environment()).toMatchObject({ Status: 'Ready', VersionLabel: 'v1' });
});

test('throttled: every third describe about the environment answers Throttling', () => {
  seedWithNewVersion('throttled');
  const outcomes = Array.from({ length: 6 }, () => {
    try {
      environment();
      return 'ok';
    } catch (error) {
      return (error as ServiceError).code;
    }
  });
  expect(outcomes).toEqual(['ok', 'ok', 'Throttling', 'ok', 'ok', 'Throttling']);
});

test('CreateEnvironment launches: Launching, then the launch events in its own words', () => {
  eb.seed?.({ ApplicationName: APP, VersionLabel: 'v1' }, 'eu-west-1');
  const created = call('CreateEnvironment', {
    ApplicationName: APP,
    EnvironmentName: 'insurance-new',
    VersionLabel: 'v1',
    SolutionStackName: '64bit Amazon Linux 2023 v4.3.0 running Docker',
  });
  expect(created).toMatchObject({ Status: 'Launching', Health: 'Grey' });
  seconds(90);
  expect(messages({ EnvironmentName: 'insurance-new' })).toEqual(
    expect.arrayContaining([
      'createEnvironment is starting.',
      'Successfully launched environment: insurance-new',
    ]),
  );
  expect(messages({ EnvironmentName: 'insurance-new' })).not.toContain('Environment update is starting.');
});

test.each([
  [{ SolutionStackName: 's', PlatformArn: 'arn:p' }, 'InvalidParameterCombination'],
  [{}, 'InvalidParameterValue'],
  [{ SolutionStackName: 's', 'Tier.Name': 'Worker', CNAMEPrefix: 'x' }, 'InvalidParameterValue'],
  [{ SolutionStackName: 's', 'Tier.Name': 'Batch' }, 'InvalidParameterValue'],
  [
    {
      SolutionStackName: 's',
      'OptionSettings.member.1.Namespace': 'custom',
      'OptionSettings.member.1.OptionName': 'A',
    },
    'ConfigurationValidationException',
  ],
])('CreateEnvironment with %j answers %s', (fields, code) => {
  eb.seed?.({ ApplicationName: APP }, 'eu-west-1');
  expect(() => call('CreateEnvironment', { ApplicationName: APP, EnvironmentName: 'e', ...fields })).toThrow(
    expect.objectContaining({ code }),
  );
});

test('UpdateEnvironment merges OptionSettings and drops OptionsToRemove; the settings read pending, then deployed', () => {
  seedWithNewVersion();
  call('UpdateEnvironment', {
    EnvironmentName: ENV,
    VersionLabel: 'v2',
    'OptionSettings.member.1.Namespace': 'aws:autoscaling:launchconfiguration',
    'OptionSettings.member.1.OptionName': 'InstanceType',
    'OptionSettings.member.1.Value': 't3.large',
    'OptionsToRemove.member.1.Namespace': 'aws:elasticbeanstalk:command',
    'OptionsToRemove.member.1.OptionName': 'DeploymentPolicy',
  });
  const settings = (): Record<string, unknown> =>
    (
      call('DescribeConfigurationSettings', { ApplicationName: APP, EnvironmentName: ENV })
        .ConfigurationSettings as Array<Record<string, unknown>>
    )[0] ?? {};
  expect(settings()).toMatchObject({ DeploymentStatus: 'pending' });
  seconds(90);
  expect(settings()).toMatchObject({
    DeploymentStatus: 'deployed',
    OptionSettings: [
      { Namespace: 'aws:autoscaling:launchconfiguration', OptionName: 'InstanceType', Value: 't3.large' },
      { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'LoadBalanced' },
    ],
  });
});

test('DescribeEnvironmentHealth answers only the attributes asked for', () => {
  seedWithNewVersion();
  expect(call('DescribeEnvironmentHealth', { EnvironmentName: ENV })).toEqual({ EnvironmentName: ENV });
  expect(
    call('DescribeEnvironmentHealth', { EnvironmentName: ENV, 'AttributeNames.member.1': 'Color' }),
  ).toEqual({ EnvironmentName: ENV, Color: 'Green' });
  expect(() =>
    call('DescribeEnvironmentHealth', { EnvironmentName: ENV, 'AttributeNames.member.1': 'Mood' }),
  ).toThrow(/Invalid attribute name: Mood/);
});

test('a version in use cannot be deleted; an unused one can, and tags follow ARNs', () => {
  seedWithNewVersion();
  expect(() => call('DeleteApplicationVersion', { ApplicationName: APP, VersionLabel: 'v1' })).toThrow(
    expect.objectContaining({ code: 'SourceBundleDeletionFailure' }),
  );
  const arn = `arn:aws:elasticbeanstalk:eu-west-1:123456789012:applicationversion/${APP}/v2`;
  call('UpdateTagsForResource', {
    ResourceArn: arn,
    'TagsToAdd.member.1.Key': 'sha',
    'TagsToAdd.member.1.Value': 'abc',
  });
  expect(call('ListTagsForResource', { ResourceArn: arn })).toEqual({
    ResourceArn: arn,
    ResourceTags: [{ Key: 'sha', Value: 'abc' }],
  });
  call('DeleteApplicationVersion', { ApplicationName: APP, VersionLabel: 'v2', DeleteSourceBundle: 'true' });
  expect(eb.state?.()).toMatchObject({
    deletedVersions: [{ application: APP, label: 'v2', deleteSourceBundle: true }],
  });
  expect(() => call('ListTagsForResource', { ResourceArn: arn })).toThrow(
    expect.objectContaining({ code: 'ResourceNotFoundException', status: 404 }),
  );
});
