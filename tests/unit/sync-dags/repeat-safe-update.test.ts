/**
 * UpdateEnvironment safe to repeat. A lost answer makes the SDK send the call again; MWAA answers
 * the repeat with ValidationException (its API reference's error for a request the environment's
 * state does not allow; a real answer reads "Environments with CREATE_FAILED status cannot be
 * updated."). The action reads the environment back and decides whose update is running.
 */
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Environment } from '@aws-sdk/client-mwaa';
import { ValidationException } from '@aws-sdk/client-mwaa';
import { DeployFailed } from '@deploy-suite/kit';
import { fakeClock, recordingLog } from '../../support/fakes';
import { judgeRefusedUpdate } from '../../../actions/sync-dags/src/environment';
import type { Inputs } from '../../../actions/sync-dags/src/inputs';
import { syncDags, type SyncPorts } from '../../../actions/sync-dags/src/sync';
import { fakeBucket, fakeEnvironment, leasePortsFor, makeTree } from './fake-aws';

const SENT = { RequirementsS3Path: 'requirements.txt', RequirementsS3ObjectVersion: 'v2' };
const BEFORE: Environment = {
  Name: 'env',
  Status: 'AVAILABLE',
  RequirementsS3Path: 'requirements.txt',
  RequirementsS3ObjectVersion: 'v1',
  LastUpdate: { Status: 'SUCCESS', CreatedAt: new Date(1_000) },
};
const at = (ms: number, status: 'PENDING' | 'SUCCESS' | 'FAILED' = 'PENDING') => ({
  Status: status,
  CreatedAt: new Date(ms),
});

describe('judgeRefusedUpdate: whose update made MWAA refuse ours', () => {
  it.each<[string, Environment, boolean, RegExp | undefined]>([
    [
      'UPDATING toward our versions, newer update',
      { ...BEFORE, ...SENT, Status: 'UPDATING', LastUpdate: at(2_000) },
      true,
      undefined,
    ],
    [
      'CREATING_SNAPSHOT toward our versions',
      { ...BEFORE, ...SENT, Status: 'CREATING_SNAPSHOT', LastUpdate: at(2_000) },
      true,
      undefined,
    ],
    [
      'already AVAILABLE with our versions, update succeeded',
      { ...BEFORE, ...SENT, LastUpdate: at(2_000, 'SUCCESS') },
      true,
      undefined,
    ],
    [
      'a leading slash in the path is the same key',
      {
        ...BEFORE,
        ...SENT,
        RequirementsS3Path: '/requirements.txt',
        Status: 'UPDATING',
        LastUpdate: at(2_000),
      },
      true,
      undefined,
    ],
    [
      'UPDATING toward other versions',
      {
        ...BEFORE,
        RequirementsS3ObjectVersion: 'v9',
        Status: 'UPDATING',
        LastUpdate: { ...at(2_000), Source: 'Customer' },
      },
      false,
      /UPDATING with an update started at 1970-01-01T00:00:02.000Z by Customer toward RequirementsS3ObjectVersion=v9.*RequirementsS3ObjectVersion v9 instead of v2/,
    ],
    [
      'our versions but the update is the one seen before',
      { ...BEFORE, ...SENT, Status: 'UPDATING', LastUpdate: at(1_000) },
      false,
      /no update newer than the one before this run/,
    ],
    [
      'our versions, update newer but failed',
      { ...BEFORE, ...SENT, Status: 'UPDATE_FAILED', LastUpdate: at(2_000, 'FAILED') },
      false,
      /its update ended FAILED/,
    ],
    [
      'maintenance',
      { ...BEFORE, Status: 'MAINTENANCE', LastUpdate: { ...at(2_000), Source: 'MAINTENANCE' } },
      false,
      /MAINTENANCE with an update started .* by MAINTENANCE/,
    ],
  ])('%s', (_name, now, ours, why) => {
    const verdict = judgeRefusedUpdate(SENT, BEFORE, now);
    expect(verdict.ours).toBe(ours);
    if (!verdict.ours && why) expect(verdict.why).toMatch(why);
  });

  it('with no update seen before, any update toward our versions is ours', () => {
    const { LastUpdate: _none, ...fresh } = BEFORE;
    expect(
      judgeRefusedUpdate(SENT, fresh, { ...fresh, ...SENT, Status: 'UPDATING', LastUpdate: at(5) }),
    ).toEqual({
      ours: true,
    });
  });
});

