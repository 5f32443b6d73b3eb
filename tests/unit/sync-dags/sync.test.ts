import { createHash } from 'node:crypto';
import { realpathSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeployFailed, type RunTool } from '@deploy-suite/kit';
import { fakeClock, recordingLog } from '../../support/fakes';
import type { Environment } from '@aws-sdk/client-mwaa';
import type { Inputs } from '../../../actions/sync-dags/src/inputs';
import { attachedResult } from '../../../packages/kit/src/result';
import { syncDags, type SyncPorts } from '../../../actions/sync-dags/src/sync';
import { fakeBucket, fakeEnvironment, leasePortsFor, makeTree } from './fake-aws';

const BUCKET = 'airflow-prod';

function inputsFor(source: string, overrides: Partial<Inputs> = {}): Inputs {
  return {
    source,
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
    leaseTimeoutMs: 0,
    region: 'us-east-1',
    requirements: undefined,
    plugins: undefined,
    startupScript: undefined,
    mwaa: undefined,
    ...overrides,
  };
}

function portsFor(
  bucket: ReturnType<typeof fakeBucket>,
  environment = fakeEnvironment({ Name: 'env', Status: 'AVAILABLE' }),
  runTool: RunTool = async () => ({ exitCode: 0, stdout: '', stderr: '' }),
) {
  const log = recordingLog();
  const ports: SyncPorts = {
    s3: bucket.s3,
    mwaa: environment.mwaa,
    clock: fakeClock(),
    log,
    runTool,
    findExecutable: (name) => `/usr/bin/${name}`,
    workspace: '/',
    tempDir: makeTree({}),
    roots: [realpathSync(tmpdir())],
    pollIntervalMs: 1000,
    ...leasePortsFor(bucket.s3),
  };
  return { ports, log };
}

/** The sync's own calls, without taking and releasing its lease (tests/unit/sync-dags/lease.test.ts). */
const withoutLease = (calls: string[]) => calls.filter((c) => !c.endsWith('.sync-dags.lease'));
const puts = (calls: string[]) => withoutLease(calls).filter((c) => c.startsWith('PutObject'));

