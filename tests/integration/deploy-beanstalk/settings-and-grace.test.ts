import { runCommand } from '../../support/run-command';
import { APP, BeanstalkStack, ENV, errorOf } from './beanstalk-stack';
import { renderSummary } from '../../support/rendered-summary';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1.5.0';
const ENV_NS = 'aws:elasticbeanstalk:application:environment';
const LC = 'aws:autoscaling:launchconfiguration';
let sim: BeanstalkStack;
jest.setTimeout(90_000);

beforeAll(async () => {
  sim = await BeanstalkStack.start();
}, 60_000);

afterAll(async () => {
  await sim?.stop();
});

/** Seconds between two calls' virtual times. */
function secondsBetween(a: { time: string }, b: { time: string }): number {
  return (Date.parse(b.time) - Date.parse(a.time)) / 1000;
}

/** The environment's option settings as an independent client (the aws CLI) reads them back. */
async function describedSettings(): Promise<Array<{ Namespace: string; OptionName: string; Value: string }>> {
  const result = await runCommand(
    'aws',
    [
      'elasticbeanstalk',
      'describe-configuration-settings',
      '--application-name',
      APP,
      '--environment-name',
      ENV,
      '--endpoint-url',
      sim.stack.endpoints.simulator,
      '--output',
      'json',
    ],
    { cwd: process.cwd(), env: { ...process.env, ...sim.stack.env } },
  );
  expect(result.code).toBe(0);
  const parsed = JSON.parse(result.stdout) as {
    ConfigurationSettings: Array<{
      OptionSettings: Array<{ Namespace: string; OptionName: string; Value: string }>;
    }>;
  };
  return parsed.ConfigurationSettings[0]?.OptionSettings ?? [];
}

describe('health-grace-seconds', () => {
  test('recovers: Red (Degraded) for 40 s after Ready passes within the default 60 s grace', async () => {
    await sim.fresh('recovers');
    const result = await sim.deploy({ image: IMAGE, 'version-label': 'v1' });

    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'succeeded', action: 'updated', health: 'Green' });
    expect(result.stdout).toContain(
      `${ENV} is Ready but Red (Degraded) on v1: watching it for up to 60 s (health-grace-seconds) before counting it as failed`,
    );
    expect(result.stdout).toContain('Environment health has transitioned from Degraded to Ok.');
    expect(await sim.calls('UpdateEnvironment')).toHaveLength(1);
    expect(await sim.environment()).toMatchObject({ VersionLabel: 'v1', Health: 'Green' });
  });

  test('recovers, without a grace: the same Red fails and rolls back at once', async () => {
    await sim.fresh('recovers');
    const result = await sim.deploy({ image: IMAGE, 'version-label': 'v1', 'health-grace-seconds': '0' });

    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ status: 'rolled-back', action: 'rolled-back' });
    expect(errorOf(result)).toContain('the environment is Ready but its health is Red (Degraded)');
    expect(await sim.environment()).toMatchObject({ VersionLabel: 'v0' });
  });

  test('degrades: a Red that stays rolls back once the grace is over, not before', async () => {
    await sim.fresh('degrades');
    const result = await sim.deploy({ image: IMAGE, 'version-label': 'v1', 'health-grace-seconds': '120' });

    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ status: 'rolled-back', action: 'rolled-back' });
    expect(errorOf(result)).toContain(
      'the environment is Ready but its health is Red (Severe) and did not recover within the 120 s health grace',
    );
    const [update, rollback] = await sim.calls('UpdateEnvironment');
    expect(update?.params.VersionLabel).toBe('v1');
    expect(rollback?.params.VersionLabel).toBe('v0');
    // The update settles after 90 s; the rollback starts only after 120 s of Red on top of that.
    expect(secondsBetween(update!, rollback!)).toBeGreaterThanOrEqual(90 + 120);
    expect(await sim.environment()).toMatchObject({ VersionLabel: 'v0', Health: 'Green' });
  });
});

describe('a failed update that leaves the environment on the old version', () => {
  test('immutable-fails: reported as failed, the old version followed back to Green without a second update', async () => {
    await sim.fresh('immutable-fails');
    const result = await sim.deploy({ image: IMAGE, 'version-label': 'v1' });

    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ status: 'rolled-back', action: 'rolled-back', health: 'Green' });
    expect(errorOf(result)).toContain('Elastic Beanstalk reported an error');
    expect(await sim.calls('UpdateEnvironment')).toHaveLength(1);
    expect(await sim.environment()).toMatchObject({ VersionLabel: 'v0', Status: 'Ready', Health: 'Green' });
  });
});

