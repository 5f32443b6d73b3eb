import {
  AbortEnvironmentUpdateCommand,
  CreateApplicationVersionCommand,
  DescribeApplicationVersionsCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  ListTagsForResourceCommand,
  UpdateEnvironmentCommand,
  UpdateTagsForResourceCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DeployFailed } from '@deploy-suite/kit';
import { deploy } from './beanstalk-fixture';
import {
  eb,
  environment,
  event,
  existingApplication,
  harness,
  inputs,
  s3,
  T0,
  labelHoldsAnotherBundle,
  updateFailsWithAnError,
} from './beanstalk-fixture';

beforeEach(() => {
  eb.reset();
  s3.reset();
});

test('events are read page by page and each is printed once, however often it is read back', async () => {
  existingApplication();
  const { ports, log, outputs, clock } = harness();
  eb.on(DescribeEnvironmentsCommand)
    .resolvesOnce({ Environments: [environment({})] })
    .resolvesOnce({ Environments: [environment({})] })
    .resolvesOnce({ Environments: [environment({ Status: 'Updating', Health: 'Grey', VersionLabel: 'v1' })] })
    .resolves({ Environments: [environment({ VersionLabel: 'v1' })] });
  // Newest first, two per page: the first poll needs two pages; the second repeats the newest event.
  eb.on(DescribeEventsCommand)
    .resolvesOnce({ Events: [event(3, 'third'), event(2, 'second')], NextToken: 'p2' })
    .resolvesOnce({ Events: [event(1, 'first')] })
    .resolvesOnce({ Events: [event(4, 'completed'), event(3, 'third')] });

  await deploy(inputs, ports);

  const printed = log.lines.filter((line) => /INFO {2}/.test(line)).map((line) => line.split('INFO  ')[1]);
  expect(printed).toEqual(['first', 'second', 'third', 'completed']);
  const second = eb.commandCalls(DescribeEventsCommand)[1]?.args[0].input;
  expect(second).toMatchObject({ NextToken: 'p2', StartTime: T0, MaxRecords: 2 });
  // The next poll starts from the newest event seen.
  expect(eb.commandCalls(DescribeEventsCommand)[2]?.args[0].input.StartTime).toEqual(
    new Date(T0.getTime() + 3000),
  );
  expect(outputs).toMatchObject({
    status: 'succeeded',
    'version-label': 'v1',
    'previous-version-label': 'v0',
  });
  expect(clock.slept.every((ms) => ms >= 13_500 && ms <= 16_500)).toBe(true);
  expect(eb.commandCalls(UpdateTagsForResourceCommand)[0]?.args[0].input).toEqual({
    ResourceArn: 'arn:v1',
    TagsToAdd: [{ Key: 'deploy-beanstalk:previous:prod-env', Value: 'v0' }],
  });
});

test('a label taken by another bundle is refused before anything is uploaded or changed', async () => {
  existingApplication();
  labelHoldsAnotherBundle();
  const { ports, outputs } = harness();

  await expect(deploy(inputs, ports)).rejects.toThrow(`existing md5 ${'f'.repeat(32)}, this bundle md5 `);
  expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  expect(eb.commandCalls(CreateApplicationVersionCommand)).toHaveLength(0);
  expect(eb.commandCalls(UpdateEnvironmentCommand)).toHaveLength(0);
  expect(outputs.status).toBe('failed');
});

test('an ERROR event fails the deploy; the update is aborted and the previous version deployed again', async () => {
  existingApplication();
  updateFailsWithAnError();
  const { ports, outputs, summaries } = harness();

  const failure = await deploy(inputs, ports).catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(DeployFailed);
  expect((failure as DeployFailed).message).toBe(
    'Deploying v1 to prod-env failed: Elastic Beanstalk reported an error: Instance deployment failed. (i-1); rolled back to v0',
  );
  expect((failure as DeployFailed).reasons).toEqual([
    'event: Instance deployment failed. (i-1)',
    'cause: Command failed on all instances.',
  ]);
  expect(eb.commandCalls(AbortEnvironmentUpdateCommand)).toHaveLength(1);
  expect(eb.commandCalls(UpdateEnvironmentCommand).map((c) => c.args[0].input.VersionLabel)).toEqual([
    'v1',
    'v0',
  ]);
  expect(outputs).toMatchObject({ status: 'rolled-back', health: 'Green' });
  expect(summaries[0]).toContain('v0 → v1');
  expect(summaries[0]).toContain('Command failed on all instances.');
});

test('an environment another deploy took over: superseded, named, and not rolled back', async () => {
  existingApplication();
  eb.on(DescribeEnvironmentsCommand)
    .resolvesOnce({ Environments: [environment({})] })
    .resolvesOnce({ Environments: [environment({})] })
    .resolvesOnce({ Environments: [environment({ Status: 'Updating', VersionLabel: 'v1' })] })
    .resolves({ Environments: [environment({ VersionLabel: 'v7' })] });
  eb.on(DescribeEventsCommand).resolves({ Events: [] });
  const { ports, outputs } = harness();

  const failure = await deploy(inputs, ports).catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(DeployFailed);
  expect((failure as DeployFailed).message).toBe(
    "Deploying v1 to prod-env failed: the update ended with the environment running v7, not v1; superseded by version v7, deployed after this run's update: not rolling back",
  );
  expect(eb.commandCalls(UpdateEnvironmentCommand).map((c) => c.args[0].input.VersionLabel)).toEqual(['v1']);
  expect(eb.commandCalls(AbortEnvironmentUpdateCommand)).toHaveLength(0);
  expect(outputs.status).toBe('failed');
});