describe('syncing the DAGs folder', () => {
  it('uploads every file on the first run, with its MD5 in metadata', async () => {
    const source = makeTree({ 'a.py': 'a = 1\n', 'etl/load.py': 'b = 2\n', 'etl/sql/q.sql': 'select 1' });
    const bucket = fakeBucket();
    const outcome = await syncDags(inputsFor(source), portsFor(bucket).ports);
    expect([...bucket.objects.keys()].sort()).toEqual([
      'dags/a.py',
      'dags/etl/load.py',
      'dags/etl/sql/q.sql',
    ]);
    expect(bucket.objects.get('dags/a.py')?.metadata).toEqual({
      md5: createHash('md5').update('a = 1\n').digest('hex'),
    });
    expect(outcome).toMatchObject({ uploaded: 3, deleted: 0, bytesUploaded: 20 });
  });

  it('uploads nothing on a second run, whatever the modification times', async () => {
    const source = makeTree({ 'a.py': 'a = 1\n', 'b.py': 'b = 2\n' });
    const bucket = fakeBucket();
    await syncDags(inputsFor(source), portsFor(bucket).ports);
    bucket.calls.length = 0;
    for (const name of ['a.py', 'b.py']) utimesSync(join(source, name), new Date(), new Date(2001, 1, 1));
    const outcome = await syncDags(inputsFor(source), portsFor(bucket).ports);
    expect(withoutLease(bucket.calls)).toEqual(['ListObjectsV2']);
    expect(outcome.plan?.unchanged).toHaveLength(2);
    expect(outcome.uploaded).toBe(0);
  });

  it('finds a one-byte edit that keeps the size', async () => {
    const source = makeTree({ 'a.py': 'a = 1\n', 'b.py': 'b = 2\n' });
    const bucket = fakeBucket();
    await syncDags(inputsFor(source), portsFor(bucket).ports);
    bucket.calls.length = 0;
    writeFileSync(join(source, 'a.py'), 'a = 7\n');
    const outcome = await syncDags(inputsFor(source), portsFor(bucket).ports);
    expect(withoutLease(bucket.calls)).toEqual([
      'ListObjectsV2',
      'HeadObject dags/a.py',
      'PutObject dags/a.py',
    ]);
    expect(outcome.plan?.upload.map((f) => f.reason)).toEqual(['changed']);
    expect(bucket.objects.get('dags/a.py')?.body.toString()).toBe('a = 7\n');
  });

  it('deletes objects gone locally only when asked, after the uploads', async () => {
    const source = makeTree({ 'new.py': 'n = 1\n' });
    const bucket = fakeBucket();
    bucket.put('dags/old.py', Buffer.from('o = 1\n'));
    bucket.put('elsewhere/keep.py', Buffer.from('k\n'));
    await syncDags(inputsFor(source), portsFor(bucket).ports);
    expect(bucket.objects.has('dags/old.py')).toBe(true);
    const outcome = await syncDags(inputsFor(source, { delete: true }), portsFor(bucket).ports);
    expect(bucket.objects.has('dags/old.py')).toBe(false);
    expect(bucket.objects.has('elsewhere/keep.py')).toBe(true);
    expect(outcome.deleted).toBe(1);
  });

  it('deletes nothing when an upload fails, and still publishes what it did', async () => {
    const source = makeTree({ 'a.py': 'a\n', 'b.py': 'b\n', 'c.py': 'c\n' });
    const bucket = fakeBucket({ failPutFor: (key) => key === 'dags/b.py' });
    bucket.put('dags/old.py', Buffer.from('o\n'));
    const { ports } = portsFor(bucket);
    const failure = await syncDags(inputsFor(source, { delete: true, concurrency: 1 }), ports).catch(
      (err: unknown) => err,
    );
    expect(failure).toMatchObject({ message: expect.stringContaining('AccessDenied') });
    expect(bucket.calls.some((c) => c.startsWith('DeleteObjects'))).toBe(false);
    expect(bucket.objects.has('dags/old.py')).toBe(true);
    expect(attachedResult(failure)?.outputs).toMatchObject({ uploaded: 1, deleted: 0 });
  });

  it('uploads the files .airflowignore names by default: DAGs import them', async () => {
    const source = makeTree({
      '.airflowignore': 'helpers\n',
      'dag.py': 'from helpers.io import load\n',
      'helpers/__init__.py': '',
      'helpers/io.py': 'def load(): pass\n',
    });
    const bucket = fakeBucket();
    const { ports, log } = portsFor(bucket);
    const outcome = await syncDags(inputsFor(source), ports);
    expect(outcome.plan?.upload.map((f) => f.path)).toEqual([
      '.airflowignore',
      'dag.py',
      'helpers/__init__.py',
      'helpers/io.py',
    ]);
    expect(outcome.skipped).toBe(0);
    expect(log.lines).toContain(
      '4 files in ' +
        source.slice(1) +
        '; 2 named by .airflowignore are uploaded too (DAGs import them; Airflow does not parse them)',
    );
  });

  it('with respect-airflowignore leaves out .airflowignore matches and excluded files, and never deletes them remotely', async () => {
    const source = makeTree({
      '.airflowignore': 'scratch\n',
      'dag.py': 'x = 1\n',
      'scratch_dag.py': 'x = 2\n',
      'tests/test_dag.py': 'x = 3\n',
    });
    const bucket = fakeBucket();
    bucket.put('dags/scratch_old.py', Buffer.from('old\n'));
    bucket.put('dags/tests/old_test.py', Buffer.from('old\n'));
    bucket.put('dags/gone.py', Buffer.from('old\n'));
    const outcome = await syncDags(
      inputsFor(source, { delete: true, exclude: ['tests/'], respectAirflowignore: true }),
      portsFor(bucket).ports,
    );
    expect(outcome.plan?.upload.map((f) => f.path)).toEqual(['.airflowignore', 'dag.py']);
    expect(outcome.plan?.delete.map((f) => f.path)).toEqual(['gone.py']);
    expect(outcome.skipped).toBe(2);
    expect(bucket.objects.has('dags/scratch_old.py')).toBe(true);
  });

  it('reads .airflowignore in the syntax of the MWAA environment’s Airflow version', async () => {
    // In glob syntax `*_helper.py` is a name pattern; as a regexp it would not match `io_helper.py`.
    const source = makeTree({ '.airflowignore': '*_helper.py\n', 'dag.py': 'x\n', 'io_helper.py': 'y\n' });
    const bucket = fakeBucket();
    const environment = fakeEnvironment({
      Name: 'env',
      Status: 'AVAILABLE',
      AirflowVersion: '3.0.6',
      SourceBucketArn: `arn:aws:s3:::${BUCKET}`,
      DagS3Path: 'dags',
    });
    const { ports, log } = portsFor(bucket, environment);
    const mwaa = { environment: 'env', waitForEnvironment: true, timeoutMs: 60_000 };
    const outcome = await syncDags(inputsFor(source, { mwaa, respectAirflowignore: true }), ports);
    expect(outcome.plan?.upload.map((f) => f.path)).toEqual(['.airflowignore', 'dag.py']);
    expect(log.lines).toContain('.airflowignore read as glob: MWAA environment env runs Airflow 3.0.6');
    expect(log.lines.filter((line) => line.includes('not a valid'))).toEqual([]);
  });

  it('refuses a delete plan above max-delete before uploading or deleting anything', async () => {
    const source = makeTree({ 'new.py': 'n\n' });
    const bucket = fakeBucket();
    for (let i = 0; i < 4; i++) bucket.put(`dags/old_${i}.py`, Buffer.from('o\n'));
    const run = syncDags(inputsFor(source, { delete: true, maxDelete: 3 }), portsFor(bucket).ports);
    await expect(run).rejects.toThrow(
      "Input 'max-delete' is 3, but the plan deletes 4 of the 4 objects under s3://airflow-prod/dags/",
    );
    expect(withoutLease(bucket.calls).filter((call) => call !== 'ListObjectsV2')).toEqual([]);
    expect(bucket.objects.size).toBe(4);
  });

  it('a dry run prints the plan, then fails the same way a real run would', async () => {
    const source = makeTree({ 'new.py': 'n\n' });
    const bucket = fakeBucket();
    for (let i = 0; i < 4; i++) bucket.put(`dags/old_${i}.py`, Buffer.from('o\n'));
    const { ports, log } = portsFor(bucket);
    const run = syncDags(inputsFor(source, { delete: true, maxDelete: 3, dryRun: true }), ports);
    await expect(run).rejects.toThrow("Input 'max-delete' is 3, but the plan deletes 4 of the 4 objects");
    expect(log.lines).toEqual(expect.arrayContaining(['upload    new.py (new, 2 B)', 'delete    old_0.py']));
    expect(bucket.objects.size).toBe(4);
  });

  it('never deletes or uploads over another prefix’s lease, syncing to the bucket root', async () => {
    const source = makeTree({ 'dag.py': 'd\n', 'team.sync-dags.lease': 'not a lease\n' });
    const bucket = fakeBucket();
    const theirs = bucket.put('team.sync-dags.lease', Buffer.from('{"owner":{}}'));
    bucket.put('old.py', Buffer.from('o'));
    const { ports, log } = portsFor(bucket);
    const outcome = await syncDags(
      inputsFor(source, { prefix: '', delete: true, maxDeletePercent: 100 }),
      ports,
    );
    expect(outcome.plan?.delete.map((f) => f.key)).toEqual(['old.py']);
    expect(outcome.plan?.upload.map((f) => f.key)).toEqual(['dag.py']);
    expect(bucket.objects.get('team.sync-dags.lease')?.etag).toBe(theirs.etag);
    expect(log.lines).toContain(
      'warning: team.sync-dags.lease is not uploaded: keys ending in .sync-dags.lease are sync-dags leases, never synced or deleted',
    );
  });

  it('with validate: none, takes the lease before reading the folder, lists after it, and releases it when the folder cannot be read', async () => {
    const bucket = fakeBucket();
    const missing = join(makeTree({}), 'gone');
    const failure = await syncDags(inputsFor(missing), portsFor(bucket).ports).catch((err: unknown) => err);
    expect(failure).toMatchObject({ code: 'ENOENT' });
    // The listing may or may not have gone out before the walk failed; the lease came first and was released.
    expect(bucket.calls.filter((call) => call !== 'ListObjectsV2')).toEqual([
      'PutObject dags.sync-dags.lease',
      'DeleteObject dags.sync-dags.lease',
    ]);
    expect(bucket.objects.size).toBe(0);
  });

  it('with the DAGs to validate, a folder that cannot be read ends the run before any call to S3', async () => {
    const bucket = fakeBucket();
    const missing = join(makeTree({}), 'gone');
    await expect(
      syncDags(inputsFor(missing, { validate: { kind: 'syntax' } }), portsFor(bucket).ports),
    ).rejects.toMatchObject({ code: 'ENOENT' });
    expect(bucket.calls).toEqual([]);
  });

  it('takes no lease in a dry run', async () => {
    const source = makeTree({ 'dag.py': 'd\n' });
    const bucket = fakeBucket();
    await syncDags(inputsFor(source, { dryRun: true }), portsFor(bucket).ports);
    expect(bucket.calls).toEqual(['ListObjectsV2']);
  });

  it('never deletes MWAA’s requirements, plugins or startup objects, even syncing to the bucket root', async () => {
    const source = makeTree({ 'dag.py': 'd\n' });
    const bucket = fakeBucket();
    for (const key of ['requirements.txt', 'plugins.zip', 'startup.sh', 'old.py'])
      bucket.put(key, Buffer.from('x'));
    const outcome = await syncDags(
      inputsFor(source, { prefix: '', delete: true, maxDeletePercent: 100 }),
      portsFor(bucket).ports,
    );
    expect(outcome.plan?.delete.map((f) => f.key)).toEqual(['old.py']);
    expect([...bucket.objects.keys()].sort()).toEqual([
      'dag.py',
      'plugins.zip',
      'requirements.txt',
      'startup.sh',
    ]);
  });

  it('skips a symbolic link leading outside the allowed roots, with a warning naming it', async () => {
    const source = makeTree({ 'dag.py': 'd\n' });
    symlinkSync('/etc/passwd', join(source, 'host.py'));
    const bucket = fakeBucket();
    const { ports, log } = portsFor(bucket);
    const outcome = await syncDags(inputsFor(source), ports);
    expect(outcome.plan?.upload.map((f) => f.path)).toEqual(['dag.py']);
    expect(log.lines).toContain(
      `warning: Symbolic link ${join(source, 'host.py').slice(1)} leads outside the workspace and RUNNER_TEMP; not followed, not uploaded`,
    );
  });

  it('changes nothing in a dry run but plans every file', async () => {
    const source = makeTree({ 'a.py': 'a\n', 'b.py': 'b\n' });
    const bucket = fakeBucket();
    bucket.put('dags/a.py', Buffer.from('a\n'));
    bucket.put('dags/old.py', Buffer.from('o\n'));
    const { ports, log } = portsFor(bucket);
    const outcome = await syncDags(inputsFor(source, { dryRun: true, delete: true }), ports);
    expect(puts(bucket.calls)).toEqual([]);
    expect(bucket.calls.some((c) => c.startsWith('DeleteObjects'))).toBe(false);
    expect(log.lines).toEqual(
      expect.arrayContaining(['upload    b.py (new, 2 B)', 'delete    old.py', 'unchanged a.py']),
    );
    expect(outcome.uploaded).toBe(0);
  });

  it('uploads nothing when a DAG does not compile, and annotates file and line', async () => {
    const source = makeTree({ 'good.py': 'x = 1\n', 'bad.py': 'def broken(:\n' });
    const bucket = fakeBucket();
    const tool: RunTool = async () => ({
      exitCode: 0,
      stdout: `${JSON.stringify({ file: join(source, 'bad.py'), line: 1, message: 'SyntaxError: invalid syntax' })}\n`,
      stderr: '',
    });
    const { ports, log } = portsFor(bucket, undefined, tool);
    await expect(syncDags(inputsFor(source, { validate: { kind: 'syntax' } }), ports)).rejects.toThrow(
      '1 of 2 DAG .py files does not compile; nothing was uploaded',
    );
    // Only the read-only listing, which starts at once, may have gone out; nothing was written.
    expect(withoutLease(bucket.calls).filter((call) => call !== 'ListObjectsV2')).toEqual([]);
    expect(log.lines).toContain('error: SyntaxError: invalid syntax');
  });
});

