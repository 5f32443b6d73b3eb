/**
 * A mutating call whose answer is lost is sent again by the SDK, and the repeat fails because the
 * first call worked. The state read back decides: our own change goes on as if answered; someone
 * else's is a named error.
 */
import {
  AbortEnvironmentUpdateCommand,
  CreateApplicationVersionCommand,
  DeleteApplicationVersionCommand,
  DescribeApplicationVersionsCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  UpdateEnvironmentCommand,
  type CreateApplicationVersionCommandInput,
} from '@aws-sdk/client-elastic-beanstalk';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { deploy } from './beanstalk-fixture';
import { eb, environment, existingApplication, harness, inputs, s3, T0 } from './beanstalk-fixture';

/** Errors as Elastic Beanstalk words them (InvalidParameterValue, HTTP 400). */
function invalidParameter(message: string): Error {
  return Object.assign(new Error(message), { name: 'InvalidParameterValue', $fault: 'client' });
}
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

beforeEach(() => {
  eb.reset();
  s3.reset();
  existingApplication();
  eb.on(DescribeEventsCommand).resolves({ Events: [] });
});

/** Ready on v0 for the two reads before the update, then `during`, then Ready on v1 and Green. */
function environmentReads(...during: ReturnType<typeof environment>[]): void {
  let chain = eb
    .on(DescribeEnvironmentsCommand)
    .resolvesOnce({ Environments: [environment({})] })
    .resolvesOnce({ Environments: [environment({})] });
  for (const view of during) chain = chain.resolvesOnce({ Environments: [view] });
  chain.resolves({ Environments: [environment({ VersionLabel: 'v1', DateUpdated: later(1) })] });
}

describe('CreateApplicationVersion answering "already exists"', () => {
  /** The first call created v1 (its description is what AWS holds); the repeat is refused. */
  function createdThenRefused(holds: (ours: string) => string): void {
    eb.on(CreateApplicationVersionCommand).callsFake((input: CreateApplicationVersionCommandInput) => {
      const description = holds(input.Description ?? '');
      eb.on(DescribeApplicationVersionsCommand, { VersionLabels: ['v1'] }).resolves({
        ApplicationVersions: [
          {
            VersionLabel: 'v1',
            Status: 'Processed',
            Description: description,
            ApplicationVersionArn: 'arn:v1',
          },
        ],
      });
      throw invalidParameter('Application Version v1 already exists.');
    });
  }

  test('when the version holds this bundle it is ours: the deploy goes on and succeeds', async () => {
    createdThenRefused((ours) => ours);
    environmentReads(environment({ Status: 'Updating', Health: 'Grey', VersionLabel: 'v1' }));
    const { ports, outputs, log } = harness();

    await deploy(inputs, ports);

    expect(outputs).toMatchObject({ status: 'succeeded', 'version-label': 'v1' });
    expect(eb.commandCalls(UpdateEnvironmentCommand)).toHaveLength(1);
    expect(log.lines.join('\n')).toContain(
      'CreateApplicationVersion answered that v1 already exists; it holds this bundle (md5 ',
    );
  });

  test('when it holds another bundle it is someone else’s: a named error, and no update', async () => {
    createdThenRefused(() => `theirs [bundle md5 ${'e'.repeat(32)}]`);
    environmentReads();
    const { ports, outputs } = harness();

    await expect(deploy(inputs, ports)).rejects.toThrow(
      `Version v1 was created by someone else while this run created it: it holds bundle md5 ${'e'.repeat(32)}, this bundle is md5 `,
    );
    expect(eb.commandCalls(UpdateEnvironmentCommand)).toHaveLength(0);
    expect(outputs.status).toBe('failed');
  });
});