test('an update that ends before it can be aborted still rolls back', async () => {
  existingApplication();
  updateFailsWithAnError();
  eb.on(AbortEnvironmentUpdateCommand).rejects(
    Object.assign(new Error('Environment is not in a state to abort'), { name: 'InvalidParameterValue' }),
  );
  const { ports, outputs, log } = harness();

  await expect(deploy(inputs, ports)).rejects.toBeInstanceOf(DeployFailed);
  expect(eb.commandCalls(UpdateEnvironmentCommand).map((c) => c.args[0].input.VersionLabel)).toEqual([
    'v1',
    'v0',
  ]);
  expect(outputs.status).toBe('rolled-back');
  expect(log.lines.join('\n')).toContain('Could not abort the update on prod-env');
});

test('throttled polls back off and recover; the deadline ends a deploy that never settles', async () => {
  existingApplication();
  const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
  eb.on(DescribeEnvironmentsCommand)
    .resolvesOnce({ Environments: [environment({})] })
    .resolvesOnce({ Environments: [environment({})] })
    .rejectsOnce(throttled)
    .rejectsOnce(throttled)
    .resolves({ Environments: [environment({ Status: 'Updating', VersionLabel: 'v1' })] });
  eb.on(DescribeEventsCommand).resolves({ Events: [] });
  const { ports, clock } = harness();

  await expect(deploy({ ...inputs, rollbackOnFailure: false }, ports)).rejects.toThrow(
    'Timed out after 30 minutes waiting for prod-env to run v1 with health Green',
  );
  const pauses = clock.slept.filter((ms) => ms > 5_500);
  expect(pauses[0]).toBeGreaterThanOrEqual(27_000);
  expect(pauses[1]).toBeGreaterThanOrEqual(54_000);
  expect(pauses[2]).toBeLessThanOrEqual(16_500);
  // A 30-minute deploy polls about twice a minute: well inside Elastic Beanstalk's describe limits.
  expect(eb.commandCalls(DescribeEnvironmentsCommand).length).toBeLessThan(130);
});

test('rollback-to previous reads the version recorded on the current one', async () => {
  existingApplication();
  eb.on(DescribeEnvironmentsCommand)
    .resolvesOnce({ Environments: [environment({ VersionLabel: 'v2' })] })
    .resolvesOnce({ Environments: [environment({ VersionLabel: 'v2' })] })
    .resolvesOnce({ Environments: [environment({ VersionLabel: 'v2' })] })
    .resolves({ Environments: [environment({ VersionLabel: 'v1' })] });
  eb.on(DescribeApplicationVersionsCommand, { ApplicationName: 'insurance', VersionLabels: ['v2'] }).resolves(
    {
      ApplicationVersions: [{ VersionLabel: 'v2', ApplicationVersionArn: 'arn:v2' }],
    },
  );
  eb.on(ListTagsForResourceCommand, { ResourceArn: 'arn:v2' }).resolves({
    ResourceTags: [{ Key: 'deploy-beanstalk:previous:prod-env', Value: 'v1' }],
  });
  eb.on(DescribeEventsCommand).resolves({ Events: [] });
  const { ports, outputs } = harness();

  await deploy({ ...inputs, source: { kind: 'existing-version' }, rollbackTo: { kind: 'previous' } }, ports);
  expect(eb.commandCalls(UpdateEnvironmentCommand).map((c) => c.args[0].input.VersionLabel)).toEqual(['v1']);
  expect(eb.commandCalls(UpdateTagsForResourceCommand)).toHaveLength(0);
  expect(outputs).toMatchObject({
    status: 'succeeded',
    'version-label': 'v1',
    'previous-version-label': 'v2',
  });
});

// A failed immutable update leaves the environment Ready and Green on the version it ran before,
// and logs its last ERROR ("Failed to deploy application.") at the moment it settles. DescribeEvents
// returns events "that occur on or after" StartTime (Elastic Beanstalk API Reference,
// DescribeEvents), so an event stamped exactly at the environment's DateUpdated is the ended
// update's, not a failure of the environment the rollback finds already settled.
test("a failed immutable update already back on the old version: its last event, at DateUpdated, is not the rollback's", async () => {
  existingApplication();
  const { ports, clock, outputs } = harness();
  const settledAt = T0.getTime() + 48_000;
  let updating = false;
  eb.on(UpdateEnvironmentCommand).callsFake(() => {
    updating = true;
    return { DateUpdated: T0 };
  });
  eb.on(DescribeEnvironmentsCommand).callsFake(() => ({
    Environments: [
      updating && clock.now() < settledAt
        ? environment({ Status: 'Updating', Health: 'Grey' })
        : environment(updating ? { DateUpdated: new Date(settledAt) } : {}),
    ],
  }));
  // The deploy's watch (a poll every 15 s) sees the first ERROR while the update runs, not the last.
  const logged = [
    event(44, 'Instance deployment failed. (i-1)', 'ERROR'),
    event(48, 'Failed to deploy application.', 'ERROR'),
  ];
  eb.on(DescribeEventsCommand).callsFake((input: { StartTime?: Date }) => ({
    Events: logged
      .filter((e) => e.EventDate!.getTime() <= clock.now())
      .filter((e) => input.StartTime === undefined || e.EventDate! >= input.StartTime)
      .reverse(),
  }));

  await expect(deploy(inputs, ports)).rejects.toBeInstanceOf(DeployFailed);
  expect(outputs).toMatchObject({ status: 'rolled-back', action: 'rolled-back', health: 'Green' });
  expect(eb.commandCalls(UpdateEnvironmentCommand).map((c) => c.args[0].input.VersionLabel)).toEqual(['v1']);
});