describe('option-settings and environment-variables', () => {
  test('applied with the version in one update, read back by the aws CLI; secrets masked', async () => {
    await sim.fresh('healthy');
    const inputs = {
      image: IMAGE,
      'version-label': 'v1',
      'option-settings': `${LC}:InstanceType=t3.large`,
      'environment-variables': 'LOG_LEVEL=debug\nDB_PASSWORD=hunter2-secret',
    };
    const result = await sim.deploy(inputs);

    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'succeeded', action: 'updated' });
    const updates = await sim.calls('UpdateEnvironment');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.params).toMatchObject({
      VersionLabel: 'v1',
      'OptionSettings.member.1.Namespace': LC,
      'OptionSettings.member.1.OptionName': 'InstanceType',
      'OptionSettings.member.1.Value': 't3.large',
    });
    expect(await describedSettings()).toEqual(
      expect.arrayContaining([
        { Namespace: LC, OptionName: 'InstanceType', Value: 't3.large' },
        { Namespace: ENV_NS, OptionName: 'LOG_LEVEL', Value: 'debug' },
        { Namespace: ENV_NS, OptionName: 'DB_PASSWORD', Value: 'hunter2-secret' },
      ]),
    );
    expect(result.stdout).toContain(`${ENV_NS}:DB_PASSWORD=***`);
    expect(result.stdout).toContain(`${ENV_NS}:LOG_LEVEL=debug`);
    // The value reaches the runner only in its own mask command, never in a log line or the summary.
    const leaks = result.stdout
      .split('\n')
      .filter((l) => l.includes('hunter2') && !l.startsWith('::add-mask::'));
    expect(leaks).toEqual([]);
    expect(result.summary).not.toContain('hunter2');
    expect(renderSummary(result.summary).text).toContain('DB_PASSWORD=***');

    // The same version with the same settings: nothing to do.
    const again = await sim.deploy(inputs);
    expect(again.exitCode).toBe(0);
    expect(again.outputs).toMatchObject({ status: 'succeeded', action: 'reused' });
    expect(await sim.calls('UpdateEnvironment')).toHaveLength(1);

    // The same version with one setting changed: an update carrying that setting only.
    const changed = await sim.deploy({
      ...inputs,
      'environment-variables': 'LOG_LEVEL=info\nDB_PASSWORD=hunter2-secret',
    });
    expect(changed.outputs).toMatchObject({ status: 'succeeded', action: 'updated' });
    const [, second] = await sim.calls('UpdateEnvironment');
    expect(second?.params).toMatchObject({
      VersionLabel: 'v1',
      'OptionSettings.member.1.OptionName': 'LOG_LEVEL',
      'OptionSettings.member.1.Value': 'info',
    });
    expect(second?.params['OptionSettings.member.2.OptionName']).toBeUndefined();
  });

  test('a rollback sets the changed settings back and removes the added ones', async () => {
    await sim.fresh('degrades');
    const result = await sim.deploy({
      image: IMAGE,
      'version-label': 'v1',
      'option-settings': `${LC}:InstanceType=t3.large`,
      'environment-variables': 'FEATURE_X=on',
      'health-grace-seconds': '0',
    });

    expect(result.outputs.status).toBe('rolled-back');
    const [, rollback] = await sim.calls('UpdateEnvironment');
    expect(rollback?.params).toMatchObject({
      VersionLabel: 'v0',
      'OptionSettings.member.1.OptionName': 'InstanceType',
      'OptionSettings.member.1.Value': 't3.micro',
      'OptionsToRemove.member.1.Namespace': ENV_NS,
      'OptionsToRemove.member.1.OptionName': 'FEATURE_X',
    });
    const settings = await describedSettings();
    expect(settings).toContainEqual({ Namespace: LC, OptionName: 'InstanceType', Value: 't3.micro' });
    expect(settings.find((s) => s.OptionName === 'FEATURE_X')).toBeUndefined();
  });

  test('a setting Elastic Beanstalk does not know is refused before anything is uploaded or updated', async () => {
    await sim.fresh('healthy');
    const result = await sim.deploy({
      image: IMAGE,
      'version-label': 'v1',
      'option-settings': `- Namespace: ${LC}\n  OptionName: InstanceTyp\n  Value: t3.large`,
    });

    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toContain("Input 'option-settings' Elastic Beanstalk refuses");
    expect(errorOf(result)).toContain(`${LC}:InstanceTyp`);
    expect(await sim.calls('CreateApplicationVersion')).toHaveLength(0);
    expect(await sim.calls('UpdateEnvironment')).toHaveLength(0);
    expect(await sim.s3Writes()).toHaveLength(0);
  });

  test('a malformed input is refused before any call', async () => {
    await sim.fresh('healthy');
    await sim.stack.simulator.clearCalls();
    const result = await sim.deploy({ image: IMAGE, 'option-settings': 'custom:thing:Name=1' });

    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toContain("Input 'option-settings' namespace 'custom:thing' must look like aws:");
    expect(await sim.calls()).toHaveLength(0);
  });
});
