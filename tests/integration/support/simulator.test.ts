import {
  GetEnvironmentCommand,
  MWAAClient,
  ResourceNotFoundException,
  UpdateEnvironmentCommand,
  type Environment,
} from '@aws-sdk/client-mwaa';
import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startSimulator, type Simulator } from '../../support/simulator';
import { startStack, type Stack } from '../../support/stack';

// 120 virtual seconds per real second: the 60 s healthy update plays in half a second.
const SPEED = 120;
let stack: Stack;
let simulator: Simulator;
const savedEnv = { ...process.env };

beforeAll(async () => {
  stack = await startStack();
  simulator = await startSimulator({ upstream: stack.endpoints.moto, speed: SPEED });
  Object.assign(process.env, stack.env, { AWS_ENDPOINT_URL: simulator.url });
});

afterAll(async () => {
  process.env = savedEnv;
  await simulator?.close();
  await stack?.stop();
});

beforeEach(() => simulator.reset());

function mwaaClient(): MWAAClient {
  // MWAA prefixes its host with `api.`; a local endpoint has no such host.
  return new MWAAClient({ disableHostPrefix: true });
}

/** Polls GetEnvironment until `done`, returning each distinct Status seen and the last answer. */
async function watch(
  client: MWAAClient,
  name: string,
  done: (environment: Environment) => boolean,
): Promise<{ statuses: string[]; last: Environment }> {
  const statuses: string[] = [];
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { Environment: environment = {} } = await client.send(new GetEnvironmentCommand({ Name: name }));
    if (environment.Status && statuses[statuses.length - 1] !== environment.Status)
      statuses.push(environment.Status);
    if (done(environment)) return { statuses, last: environment };
    if (Date.now() > deadline)
      throw new Error(`environment ${name} still ${environment.Status}; saw ${statuses}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const settled = (environment: Environment): boolean =>
  environment.LastUpdate?.Status === 'SUCCESS' || environment.LastUpdate?.Status === 'FAILED';

describe('scenario simulator with the MWAA SDK client', () => {
  it('plays a healthy update: UPDATING, then AVAILABLE with LastUpdate SUCCESS', async () => {
    simulator.seed('mwaa', { Name: 'airflow-prod' });
    const client = mwaaClient();
    const { Arn } = await client.send(
      new UpdateEnvironmentCommand({
        Name: 'airflow-prod',
        RequirementsS3ObjectVersion: 'req-v2',
        PluginsS3ObjectVersion: 'plug-v2',
        StartupScriptS3ObjectVersion: 'start-v2',
      }),
    );
    expect(Arn).toBe('arn:aws:airflow:us-east-1:123456789012:environment/airflow-prod');
    const { statuses, last } = await watch(client, 'airflow-prod', settled);
    expect(statuses).toEqual(['UPDATING', 'AVAILABLE']);
    expect(last).toMatchObject({
      RequirementsS3ObjectVersion: 'req-v2',
      PluginsS3ObjectVersion: 'plug-v2',
      StartupScriptS3ObjectVersion: 'start-v2',
      LastUpdate: { Status: 'SUCCESS' },
    });
    expect(last.LastUpdate?.CreatedAt).toBeInstanceOf(Date);
  });

  it('plays a failing update: UPDATING, then UPDATE_FAILED with the error and the old versions', async () => {
    simulator.seed('mwaa', { Name: 'airflow-prod', RequirementsS3ObjectVersion: 'req-v1' });
    simulator.scenarios.choose('mwaa', 'airflow-prod', 'update-fails');
    const client = mwaaClient();
    await client.send(
      new UpdateEnvironmentCommand({ Name: 'airflow-prod', RequirementsS3ObjectVersion: 'req-v2' }),
    );
    const { statuses, last } = await watch(client, 'airflow-prod', settled);
    expect(statuses).toEqual(['UPDATING', 'UPDATE_FAILED']);
    expect(last.RequirementsS3ObjectVersion).toBe('req-v1');
    expect(last.LastUpdate).toMatchObject({
      Status: 'FAILED',
      Error: {
        ErrorCode: 'INCORRECT_CONFIGURATION',
        ErrorMessage: expect.stringContaining('requirements.txt'),
      },
    });
  });

  it('plays a rolled-back update: back to AVAILABLE, but LastUpdate FAILED', async () => {
    simulator.seed('mwaa', { Name: 'airflow-prod' });
    simulator.scenarios.choose('mwaa', 'airflow-prod', 'update-fails-rollback');
    const client = mwaaClient();
    await client.send(new UpdateEnvironmentCommand({ Name: 'airflow-prod', DagS3Path: 'dags/v2' }));
    const { statuses, last } = await watch(client, 'airflow-prod', settled);
    expect(statuses).toEqual(['UPDATING', 'ROLLING_BACK', 'AVAILABLE']);
    expect(last.LastUpdate?.Status).toBe('FAILED');
  });

  it('jumps through a slow update when the clock is advanced', async () => {
    simulator.seed('mwaa', { Name: 'airflow-prod' });
    simulator.scenarios.choose('mwaa', 'airflow-prod', 'slow');
    simulator.clock.setSpeed(1);
    const client = mwaaClient();
    await client.send(new UpdateEnvironmentCommand({ Name: 'airflow-prod' }));
    const before = await client.send(new GetEnvironmentCommand({ Name: 'airflow-prod' }));
    expect(before.Environment?.Status).toBe('UPDATING');
    const control = await fetch(`${simulator.url}/_sim/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceSeconds: 25 * 60 }),
    });
    expect(control.status).toBe(200);
    const after = await client.send(new GetEnvironmentCommand({ Name: 'airflow-prod' }));
    expect(after.Environment).toMatchObject({ Status: 'AVAILABLE', LastUpdate: { Status: 'SUCCESS' } });
  });

  it('answers an unknown environment with ResourceNotFoundException', async () => {
    const failure = mwaaClient().send(new GetEnvironmentCommand({ Name: 'no-such-env' }));
    await expect(failure).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(failure).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it('records each modelled call with its parameters and virtual time', async () => {
    simulator.seed('mwaa', { Name: 'airflow-prod' });
    await mwaaClient().send(
      new UpdateEnvironmentCommand({ Name: 'airflow-prod', PluginsS3ObjectVersion: 'p7' }),
    );
    const calls = simulator.calls({ service: 'mwaa', operation: 'UpdateEnvironment' });
    expect(calls).toEqual([
      {
        service: 'mwaa',
        operation: 'UpdateEnvironment',
        params: { Name: 'airflow-prod', PluginsS3ObjectVersion: 'p7' },
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        forwarded: false,
      },
    ]);
  });

  it('passes calls it does not model on to moto', async () => {
    const s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'simulator-forwarding' }));
    await s3.send(
      new PutObjectCommand({ Bucket: 'simulator-forwarding', Key: 'dags/a.py', Body: 'print(1)\n' }),
    );
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    expect(Buckets.map((b) => b.Name)).toContain('simulator-forwarding');
    const identity = await new STSClient({}).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('123456789012');
    expect(simulator.calls({ service: 'sts' })).toEqual([
      expect.objectContaining({ operation: 'GetCallerIdentity', forwarded: true }),
    ]);
    expect(simulator.calls({ service: 's3' }).every((call) => call.forwarded)).toBe(true);
  });
});