describe('a lost UpdateEnvironment answer, through the sync', () => {
  const BUCKET = 'airflow-prod';
  const available: Environment = {
    Name: 'env',
    Status: 'AVAILABLE',
    SourceBucketArn: `arn:aws:s3:::${BUCKET}`,
    DagS3Path: 'dags',
    LastUpdate: { Status: 'SUCCESS', CreatedAt: new Date(1000) },
  };
  const refused = () =>
    new ValidationException({
      message: 'Environments with UPDATING status cannot be updated.',
      $metadata: { httpStatusCode: 400 },
    });

  function run(environment: ReturnType<typeof fakeEnvironment>) {
    const root = makeTree({ 'dags/dag.py': 'x\n', 'requirements.txt': 'pandas==2.2.0\n' });
    const bucket = fakeBucket({ versioned: true });
    const log = recordingLog();
    const ports: SyncPorts = {
      s3: bucket.s3,
      mwaa: environment.mwaa,
      clock: fakeClock(),
      log,
      runTool: async () => ({ exitCode: 0, stdout: '', stderr: '' }),
      findExecutable: (name) => `/usr/bin/${name}`,
      workspace: '/',
      tempDir: makeTree({}),
      roots: [realpathSync(tmpdir())],
      pollIntervalMs: 1000,
      ...leasePortsFor(bucket.s3),
    };
    const inputs: Inputs = {
      source: join(root, 'dags'),
      bucket: BUCKET,
      prefix: 'dags/',
      delete: false,
      include: [],
      exclude: [],
      respectAirflowignore: false,
      airflowignoreSyntax: 'auto',
      maxDelete: 50,
      maxDeletePercent: 25,
      dryRun: false,
      validate: { kind: 'none' },
      validateTimeoutMs: 600_000,
      concurrency: 4,
      region: 'us-east-1',
      requirements: join(root, 'requirements.txt'),
      plugins: undefined,
      startupScript: undefined,
      mwaa: { environment: 'env', waitForEnvironment: true, timeoutMs: 3_600_000 },
      leaseTimeoutMs: 0,
    };
    return { outcome: syncDags(inputs, ports), bucket, log };
  }

  it('goes on waiting when the environment is updating toward our versions, and ends verified', async () => {
    const environment = fakeEnvironment(
      available,
      [
        { Status: 'UPDATING', LastUpdate: { Status: 'PENDING', CreatedAt: new Date(2000) } },
        { Status: 'UPDATING' },
        { Status: 'AVAILABLE', LastUpdate: { Status: 'SUCCESS', CreatedAt: new Date(2000) } },
      ],
      { answerAfterApplying: refused() },
    );
    const { outcome, bucket, log } = run(environment);
    const result = await outcome;
    expect(result.environment).toMatchObject({ updated: true, status: 'AVAILABLE' });
    expect(environment.updates).toHaveLength(1);
    expect(environment.updates[0]).toMatchObject({
      RequirementsS3ObjectVersion: bucket.objects.get('requirements.txt')?.versionId,
    });
    expect(log.lines.some((l) => l.includes("this run's update, whose answer was lost"))).toBe(true);
    expect(log.lines).toContain('MWAA environment env: AVAILABLE');
  });

  it("fails naming the other update when the environment is updating toward someone else's versions", async () => {
    const environment = fakeEnvironment(
      available,
      [
        {
          Status: 'UPDATING',
          RequirementsS3ObjectVersion: 'someone-elses',
          LastUpdate: { Status: 'PENDING', CreatedAt: new Date(2000) },
        },
      ],
      { answerAfterApplying: refused() },
    );
    const { outcome } = run(environment);
    await expect(outcome).rejects.toThrow(DeployFailed);
    await expect(outcome).rejects.toThrow(
      /MWAA environment env refused the update: it is UPDATING with an update started at .* toward RequirementsS3ObjectVersion=someone-elses/,
    );
  });

  it('passes any other error through unchanged', async () => {
    const denied = Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });
    const environment = fakeEnvironment(available, [], { answerAfterApplying: denied });
    await expect(run(environment).outcome).rejects.toThrow('not allowed');
  });
});
