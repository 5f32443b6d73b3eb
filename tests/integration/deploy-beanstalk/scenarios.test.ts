import { APP, BeanstalkStack, ENV, errorOf } from './beanstalk-stack';
import { renderSummary } from '../../support/rendered-summary';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1.4.0';
let sim: BeanstalkStack;
jest.setTimeout(90_000);

beforeAll(async () => {
  sim = await BeanstalkStack.start();
}, 60_000);

afterAll(async () => {
  await sim?.stop();
});

describe('a deploy that succeeds', () => {
  test('healthy: the environment runs the new version, Ready and Green', async () => {
    await sim.fresh('healthy');
    const result = await sim.deploy({ image: IMAGE, 'version-label': 'v1' });

    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({
      'version-label': 'v1',
      'previous-version-label': 'v0',
      'environment-url': `http://${ENV}.us-east-1.elasticbeanstalk.com`,
      'environment-id': expect.stringMatching(/^e-[0-9a-f]{10}$/),
      action: 'updated',
      status: 'succeeded',
      health: 'Green',
    });
    const environment = await sim.environment();
    expect(environment).toMatchObject({ VersionLabel: 'v1', Status: 'Ready', Health: 'Green' });
    expect(result.stdout).toContain('Environment update completed successfully.');
    expect(result.summary).toContain('v0 → v1');
    expect(result.summary).toContain('Timeline');
    const version = (await sim.versions()).find((v) => v.VersionLabel === 'v1');
    expect(version?.Description).toMatch(/\[bundle md5 [0-9a-f]{32}\]$/);
    expect(version?.Tags).toEqual({ [`deploy-beanstalk:previous:${ENV}`]: 'v0' });
  });

  test('slow: every event of a 12-minute update is printed once, across polls', async () => {
    await sim.fresh('slow');
    const result = await sim.deploy({ image: IMAGE, 'version-label': 'v1' });

    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    const events = (await sim.state()).events.filter((e) => e.environment === ENV);
    expect(events.length).toBeGreaterThan(30);
    for (const event of events) {
      expect(result.stdout.split(event.message).length - 1).toBe(1);
    }
  });

  test('yellow counts as healthy when healthy-states says so', async () => {
    await sim.fresh('yellow');
    const result = await sim.deploy({
      image: IMAGE,
      'version-label': 'v1',
      'healthy-states': 'Green,Yellow',
    });

    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'succeeded', health: 'Yellow' });
    expect(result.summary).toContain('P90 latency is 2.40 seconds');
  });

  test('busy: an environment already updating is waited for, then updated once', async () => {
    await sim.fresh('busy');
    const result = await sim.deploy({ image: IMAGE, 'version-label': 'v1' });

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`${ENV} is Updating; waiting until it is Ready`);
    expect(await sim.calls('UpdateEnvironment')).toHaveLength(1);
    expect(await sim.environment()).toMatchObject({ VersionLabel: 'v1', Health: 'Green' });
  });

  test('throttled: describe calls answered with Throttling are retried', async () => {
    await sim.fresh('throttled');
    const result = await sim.deploy({ image: IMAGE, 'version-label': 'v1' });

    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
  });
});