describe('MWAA', () => {
  const mwaaInputs = { environment: 'env', waitForEnvironment: true, timeoutMs: 60 * 60_000 };
  const available: Environment = {
    Name: 'env',
    Status: 'AVAILABLE',
    SourceBucketArn: `arn:aws:s3:::${BUCKET}`,
    DagS3Path: 'dags',
    LastUpdate: { Status: 'SUCCESS', CreatedAt: new Date(1000) },
  };

  it('uploads a changed requirements.txt, updates the environment to its version and waits for AVAILABLE', async () => {
    const source = makeTree({ 'dag.py': 'x\n', '../requirements.txt': 'pandas==2.2.0\n' });
    const bucket = fakeBucket({ versioned: true });
    const environment = fakeEnvironment(available, [
      { Status: 'UPDATING', LastUpdate: { Status: 'PENDING', CreatedAt: new Date(2000) } },
      { Status: 'UPDATING' },
      { Status: 'AVAILABLE', LastUpdate: { Status: 'SUCCESS', CreatedAt: new Date(2000) } },
    ]);
    const { ports, log } = portsFor(bucket, environment);
    const outcome = await syncDags(
      inputsFor(source, { requirements: join(source, '../requirements.txt'), mwaa: mwaaInputs }),
      ports,
    );
    const version = bucket.objects.get('requirements.txt')?.versionId;
    expect(version).toBeDefined();
    expect(environment.updates).toEqual([
      { Name: 'env', RequirementsS3Path: 'requirements.txt', RequirementsS3ObjectVersion: version },
    ]);
    expect(outcome.environment).toMatchObject({ updated: true, status: 'AVAILABLE' });
    expect(outcome.artifacts).toEqual([
      expect.objectContaining({ kind: 'requirements', versionId: version, uploaded: true }),
    ]);
    expect(log.lines.filter((l) => l.startsWith('MWAA environment env: '))).toEqual([
      'MWAA environment env: UPDATING',
      'MWAA environment env: AVAILABLE',
    ]);
  });

  it('makes no UpdateEnvironment call when the environment already runs the same content', async () => {
    const root = makeTree({ 'dags/dag.py': 'x\n', 'requirements.txt': 'pandas==2.2.0\n' });
    const bucket = fakeBucket({ versioned: true });
    const existing = bucket.put('requirements.txt', Buffer.from('pandas==2.2.0\n'));
    const environment = fakeEnvironment({
      ...available,
      RequirementsS3Path: 'requirements.txt',
      RequirementsS3ObjectVersion: existing.versionId ?? '',
    });
    const outcome = await syncDags(
      inputsFor(join(root, 'dags'), { requirements: join(root, 'requirements.txt'), mwaa: mwaaInputs }),
      portsFor(bucket, environment).ports,
    );
    expect(environment.updates).toEqual([]);
    expect(puts(bucket.calls)).toEqual(['PutObject dags/dag.py']);
    expect(outcome.artifacts[0]).toMatchObject({ action: 'unchanged', versionId: existing.versionId });
  });

  it.each([
    ['UPDATE_FAILED', { Status: 'UPDATE_FAILED' as const }],
    ['rolled back to AVAILABLE', { Status: 'AVAILABLE' as const }],
  ])('fails with the environment’s error when the update ends %s', async (_name, end) => {
    const root = makeTree({ 'dags/dag.py': 'x\n', 'requirements.txt': 'nope==0\n' });
    const bucket = fakeBucket({ versioned: true });
    const error = { ErrorCode: 'INCORRECT_CONFIGURATION', ErrorMessage: 'could not install nope==0' };
    const environment = fakeEnvironment(available, [
      { Status: 'UPDATING', LastUpdate: { Status: 'PENDING', CreatedAt: new Date(2000) } },
      { ...end, LastUpdate: { Status: 'FAILED', CreatedAt: new Date(2000), Error: error } },
    ]);
    const { ports } = portsFor(bucket, environment);
    const run = syncDags(
      inputsFor(join(root, 'dags'), { requirements: join(root, 'requirements.txt'), mwaa: mwaaInputs }),
      ports,
    );
    await expect(run).rejects.toThrow(DeployFailed);
    await expect(run).rejects.toThrow('INCORRECT_CONFIGURATION: could not install nope==0');
    const result = attachedResult(await run.catch((err: unknown) => err));
    expect(result?.outputs).toMatchObject({ 'environment-status': end.Status });
    expect(result?.status).toBe('failed');
  });

  it('refuses an unversioned bucket before uploading anything', async () => {
    const root = makeTree({ 'dags/dag.py': 'x\n', 'requirements.txt': 'a\n' });
    const bucket = fakeBucket({ versioned: false });
    const run = syncDags(
      inputsFor(join(root, 'dags'), { requirements: join(root, 'requirements.txt'), mwaa: mwaaInputs }),
      portsFor(bucket, fakeEnvironment(available)).ports,
    );
    await expect(run).rejects.toThrow(/does not have versioning enabled/);
    expect(puts(bucket.calls)).toEqual([]);
  });

  it('refuses a bucket the environment does not read from', async () => {
    const root = makeTree({ 'dags/dag.py': 'x\n' });
    const bucket = fakeBucket({ versioned: true });
    const environment = fakeEnvironment({ ...available, SourceBucketArn: 'arn:aws:s3:::other-bucket' });
    await expect(
      syncDags(inputsFor(join(root, 'dags'), { mwaa: mwaaInputs }), portsFor(bucket, environment).ports),
    ).rejects.toThrow('reads from arn:aws:s3:::other-bucket');
    // Only the read-only listing, which starts at once, may have gone out; nothing was written.
    expect(withoutLease(bucket.calls).filter((call) => call !== 'ListObjectsV2')).toEqual([]);
  });

  it('waits for a busy environment before updating it', async () => {
    const root = makeTree({ 'dags/dag.py': 'x\n', 'requirements.txt': 'b\n' });
    const bucket = fakeBucket({ versioned: true });
    const environment = fakeEnvironment({ ...available, Status: 'UPDATING' });
    environment.mock
      .on((await import('@aws-sdk/client-mwaa')).GetEnvironmentCommand)
      .resolvesOnce({ Environment: { ...available, Status: 'UPDATING' } })
      .resolvesOnce({ Environment: { ...available, Status: 'UPDATING' } })
      .resolvesOnce({ Environment: available })
      .resolves({
        Environment: {
          ...available,
          Status: 'AVAILABLE',
          LastUpdate: { Status: 'SUCCESS', CreatedAt: new Date(5000) },
        },
      });
    const { ports, log } = portsFor(bucket, environment);
    await syncDags(
      inputsFor(join(root, 'dags'), { requirements: join(root, 'requirements.txt'), mwaa: mwaaInputs }),
      ports,
    );
    expect(log.lines).toContain('MWAA environment env is UPDATING; waiting for it to settle before updating');
    expect(environment.updates).toHaveLength(1);
  });
});
