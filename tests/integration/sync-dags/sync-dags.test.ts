import {
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  readdirSync,
  unlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { runAction, type RunActionResult } from '../../support/harness';
import { startStack, type Stack } from '../../support/stack';
import {
  GLOB_PROJECT_DAGS,
  REGEXP_PROJECT_DAGS,
  writeGlobProject,
  writeHelperProject,
  writeRegexpProject,
} from './dag-projects';
import { bucketContents, bucketListing, generateDagTree, localContents, md5, write } from './dag-tree';
import { renderSummary } from '../../support/rendered-summary';

// Project-level testTimeout in jest.config.js is not applied to test files; each run here is a real process.
jest.setTimeout(120_000);

// Above the action's 8 MiB multipart threshold, so one object carries a multipart ETag.
const SIMULATOR_SPEED = 600;
const LARGE_FILE = 9 * 1024 * 1024;

let stack: Stack;
let s3: S3Client;
let buckets = 0;

beforeAll(async () => {
  // 600 virtual seconds a second: a 60 s MWAA update plays in a tenth of a second.
  stack = await startStack({ simulatorSpeed: SIMULATOR_SPEED });
  s3 = new S3Client({
    endpoint: stack.env.STACK_MOTO_URL ?? '',
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}, 60_000);

afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
});

async function newBucket(options: { versioned?: boolean } = {}): Promise<string> {
  const bucket = `dags-${process.pid}-${++buckets}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (options.versioned) {
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
  }
  return bucket;
}

function newWorkspace(): string {
  return mkdtempSync(join(tmpdir(), 'sync-dags-ws-'));
}

function sync(workspace: string, inputs: Record<string, string>): Promise<RunActionResult> {
  return runAction({
    action: 'sync-dags',
    workspace,
    inputs,
    // The action's clock runs as fast as the simulator's, so a 20 s poll takes 33 ms here.
    env: stack.env,
    clockSpeed: SIMULATOR_SPEED,
    timeoutMs: 90_000,
  });
}

function expectSuccess(result: RunActionResult): void {
  if (result.exitCode !== 0) throw new Error(`sync-dags failed:\n${result.stdout}`);
}

describe('sync-dags against moto S3', () => {
  let workspace: string;
  let bucket: string;
  let dags: string;

  beforeAll(async () => {
    workspace = newWorkspace();
    dags = join(workspace, 'dags');
    generateDagTree(dags, { files: 40, largeFileBytes: LARGE_FILE });
    bucket = await newBucket();
  });
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('cold sync uploads the whole tree, nested folders and a multipart file included', async () => {
    const result = await sync(workspace, { bucket });
    expectSuccess(result);
    expect(result.outputs).toMatchObject({ uploaded: '41', deleted: '0', unchanged: '0' });
    expect(Number(result.outputs['bytes-uploaded'])).toBeGreaterThan(LARGE_FILE);
    expect(await bucketContents(s3, bucket, 'dags/')).toEqual(localContents(dags));
    expect(renderSummary(result.summary).html).toContain(
      '<td>data/lookup_table.bin</td>\n<td>upload (new)</td>',
    );
  });

  it('re-sync after every modification time changed uploads nothing', async () => {
    const past = new Date(2001, 0, 1);
    for (const entry of readdirSync(dags, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) utimesSync(join(entry.parentPath, entry.name), past, past);
    }
    const result = await sync(workspace, { bucket });
    expectSuccess(result);
    expect(result.outputs).toMatchObject({ uploaded: '0', unchanged: '41', 'bytes-uploaded': '0' });
  });

  it('a one-byte edit that keeps the size uploads that one file', async () => {
    const path = 'team_1/dag_1.py';
    const before = await bucketContents(s3, bucket, 'dags/');
    write(dags, path, editOneByte(join(dags, path)));
    const result = await sync(workspace, { bucket });
    expectSuccess(result);
    expect(result.outputs).toMatchObject({ uploaded: '1', unchanged: '40' });
    const after = await bucketContents(s3, bucket, 'dags/');
    expect(after.get(path)).not.toBe(before.get(path));
    expect(after).toEqual(localContents(dags));
  });

  it('delete removes objects no longer in the folder, only when asked', async () => {
    unlinkSync(join(dags, 'team_2/dag_2.py'));
    expectSuccess(await sync(workspace, { bucket }));
    expect((await bucketContents(s3, bucket, 'dags/')).has('team_2/dag_2.py')).toBe(true);
    const result = await sync(workspace, { bucket, delete: 'true' });
    expectSuccess(result);
    expect(result.outputs).toMatchObject({ uploaded: '0', deleted: '1' });
    expect(await bucketContents(s3, bucket, 'dags/')).toEqual(localContents(dags));
  });

  it('dry run prints and summarises the plan and changes nothing', async () => {
    write(dags, 'team_3/new_dag.py', 'x = 1\n');
    unlinkSync(join(dags, 'team_4/dag_4.py'));
    const before = await bucketListing(s3, bucket);
    const result = await sync(workspace, { bucket, delete: 'true', 'dry-run': 'true' });
    expectSuccess(result);
    expect(await bucketListing(s3, bucket)).toEqual(before);
    expect(result.stdout).toContain('upload    team_3/new_dag.py (new');
    expect(result.stdout).toContain('delete    team_4/dag_4.py');
    expect(result.stdout).toContain('unchanged team_0/pipelines/stage_0/dag_0.py');
    expect(renderSummary(result.summary).html).toContain('<td>team_3/new_dag.py</td>\n<td>upload (new)</td>');
    expect(result.outputs).toMatchObject({ uploaded: '0', deleted: '0' });
  });
});

/** The file with one digit changed: same size, different content. */
function editOneByte(path: string): string {
  const text = readFileSync(path, 'utf8');
  const index = text.indexOf('retries": ') + 'retries": '.length;
  const digit = text[index] === '9' ? '8' : String(Number(text[index]) + 1);
  return text.slice(0, index) + digit + text.slice(index + 1);
}

describe('sync-dags filters and validation', () => {
  it('uploads what .airflowignore names unless respect-airflowignore, and honours include and exclude', async () => {
    const workspace = newWorkspace();
    const dags = join(workspace, 'dags');
    write(dags, '.airflowignore', '# helpers are imported, not parsed\n_helpers\n');
    // Regexp rules of a nested file are matched from the DAGs folder: `^scratch` never matches here.
    write(dags, 'etl/.airflowignore', '^etl/deep/\n^scratch\n');
    for (const path of [
      'a.py',
      'lib_helpers.py',
      'etl/load.py',
      'etl/scratch_test.py',
      'etl/deep/scratch.py',
      'notes.md',
      'tests/test_a.py',
    ]) {
      write(dags, path, 'x = 1\n');
    }
    const bucket = await newBucket();
    const result = await sync(workspace, { bucket, exclude: 'tests/\n*.md' });
    expectSuccess(result);
    expect([...(await bucketContents(s3, bucket, 'dags/')).keys()].sort()).toEqual([
      '.airflowignore',
      'a.py',
      'etl/.airflowignore',
      'etl/deep/scratch.py',
      'etl/load.py',
      'etl/scratch_test.py',
      'lib_helpers.py',
    ]);
    const only = await newBucket();
    expectSuccess(
      await sync(workspace, { bucket: only, include: 'etl/**', 'respect-airflowignore': 'true' }),
    );
    expect([...(await bucketContents(s3, only, 'dags/')).keys()].sort()).toEqual([
      'etl/.airflowignore',
      'etl/load.py',
      'etl/scratch_test.py',
    ]);
    rmSync(workspace, { recursive: true, force: true });
  });

  it('a DAG with a syntax error fails the step with a file:line annotation and uploads nothing', async () => {
    const workspace = newWorkspace();
    const dags = join(workspace, 'dags');
    generateDagTree(dags, { files: 5 });
    write(dags, 'team_0/broken.py', 'import os\n\ndef run(:\n    pass\n');
    const bucket = await newBucket();
    const result = await sync(workspace, { bucket });
    expect(result.exitCode).toBe(1);
    expect(result.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'error', file: 'dags/team_0/broken.py', line: 3 }),
      ]),
    );
    expect(await bucketListing(s3, bucket)).toEqual([]);
    // The summary says so first, and says that validation failed, not that it did not run.
    const shown = renderSummary(result.summary);
    expect(shown.headline).toMatch(
      /^❌ sync-dags failed: 1 of \d+ DAG \.py files does not compile; nothing was uploaded/,
    );
    expect(shown.quote).toContain('dags/team_0/broken.py:3:');
    expect(shown.text).toContain('validation: failed: 1 of');
    expect(shown.text).not.toContain('did not run');
    rmSync(workspace, { recursive: true, force: true });
  });
});

describe('sync-dags: validation deadline', () => {
  it('stops a validate command that hangs at validate-timeout-minutes and uploads nothing', async () => {
    const workspace = newWorkspace();
    generateDagTree(join(workspace, 'dags'), { files: 2 });
    const bucket = await newBucket();
    const started = Date.now();
    // 0.02 minutes = 1.2 s: a DAG import that blocks on a network call looks like this.
    const result = await sync(workspace, {
      bucket,
      validate: 'sleep 60',
      'validate-timeout-minutes': '0.02',
    });
    expect(result.exitCode).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.stdout).toContain(
      'Validation command did not finish within 0.02 minutes (validate-timeout-minutes); nothing was uploaded',
    );
    expect(await bucketListing(s3, bucket)).toEqual([]);
    rmSync(workspace, { recursive: true, force: true });
  });
});

describe('sync-dags under 20% faults', () => {
  afterEach(async () => {
    await stack.faults.configure({ rate: 0 });
  });

  it('converges to exactly the local tree: nothing missing, nothing extra', async () => {
    const workspace = newWorkspace();
    const dags = join(workspace, 'dags');
    generateDagTree(dags, { files: 60 });
    const bucket = await newBucket();
    const extra = ['dags/removed_long_ago.py', 'dags/team_0/old.sql'];
    for (const key of extra) await putDirect(bucket, key, 'stale\n');
    await stack.faults.configure({ rate: 0.2, seed: 7, resetStats: true });
    let result = await sync(workspace, { bucket, delete: 'true', concurrency: '8' });
    // A run may still give up after every retry; the next one picks up where it stopped.
    for (let attempt = 0; attempt < 2 && result.exitCode !== 0; attempt++) {
      result = await sync(workspace, { bucket, delete: 'true', concurrency: '8' });
    }
    expectSuccess(result);
    const faults = await stack.faults.read();
    await stack.faults.configure({ rate: 0 });
    expect(faults.stats.requests - faults.stats.forwarded).toBeGreaterThan(0);
    expect(await bucketContents(s3, bucket, 'dags/')).toEqual(localContents(dags));
    rmSync(workspace, { recursive: true, force: true });
  });
});

async function putDirect(bucket: string, key: string, body: string): Promise<void> {
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

describe('sync-dags with MWAA (scenario simulator)', () => {
  async function environmentFor(name: string, bucket: string, scenario = 'healthy'): Promise<void> {
    await stack.simulator.seed('mwaa', {
      Name: name,
      SourceBucketArn: `arn:aws:s3:::${bucket}`,
      DagS3Path: 'dags',
    });
    await stack.simulator.choose('mwaa', name, scenario);
  }

  async function updateCalls(name: string) {
    return (await stack.simulator.calls({ service: 'mwaa', operation: 'UpdateEnvironment' })).filter(
      (call) => call.params.Name === name,
    );
  }

  async function versionOf(bucket: string, key: string): Promise<string | undefined> {
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
    return versions.Versions?.find((v) => v.IsLatest)?.VersionId;
  }

  it('a changed requirements.txt yields UpdateEnvironment with its new version and a wait to AVAILABLE; unchanged yields no call', async () => {
    const workspace = newWorkspace();
    generateDagTree(join(workspace, 'dags'), { files: 3 });
    writeFileSync(join(workspace, 'requirements.txt'), 'apache-airflow-providers-amazon==8.16.0\n');
    const bucket = await newBucket({ versioned: true });
    await environmentFor('analytics', bucket);
    const inputs = { bucket, 'mwaa-environment': 'analytics', requirements: 'requirements.txt' };

    const first = await sync(workspace, inputs);
    expectSuccess(first);
    const version = await versionOf(bucket, 'requirements.txt');
    expect(version).toBeDefined();
    expect(first.outputs).toMatchObject({
      'requirements-version': version,
      'environment-status': 'AVAILABLE',
    });
    expect((await updateCalls('analytics')).map((c) => c.params)).toEqual([
      expect.objectContaining({
        RequirementsS3Path: 'requirements.txt',
        RequirementsS3ObjectVersion: version,
      }),
    ]);
    expect(first.stdout).toMatch(
      /MWAA environment analytics: UPDATING[\s\S]*MWAA environment analytics: AVAILABLE/,
    );

    const again = await sync(workspace, inputs);
    expectSuccess(again);
    expect(await updateCalls('analytics')).toHaveLength(1);
    expect(again.outputs['requirements-version']).toBe(version);
    expect(again.stdout).toContain('already runs these versions; no update needed');

    writeFileSync(join(workspace, 'requirements.txt'), 'apache-airflow-providers-amazon==8.17.0\n');
    const changed = await sync(workspace, inputs);
    expectSuccess(changed);
    const newVersion = await versionOf(bucket, 'requirements.txt');
    expect(newVersion).not.toBe(version);
    expect((await updateCalls('analytics')).map((c) => c.params.RequirementsS3ObjectVersion)).toEqual([
      version,
      newVersion,
    ]);
    expect(md5(await getText(bucket, 'requirements.txt'))).toBe(
      md5('apache-airflow-providers-amazon==8.17.0\n'),
    );
    rmSync(workspace, { recursive: true, force: true });
  });

  it('a failed update fails the step with the environment’s error', async () => {
    const workspace = newWorkspace();
    generateDagTree(join(workspace, 'dags'), { files: 2 });
    writeFileSync(join(workspace, 'requirements.txt'), 'no-such-package==0.0.0\n');
    const bucket = await newBucket({ versioned: true });
    await environmentFor('broken-reqs', bucket, 'update-fails-rollback');
    const result = await sync(workspace, {
      bucket,
      'mwaa-environment': 'broken-reqs',
      requirements: 'requirements.txt',
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      'INCORRECT_CONFIGURATION: Unable to install the packages in requirements.txt',
    );
    expect(result.outputs['environment-status']).toBe('AVAILABLE');
    expect(result.summary).toContain('UpdateEnvironment called');
    // A failed MWAA update is the summary's first line, its error quoted above the MWAA table.
    const shown = renderSummary(result.summary);
    expect(shown.headline).toMatch(/^❌ sync-dags failed: MWAA environment broken-reqs update failed/);
    expect(shown.quote).toContain(
      'INCORRECT_CONFIGURATION: Unable to install the packages in requirements.txt',
    );
    expect(shown.quoteAt).toBeLessThan(shown.tableAt);
    expect(shown.text).not.toContain('Every file was already up to date.');
    rmSync(workspace, { recursive: true, force: true });
  });

  it('says clearly that the bucket must be versioned, and uploads nothing', async () => {
    const workspace = newWorkspace();
    generateDagTree(join(workspace, 'dags'), { files: 2 });
    writeFileSync(join(workspace, 'requirements.txt'), 'boto3\n');
    const bucket = await newBucket({ versioned: false });
    await environmentFor('unversioned', bucket);
    const result = await sync(workspace, {
      bucket,
      'mwaa-environment': 'unversioned',
      requirements: 'requirements.txt',
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`Bucket ${bucket} does not have versioning enabled`);
    expect(await bucketListing(s3, bucket)).toEqual([]);
    expect(await updateCalls('unversioned')).toEqual([]);
    rmSync(workspace, { recursive: true, force: true });
  });
});

async function getText(bucket: string, key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return object.Body!.transformToString();
}

/** The DAG files a `validate` command was given, read back from the step log (the command prints its list). */
function listedDagFiles(result: RunActionResult, dags: string): string[] {
  return result.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith(`${dags}/`))
    .map((line) => line.slice(dags.length + 1))
    .sort();
}

const PRINT_DAG_FILES = 'echo "syntax=$AIRFLOW__CORE__DAG_IGNORE_FILE_SYNTAX"; cat "$DAG_FILES_LIST"';

describe('sync-dags: .airflowignore decides what Airflow parses, not what MWAA gets', () => {
  async function environment(name: string, bucket: string, fields: Record<string, unknown>): Promise<void> {
    await stack.simulator.seed('mwaa', {
      Name: name,
      SourceBucketArn: `arn:aws:s3:::${bucket}`,
      DagS3Path: 'dags',
      ...fields,
    });
  }

  it('uploads the helper package .airflowignore names, so the DAG importing it works; leaves it out only on opt-in', async () => {
    const workspace = newWorkspace();
    const dags = join(workspace, 'dags');
    writeHelperProject(dags);
    const bucket = await newBucket();
    const result = await sync(workspace, { bucket, delete: 'true', validate: PRINT_DAG_FILES });
    expectSuccess(result);
    expect(await bucketContents(s3, bucket, 'dags/')).toEqual(localContents(dags));
    expect(listedDagFiles(result, dags)).toEqual(['daily_sales.py']);
    expect(result.stdout).toContain('syntax=regexp');

    // The opt-in leaves the helper out of a fresh prefix, and never deletes what it leaves out.
    const optIn = await sync(workspace, { bucket, delete: 'true', 'respect-airflowignore': 'true' });
    expectSuccess(optIn);
    expect(optIn.outputs).toMatchObject({ uploaded: '0', deleted: '0' });
    expect((await bucketContents(s3, bucket, 'dags/')).has('common/slack.py')).toBe(true);
    const fresh = await newBucket();
    expectSuccess(await sync(workspace, { bucket: fresh, 'respect-airflowignore': 'true' }));
    expect([...(await bucketContents(s3, fresh, 'dags/')).keys()].sort()).toEqual([
      '.airflowignore',
      'daily_sales.py',
      'sql/daily_sales.sql',
    ]);
    rmSync(workspace, { recursive: true, force: true });
  });

  it('reads an Airflow 3 environment’s folder as glob: nested files, a re-include, no regexp warnings', async () => {
    const workspace = newWorkspace();
    const dags = join(workspace, 'dags');
    writeGlobProject(dags);
    const bucket = await newBucket();
    await environment('airflow3', bucket, { AirflowVersion: '3.0.6' });
    const inputs = { bucket, 'mwaa-environment': 'airflow3', validate: PRINT_DAG_FILES };
    const result = await sync(workspace, inputs);
    expectSuccess(result);
    expect(result.stdout).toContain(
      '.airflowignore read as glob: MWAA environment airflow3 runs Airflow 3.0.6',
    );
    expect(result.stdout).toContain('syntax=glob');
    expect(result.annotations.filter((a) => a.level === 'warning')).toEqual([]);
    expect(listedDagFiles(result, dags)).toEqual(GLOB_PROJECT_DAGS);
    expect(await bucketContents(s3, bucket, 'dags/')).toEqual(localContents(dags));

    const optIn = await newBucket();
    await environment('airflow3-opt-in', optIn, { AirflowVersion: '3.0.6' });
    expectSuccess(
      await sync(workspace, {
        bucket: optIn,
        'mwaa-environment': 'airflow3-opt-in',
        'respect-airflowignore': 'true',
      }),
    );
    expect([...(await bucketContents(s3, optIn, 'dags/')).keys()].sort()).toEqual(
      ['.airflowignore', 'finance/.airflowignore', 'marketing/.airflowignore', ...GLOB_PROJECT_DAGS].sort(),
    );
    rmSync(workspace, { recursive: true, force: true });
  });

  it('follows an Airflow 2 environment configured with core.dag_ignore_file_syntax = glob', async () => {
    const workspace = newWorkspace();
    const dags = join(workspace, 'dags');
    writeGlobProject(dags);
    const bucket = await newBucket();
    await environment('airflow2-glob', bucket, {
      AirflowVersion: '2.10.3',
      AirflowConfigurationOptions: { 'core.dag_ignore_file_syntax': 'glob' },
    });
    const result = await sync(workspace, {
      bucket,
      'mwaa-environment': 'airflow2-glob',
      validate: PRINT_DAG_FILES,
    });
    expectSuccess(result);
    expect(result.stdout).toContain(
      '.airflowignore read as glob: MWAA environment airflow2-glob sets core.dag_ignore_file_syntax = glob',
    );
    expect(listedDagFiles(result, dags)).toEqual(GLOB_PROJECT_DAGS);

    // The same glob file read as regexp (an explicit input wins over the environment) is full of
    // invalid regular expressions, each reported on its line, as Airflow would log them.
    const forced = await sync(workspace, {
      bucket,
      'mwaa-environment': 'airflow2-glob',
      'airflowignore-syntax': 'regexp',
      'dry-run': 'true',
    });
    expectSuccess(forced);
    expect(forced.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'warning', file: 'dags/.airflowignore', line: 2 }),
        expect.objectContaining({ level: 'warning', file: 'dags/.airflowignore', line: 3 }),
      ]),
    );
    rmSync(workspace, { recursive: true, force: true });
  });

  it('reads an Airflow 2 environment’s folder as regexp, nested patterns matched from the DAGs folder', async () => {
    const workspace = newWorkspace();
    const dags = join(workspace, 'dags');
    writeRegexpProject(dags);
    const bucket = await newBucket();
    await environment('airflow2', bucket, { AirflowVersion: '2.10.3' });
    const result = await sync(workspace, {
      bucket,
      'mwaa-environment': 'airflow2',
      validate: PRINT_DAG_FILES,
    });
    expectSuccess(result);
    expect(result.stdout).toContain(
      '.airflowignore read as regexp: MWAA environment airflow2 runs Airflow 2.10.3',
    );
    expect(listedDagFiles(result, dags)).toEqual(REGEXP_PROJECT_DAGS);
    expect(await bucketContents(s3, bucket, 'dags/')).toEqual(localContents(dags));
    expect(result.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        file: 'dags/.airflowignore',
        line: 5,
        message: expect.stringContaining("RE2, Airflow 2's regexp engine, has no look-ahead"),
      }),
    ]);

    const optIn = await newBucket();
    await environment('airflow2-opt-in', optIn, { AirflowVersion: '2.10.3' });
    expectSuccess(
      await sync(workspace, {
        bucket: optIn,
        'mwaa-environment': 'airflow2-opt-in',
        'respect-airflowignore': 'true',
      }),
    );
    expect([...(await bucketContents(s3, optIn, 'dags/')).keys()].sort()).toEqual(
      ['.airflowignore', 'teams/analytics/.airflowignore', ...REGEXP_PROJECT_DAGS].sort(),
    );
    rmSync(workspace, { recursive: true, force: true });
  });
});

describe('sync-dags: what it refuses', () => {
  it('a delete plan above the limits fails naming the count, before anything is uploaded or deleted', async () => {
    const workspace = newWorkspace();
    // A wrong source: a folder holding other files than the DAGs the prefix holds.
    generateDagTree(join(workspace, 'dags'), { files: 3 });
    const bucket = await newBucket();
    for (let i = 0; i < 30; i++) await putDirect(bucket, `dags/prod/dag_${i}.py`, `x = ${i}\n`);
    const before = await bucketListing(s3, bucket);
    const result = await sync(workspace, { bucket, delete: 'true' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      `Input 'max-delete-percent' is 25, but the plan deletes 30 of the 30 objects under s3://${bucket}/dags/ (100%); nothing was uploaded or deleted`,
    );
    expect(await bucketListing(s3, bucket)).toEqual(before);

    const counted = await sync(workspace, {
      bucket,
      delete: 'true',
      'max-delete': '10',
      'max-delete-percent': '100',
    });
    expect(counted.exitCode).toBe(1);
    expect(counted.stdout).toContain("Input 'max-delete' is 10, but the plan deletes 30 of the 30 objects");
    expect(await bucketListing(s3, bucket)).toEqual(before);
    rmSync(workspace, { recursive: true, force: true });
  });

  it('delete at the bucket root needs allow-bucket-root', async () => {
    const workspace = newWorkspace();
    generateDagTree(join(workspace, 'dags'), { files: 2 });
    const bucket = await newBucket();
    await putDirect(bucket, 'requirements.txt', 'boto3\n');
    await putDirect(bucket, 'reports/2024.csv', 'a,b\n');
    const result = await sync(workspace, { bucket, prefix: '', delete: 'true' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("Input 'prefix' is empty (the bucket root) while delete is true");
    expect((await bucketListing(s3, bucket)).map((line) => line.split(' ')[0])).toEqual([
      'reports/2024.csv',
      'requirements.txt',
    ]);
    const allowed = await sync(workspace, {
      bucket,
      prefix: '',
      delete: 'true',
      'allow-bucket-root': 'true',
      'max-delete-percent': '100',
    });
    expectSuccess(allowed);
    // The MWAA requirements object at the root is never deleted; the stray report is.
    expect(allowed.outputs.deleted).toBe('1');
    expect((await bucketListing(s3, bucket)).map((line) => line.split(' ')[0])).toContain('requirements.txt');
    rmSync(workspace, { recursive: true, force: true });
  });

  it('follows symbolic links inside the workspace and skips, with a warning, those leading out of it', async () => {
    const workspace = newWorkspace();
    const outside = mkdtempSync(join(tmpdir(), 'sync-dags-outside-'));
    const dags = join(workspace, 'dags');
    generateDagTree(dags, { files: 2 });
    write(workspace, 'lib/common/__init__.py', '');
    write(workspace, 'lib/common/dates.py', 'from datetime import date\n\nTODAY = date.today()\n');
    write(workspace, 'lib/settings.py', 'RETRIES = 2\n');
    write(outside, 'private/key.py', 'KEY = "not for S3"\n');
    write(outside, 'credentials.py', 'TOKEN = "not for S3"\n');
    symlinkSync('../lib/common', join(dags, 'common')); // a monorepo's shared code, linked in
    symlinkSync(join(workspace, 'lib', 'settings.py'), join(dags, 'settings.py'));
    symlinkSync(join(outside, 'private'), join(dags, 'private'));
    symlinkSync(join(outside, 'credentials.py'), join(dags, 'credentials.py'));
    const bucket = await newBucket();
    const result = await sync(workspace, { bucket });
    expectSuccess(result);
    const keys = [...(await bucketContents(s3, bucket, 'dags/')).keys()];
    expect(keys).toEqual(expect.arrayContaining(['common/__init__.py', 'common/dates.py', 'settings.py']));
    expect(keys.filter((key) => key.startsWith('private') || key === 'credentials.py')).toEqual([]);
    expect(
      result.annotations
        .filter((a) => a.level === 'warning')
        .map((a) => a.file)
        .sort(),
    ).toEqual(['dags/credentials.py', 'dags/private']);
    expect(result.stdout).toContain(
      'Symbolic link dags/private leads outside the workspace and RUNNER_TEMP; not followed, not uploaded',
    );
    rmSync(workspace, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
});