describe('UpdateEnvironment answering "invalid state"', () => {
  const busy = invalidParameter(
    'Environment named prod-env is in an invalid state for this operation. Must be Ready.',
  );

  test('when the environment is updating to our label it is our update: it is followed to success', async () => {
    eb.on(UpdateEnvironmentCommand).rejects(busy);
    environmentReads(
      environment({ Status: 'Updating', Health: 'Grey', VersionLabel: 'v1', DateUpdated: later(1) }),
      environment({ Status: 'Updating', Health: 'Grey', VersionLabel: 'v1', DateUpdated: later(1) }),
    );
    const { ports, outputs, log } = harness();

    await deploy(inputs, ports);

    expect(outputs).toMatchObject({
      status: 'succeeded',
      'version-label': 'v1',
      'previous-version-label': 'v0',
    });
    expect(eb.commandCalls(UpdateEnvironmentCommand)).toHaveLength(1);
    expect(eb.commandCalls(AbortEnvironmentUpdateCommand)).toHaveLength(0);
    // Events are read from the update's start as the service reports it.
    expect(eb.commandCalls(DescribeEventsCommand)[0]?.args[0].input.StartTime).toEqual(later(1));
    expect(log.lines.join('\n')).toContain(
      'UpdateEnvironment answered that prod-env is in an invalid state; it is Updating on v1',
    );
  });

  test('when it is updating to another label it is someone else’s update: a named error, nothing rolled back', async () => {
    eb.on(UpdateEnvironmentCommand).rejects(busy);
    environmentReads(environment({ Status: 'Updating', Health: 'Grey', VersionLabel: 'v9' }));
    const { ports, outputs } = harness();

    await expect(deploy(inputs, ports)).rejects.toThrow(
      'prod-env is Updating with an update to v9 that this run did not start; v1 was not deployed',
    );
    expect(eb.commandCalls(UpdateEnvironmentCommand)).toHaveLength(1);
    expect(eb.commandCalls(AbortEnvironmentUpdateCommand)).toHaveLength(0);
    expect(outputs.status).toBe('failed');
  });

  test('any other error stands as it is', async () => {
    eb.on(UpdateEnvironmentCommand).rejects(
      Object.assign(new Error('User is not authorized'), { name: 'InsufficientPrivilegesException' }),
    );
    environmentReads();
    const { ports } = harness();

    await expect(deploy(inputs, ports)).rejects.toThrow('User is not authorized');
    expect(eb.commandCalls(DescribeEnvironmentsCommand)).toHaveLength(2);
  });
});

describe('the upload and the prune', () => {
  test('an upload that failed after S3 stored the object goes on when the object holds this bundle', async () => {
    let md5 = '';
    s3.on(PutObjectCommand).callsFake((input: { Metadata?: Record<string, string> }) => {
      md5 = input.Metadata?.['bundle-md5'] ?? '';
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    });
    s3.on(HeadObjectCommand).callsFake(() => ({ Metadata: { 'bundle-md5': md5 }, ETag: '"x"' }));
    environmentReads(environment({ Status: 'Updating', Health: 'Grey', VersionLabel: 'v1' }));
    const { ports, outputs } = harness();

    await deploy(inputs, ports);

    expect(outputs.status).toBe('succeeded');
    expect(eb.commandCalls(CreateApplicationVersionCommand)).toHaveLength(1);
  });

  test('an upload whose object is absent fails with the upload’s own error', async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('Not Found'), { name: 'NotFound' }));
    environmentReads();
    const { ports } = harness();

    await expect(deploy(inputs, ports)).rejects.toThrow('Access Denied');
    expect(eb.commandCalls(CreateApplicationVersionCommand)).toHaveLength(0);
  });

  test('a delete whose repeat fails because the version is gone counts as deleted', async () => {
    eb.on(DescribeApplicationVersionsCommand, { ApplicationName: 'insurance', MaxRecords: 1000 }).resolves({
      ApplicationVersions: [
        { VersionLabel: 'v1', Description: 'x', DateCreated: later(2) },
        { VersionLabel: 'v0', Description: 'old', DateCreated: later(1) },
        { VersionLabel: 'ancient', Description: 'old', DateCreated: T0 },
      ],
    });
    eb.on(DescribeApplicationVersionsCommand, { VersionLabels: ['ancient'] }).resolves({
      ApplicationVersions: [],
    });
    eb.on(DescribeApplicationVersionsCommand, { VersionLabels: ['v0'] }).resolves({
      ApplicationVersions: [{ VersionLabel: 'v0' }],
    });
    const refused = (label: string) => invalidParameter(`Application Version ${label} does not exist.`);
    eb.on(DeleteApplicationVersionCommand, { VersionLabel: 'ancient' }).rejects(refused('ancient'));
    // v0 is still there after its delete failed: that failure is real.
    eb.on(DeleteApplicationVersionCommand, { VersionLabel: 'v0' }).rejects(
      Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }),
    );
    eb.on(DescribeEnvironmentsCommand).resolves({ Environments: [environment({ VersionLabel: 'v1' })] });
    const { ports, log } = harness();

    await deploy({ ...inputs, source: { kind: 'existing-version' }, keepVersions: 1 }, ports);

    expect(log.lines.filter((l) => l.startsWith('warning'))).toEqual([
      'warning: Could not delete version v0: Rate exceeded',
    ]);
    expect(log.lines.join('\n')).toContain('Deleted 1 old version(s) beyond 1: ancient');
  });
});
