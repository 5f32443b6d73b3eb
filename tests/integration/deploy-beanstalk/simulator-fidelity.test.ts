import {
  CreateApplicationVersionCommand,
  DescribeEnvironmentHealthCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  ElasticBeanstalkClient,
  UpdateEnvironmentCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { APP, BeanstalkStack, ENV } from './beanstalk-stack';

/**
 * The Elastic Beanstalk simulator against the API model and documentation, through the SDK the
 * actions use: what the anchors (einaregilsson/beanstalk-deploy, aws-actions/aws-elasticbeanstalk-deploy)
 * rely on must behave as AWS documents it.
 */
let sim: BeanstalkStack;
let eb: ElasticBeanstalkClient;
jest.setTimeout(60_000);

beforeAll(async () => {
  sim = await BeanstalkStack.start();
  eb = new ElasticBeanstalkClient({
    endpoint: sim.stack.endpoints.simulator,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}, 60_000);

afterAll(async () => {
  eb?.destroy();
  await sim?.stop();
});

async function advance(seconds: number): Promise<void> {
  await sim.stack.simulator.clock({ advanceSeconds: seconds });
}

async function described() {
  const answer = await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [ENV] }));
  return answer.Environments?.[0];
}

test('a version created without Process is Unprocessed and deploys (CreateApplicationVersion: Process is optional)', async () => {
  await sim.fresh('healthy');
  const created = await eb.send(
    new CreateApplicationVersionCommand({
      ApplicationName: APP,
      VersionLabel: 'plain',
      SourceBundle: { S3Bucket: 'bundles', S3Key: 'plain.zip' },
    }),
  );
  expect(created.ApplicationVersion?.Status).toBe('Unprocessed');
  await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'plain' }));
  await advance(120);
  expect(await described()).toMatchObject({ VersionLabel: 'plain', Status: 'Ready', Health: 'Green' });
});

test('DescribeEvents: up to 1,000 events a page with NextToken; MaxRecords outside 1..1000 refused (API model)', async () => {
  await sim.fresh('slow');
  await eb.send(
    new CreateApplicationVersionCommand({
      ApplicationName: APP,
      VersionLabel: 'v1',
      SourceBundle: { S3Bucket: 'bundles', S3Key: 'v1.zip' },
    }),
  );
  await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'v1' }));
  await advance(800);
  const all = await eb.send(new DescribeEventsCommand({ EnvironmentName: ENV }));
  expect(all.Events?.length).toBeGreaterThan(30);
  expect(all.NextToken).toBeUndefined();

  const first = await eb.send(new DescribeEventsCommand({ EnvironmentName: ENV, MaxRecords: 10 }));
  expect(first.Events).toHaveLength(10);
  expect(first.NextToken).toBeDefined();
  const second = await eb.send(
    new DescribeEventsCommand({ EnvironmentName: ENV, MaxRecords: 10, NextToken: first.NextToken }),
  );
  expect(second.Events?.[0]).toEqual(all.Events?.[10]);

  await expect(
    eb.send(new DescribeEventsCommand({ EnvironmentName: ENV, MaxRecords: 1001 })),
  ).rejects.toThrow(/between 1 and 1000/);
});

test('health: Pending (Grey) while updating, Degraded (Red) then Ok (Green) as documented colours', async () => {
  await sim.fresh('recovers');
  await eb.send(
    new CreateApplicationVersionCommand({
      ApplicationName: APP,
      VersionLabel: 'v1',
      SourceBundle: { S3Bucket: 'bundles', S3Key: 'v1.zip' },
    }),
  );
  await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'v1' }));
  expect(await described()).toMatchObject({ Status: 'Updating', Health: 'Grey', HealthStatus: 'Pending' });
  await advance(95);
  expect(await described()).toMatchObject({ Status: 'Ready', Health: 'Red', HealthStatus: 'Degraded' });
  await advance(40);
  expect(await described()).toMatchObject({ Status: 'Ready', Health: 'Green', HealthStatus: 'Ok' });
});

test('DescribeEnvironmentHealth answers the AttributeNames asked for, only the name when none', async () => {
  await sim.fresh('healthy');
  const none = await eb.send(new DescribeEnvironmentHealthCommand({ EnvironmentName: ENV }));
  expect(none).toMatchObject({ EnvironmentName: ENV });
  expect(none.Color).toBeUndefined();
  expect(none.Causes).toBeUndefined();

  const some = await eb.send(
    new DescribeEnvironmentHealthCommand({ EnvironmentName: ENV, AttributeNames: ['Color', 'HealthStatus'] }),
  );
  expect(some).toMatchObject({ EnvironmentName: ENV, Color: 'Green', HealthStatus: 'Ok' });
  expect(some.Status).toBeUndefined();

  const all = await eb.send(
    new DescribeEnvironmentHealthCommand({ EnvironmentName: ENV, AttributeNames: ['All'] }),
  );
  expect(all).toMatchObject({ Color: 'Green', HealthStatus: 'Ok', Status: 'Ready' });
});