describe('a deploy that fails is rolled back to the version that ran before', () => {
  test('deploy-fails: the ERROR events and health causes are printed', async () => {
    await sim.fresh('deploy-fails');
    const result = await sim.deploy({ image: IMAGE, 'version-label': 'v1' });

    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({
      status: 'rolled-back',
      'version-label': 'v1',
      'previous-version-label': 'v0',
    });
    expect(errorOf(result)).toContain(
      'Deploying v1 to insurance-prod failed: Elastic Beanstalk reported an error',
    );
    expect(errorOf(result)).toContain('rolled back to v0');
    expect(result.stdout).toContain('cause: Command failed on all instances.');
    // Six instances fail at once: every ERROR event is printed once (paging is table-tested in unit).
    expect(result.stdout.match(/ERROR Instance deployment failed\./g)).toHaveLength(6);
    expect(await sim.environment()).toMatchObject({ VersionLabel: 'v0', Status: 'Ready', Health: 'Green' });
    // ❌ and the reason first, then where the environment is now; the evidence quoted above every table.
    const shown = renderSummary(result.summary);
    expect(shown.headline).toMatch(
      /^❌ deploy-beanstalk rolled back: Deploying v1 to insurance-prod failed: Elastic Beanstalk reported an error: .*; insurance-prod runs v0 again/,
    );
    expect(shown.quote).toContain('event: Instance deployment failed.');
    expect(shown.quoteAt).toBeLessThan(shown.tableAt);
    expect(shown.text).toContain('Command failed on all instances.');
  });

  test('degrades: Ready on the new version but Red', async () => {
    await sim.fresh('degrades');
    const result = await sim.deploy({ image: IMAGE, 'version-label': 'v1' });

    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    expect(errorOf(result)).toContain('the environment is Ready but its health is Red (Severe)');
    expect(result.stdout).toContain('cause: 100.0 % of the requests are failing with HTTP 5xx.');
    expect(result.summary).toContain('100.0 % of the requests are failing with HTTP 5xx.');
    expect(await sim.environment()).toMatchObject({ VersionLabel: 'v0', Health: 'Green' });
  });

  test('yellow with only Green healthy: the deadline fails it', async () => {
    await sim.fresh('yellow');
    const result = await sim.deploy({ image: IMAGE, 'version-label': 'v1', 'timeout-minutes': '5' });

    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    expect(errorOf(result)).toContain('Timed out after 5 minutes');
    expect(result.stdout).toContain('cause: P90 latency is 2.40 seconds');
    expect(await sim.environment()).toMatchObject({ VersionLabel: 'v0' });
  });

  test('never-ready: the update is aborted at the deadline and the old version restored', async () => {
    await sim.fresh('never-ready');
    const result = await sim.deploy({ image: IMAGE, 'version-label': 'v1', 'timeout-minutes': '10' });

    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    expect(errorOf(result)).toContain('Timed out after 10 minutes');
    expect(result.stdout).toContain('Aborted the update still in progress');
    expect(await sim.environment()).toMatchObject({ VersionLabel: 'v0', Status: 'Ready' });
  });

  test('with rollback-on-failure off the environment is left as it failed', async () => {
    await sim.fresh('deploy-fails');
    const result = await sim.deploy({ image: IMAGE, 'version-label': 'v1', 'rollback-on-failure': 'false' });

    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('failed');
    expect(errorOf(result)).toContain('not rolled back: rollback-on-failure is off');
    expect(await sim.calls('AbortEnvironmentUpdate')).toHaveLength(0);
    expect((await sim.environment()).VersionLabel).toBe('v1');
  });
});

describe('rollback-to', () => {
  test('previous deploys the version that ran before the current one', async () => {
    await sim.fresh('healthy');
    expect((await sim.deploy({ image: IMAGE, 'version-label': 'v1' })).exitCode).toBe(0);
    expect((await sim.deploy({ image: `${IMAGE}-b`, 'version-label': 'v2' })).exitCode).toBe(0);

    const result = await sim.deploy({ 'rollback-to': 'previous' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      status: 'succeeded',
      'version-label': 'v1',
      'previous-version-label': 'v2',
    });
    expect(await sim.environment()).toMatchObject({ VersionLabel: 'v1' });
  });

  test('a label deploys that version; an unknown one fails before any update', async () => {
    await sim.fresh('healthy');
    await sim.seed({ ApplicationName: APP, VersionLabel: 'v-old' });
    const result = await sim.deploy({ 'rollback-to': 'v-old' });
    expect(result.exitCode).toBe(0);
    expect(await sim.environment()).toMatchObject({ VersionLabel: 'v-old' });

    const missing = await sim.deploy({ 'rollback-to': 'v-missing' });
    expect(missing.exitCode).toBe(1);
    expect(errorOf(missing)).toContain('Cannot roll back to v-missing');
    expect(await sim.calls('UpdateEnvironment')).toHaveLength(1);
  });
});
