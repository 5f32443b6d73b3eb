import {
  DescribeConfigurationSettingsCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  UpdateEnvironmentCommand,
  ValidateConfigurationSettingsCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { deploy } from './beanstalk-fixture';
import { eb, environment, existingApplication, harness, inputs, s3 } from './beanstalk-fixture';

const ENV_NS = 'aws:elasticbeanstalk:application:environment';

beforeEach(() => {
  eb.reset();
  s3.reset();
});

/** Ready on v1 with Red health for `redPolls` polls, then Green on `finally`. */
function redThenGreen(redPolls: number, last = 'v1'): void {
  let chain = eb
    .on(DescribeEnvironmentsCommand)
    .resolvesOnce({ Environments: [environment({})] })
    .resolvesOnce({ Environments: [environment({})] })
    .resolvesOnce({
      Environments: [environment({ Status: 'Updating', Health: 'Grey', VersionLabel: 'v1' })],
    });
  for (let i = 0; i < redPolls; i++) {
    chain = chain.resolvesOnce({
      Environments: [environment({ VersionLabel: 'v1', Health: 'Red', HealthStatus: 'Degraded' })],
    });
  }
  chain.resolves({ Environments: [environment({ VersionLabel: last })] });
  eb.on(DescribeEventsCommand).resolves({ Events: [] });
}

test('Red within health-grace-seconds is watched; the recovery counts as success', async () => {
  existingApplication();
  redThenGreen(3); // 3 polls 15 s apart: Red for 30 s of the 60 s grace
  const { ports, outputs, log } = harness();

  await deploy({ ...inputs, healthGraceMs: 60_000 }, ports);

  expect(outputs).toMatchObject({ status: 'succeeded', action: 'updated' });
  expect(log.lines.join('\n')).toContain('watching it for up to 60 s (health-grace-seconds)');
  expect(eb.commandCalls(UpdateEnvironmentCommand)).toHaveLength(1);
});

test('Red that outlasts the grace fails and rolls back', async () => {
  existingApplication();
  redThenGreen(6, 'v0'); // Red for 75 s, beyond a 30 s grace; then back on v0 after the rollback
  const { ports, outputs } = harness();

  await expect(deploy({ ...inputs, healthGraceMs: 30_000 }, ports)).rejects.toThrow(
    'did not recover within the 30 s health grace',
  );
  expect(outputs).toMatchObject({ action: 'rolled-back' });
  expect(eb.commandCalls(UpdateEnvironmentCommand).map((c) => c.args[0].input.VersionLabel)).toEqual([
    'v1',
    'v0',
  ]);
});

test('settings go with the version in one UpdateEnvironment, only those that change; secrets never printed', async () => {
  existingApplication();
  redThenGreen(0);
  eb.on(ValidateConfigurationSettingsCommand).resolves({ Messages: [] });
  eb.on(DescribeConfigurationSettingsCommand).resolves({
    ConfigurationSettings: [
      {
        DeploymentStatus: 'deployed',
        OptionSettings: [{ Namespace: ENV_NS, OptionName: 'LOG_LEVEL', Value: 'debug' }],
      },
    ],
  });
  const { ports, outputs, log, summaries } = harness();
  const settings = [
    { namespace: ENV_NS, optionName: 'LOG_LEVEL', value: 'debug' },
    { namespace: ENV_NS, optionName: 'API_TOKEN', value: 's3cr3t-value' },
  ];

  await deploy({ ...inputs, settings }, ports);

  expect(outputs.status).toBe('succeeded');
  expect(eb.commandCalls(UpdateEnvironmentCommand)[0]?.args[0].input).toEqual({
    EnvironmentName: 'prod-env',
    VersionLabel: 'v1',
    OptionSettings: [{ Namespace: ENV_NS, OptionName: 'API_TOKEN', Value: 's3cr3t-value' }],
  });
  expect(log.lines.join('\n')).not.toContain('s3cr3t');
  expect(log.lines.join('\n')).toContain(`${ENV_NS}:API_TOKEN=***`);
  expect(summaries.join('\n')).not.toContain('s3cr3t');
});

test('settings Elastic Beanstalk refuses stop the run before any upload or update', async () => {
  existingApplication();
  redThenGreen(0);
  eb.on(ValidateConfigurationSettingsCommand).resolves({
    Messages: [
      {
        Severity: 'error',
        Namespace: 'aws:autoscaling:launchconfiguration',
        OptionName: 'InstanceType',
        Message: 'Invalid instance type.',
      },
    ],
  });
  const { ports } = harness();
  const settings = [
    { namespace: 'aws:autoscaling:launchconfiguration', optionName: 'InstanceType', value: 'x9.huge' },
  ];

  await expect(deploy({ ...inputs, settings }, ports)).rejects.toThrow(
    "Input 'option-settings' Elastic Beanstalk refuses aws:autoscaling:launchconfiguration:InstanceType: Invalid instance type.",
  );
  expect(eb.commandCalls(UpdateEnvironmentCommand)).toHaveLength(0);
  expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
});

test('the same version with changed settings that turn it Red: the settings are set back', async () => {
  existingApplication();
  eb.on(ValidateConfigurationSettingsCommand).resolves({ Messages: [] });
  eb.on(DescribeConfigurationSettingsCommand).resolves({
    ConfigurationSettings: [
      {
        DeploymentStatus: 'deployed',
        OptionSettings: [{ Namespace: ENV_NS, OptionName: 'WORKERS', Value: '4' }],
      },
    ],
  });
  eb.on(DescribeEnvironmentsCommand)
    .resolvesOnce({ Environments: [environment({ VersionLabel: 'v1' })] })
    .resolvesOnce({ Environments: [environment({ VersionLabel: 'v1' })] })
    .resolvesOnce({ Environments: [environment({ Status: 'Updating', Health: 'Grey', VersionLabel: 'v1' })] })
    .resolvesOnce({
      Environments: [environment({ VersionLabel: 'v1', Health: 'Red', HealthStatus: 'Severe' })],
    })
    .resolvesOnce({
      Environments: [environment({ VersionLabel: 'v1', Health: 'Red', HealthStatus: 'Severe' })],
    })
    .resolvesOnce({
      Environments: [environment({ VersionLabel: 'v1', Health: 'Red', HealthStatus: 'Severe' })],
    })
    .resolvesOnce({ Environments: [environment({ Status: 'Updating', Health: 'Grey', VersionLabel: 'v1' })] })
    .resolves({ Environments: [environment({ VersionLabel: 'v1' })] });
  eb.on(DescribeEventsCommand).resolves({ Events: [] });
  const { ports, outputs } = harness();
  const settings = [{ namespace: ENV_NS, optionName: 'WORKERS', value: '64' }];

  await expect(deploy({ ...inputs, settings }, ports)).rejects.toThrow('rolled back to v1');

  expect(outputs).toMatchObject({ status: 'rolled-back', action: 'rolled-back' });
  expect(eb.commandCalls(UpdateEnvironmentCommand).map((c) => c.args[0].input)).toEqual([
    {
      EnvironmentName: 'prod-env',
      VersionLabel: 'v1',
      OptionSettings: [{ Namespace: ENV_NS, OptionName: 'WORKERS', Value: '64' }],
    },
    {
      EnvironmentName: 'prod-env',
      VersionLabel: 'v1',
      OptionSettings: [{ Namespace: ENV_NS, OptionName: 'WORKERS', Value: '4' }],
    },
  ]);
});
