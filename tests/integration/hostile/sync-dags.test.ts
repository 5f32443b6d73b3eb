/**
 * Hostile inputs and hostile repositories through the bundled sync-dags, against moto's S3 and the
 * simulator's MWAA. A refused row changes no object in any bucket (every version listed before and
 * after) and makes no call that writes; a DAG folder whose file names or .airflowignore lines carry
 * workflow commands still syncs, and nothing it logs is obeyed.
 */
import {
  CreateBucketCommand,
  ListBucketsCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_CREDENTIALS } from '../../../packages/kit/src/run';
import { runAction } from '../../support/harness';
import { startStack, type Stack } from '../../support/stack';
import {
  BELL,
  INJECTED_COMMANDS,
  RTL_OVERRIDE,
  TERMINAL_COLOUR,
  ZERO_WIDTH_SPACE,
  carriageReturnInjection,
  changesNothing,
  commandValue,
  expectOutcome,
  mutatingCalls,
  nameInjection,
  newlineInjection,
  noCredentialsEnv,
  oversize,
  type Row,
} from './hostile';

jest.setTimeout(60_000);

const SPEED = 600;
const BUCKET = 'airflow-dags-bucket';
const MWAA = 'airflow-prod';
const DAG = 'from airflow import DAG\n\nwith DAG("daily_scoring") as dag:\n    pass\n';

let stack: Stack;
let s3: S3Client;
let root: string;
let ws: string;

beforeAll(async () => {
  stack = await startStack({ simulatorSpeed: SPEED });
  s3 = new S3Client({
    endpoint: stack.endpoints.moto,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  // What a deployed bucket holds: DAGs that a wrong prefix or source must not delete.
  for (const key of ['dags/scoring.py', 'dags/training.py', 'requirements.txt', 'other/keep.txt']) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `# ${key}\n` }));
  }
  await stack.simulator.seed('mwaa', {
    Name: MWAA,
    SourceBucketArn: `arn:aws:s3:::${BUCKET}`,
    DagS3Path: 'dags',
  });

  root = mkdtempSync(join(tmpdir(), 'hostile-sync-dags-'));
  ws = join(root, 'ws');
  const write = (path: string, content: string): void => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
  };
  write(join(ws, 'dags', 'scoring.py'), DAG);
  write(join(ws, 'requirements.txt'), 'scikit-learn==1.5.2\n');
  write(join(root, 'outside', 'secret.py'), 'TOKEN = "outside the workspace"\n');
  mkdirSync(join(ws, 'links'));
  symlinkSync('/etc', join(ws, 'links', 'etc'));
  symlinkSync('/etc/passwd', join(ws, 'links', 'passwd'));
  symlinkSync(join(root, 'outside'), join(ws, 'links', 'outside'));
  // DAG folders a hostile pull request could hold; each is synced by an accepted row.
  // Moto cannot store a key holding a newline (real S3 can), so names opening a new line are shown
  // by a dry run; names carrying the runner's legacy form, which it finds anywhere in a line, sync.
  write(join(ws, 'odd-newline', nameInjection('dag')), DAG);
  write(join(ws, 'odd-names', `${INJECTED_COMMANDS[8]}.py`), DAG);
  write(join(ws, 'odd-names', `${INJECTED_COMMANDS[9]}.py`), DAG);
  write(join(ws, 'odd-names', `${INJECTED_COMMANDS[1]}.py`), DAG);
  write(join(ws, 'odd-names', `report${RTL_OVERRIDE}yp.exe`), DAG);
  write(join(ws, 'odd-names', `tab\there.py`), DAG);
  write(join(ws, 'odd-ignore', 'scoring.py'), DAG);
  write(
    join(ws, 'odd-ignore', '.airflowignore'),
    // Lines Airflow 2.6.3+ (RE2) skips with a warning that quotes them, and plain command lines.
    [...INJECTED_COMMANDS, `(?<=x)${INJECTED_COMMANDS[0]}`, `\\1${INJECTED_COMMANDS[2]}`].join('\n'),
  );
  write(join(ws, 'odd-links', 'scoring.py'), DAG);
  symlinkSync(join(root, 'outside'), join(ws, 'odd-links', 'outside-folder'));
  symlinkSync(join(root, 'outside', 'secret.py'), join(ws, 'odd-links', 'outside-file.py'));
  symlinkSync('/etc/passwd', join(ws, 'odd-links', nameInjection('passwd')));
  write(join(ws, 'bad-syntax', 'broken.py'), `${INJECTED_COMMANDS[0]}\n${INJECTED_COMMANDS[2]}\n`);
  mkdirSync(join(root, 'home'));
}, 60_000);

afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Every bucket and every version of every object in it, as moto holds them. */
async function s3State(): Promise<Record<string, string[]>> {
  const state: Record<string, string[]> = {};
  for (const bucket of (await s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
    const name = bucket.Name ?? '';
    const answer = await s3.send(new ListObjectVersionsCommand({ Bucket: name }));
    state[name] = [
      ...(answer.Versions ?? []).map((v) => `${v.Key}@${v.VersionId}:${v.ETag}`),
      ...(answer.DeleteMarkers ?? []).map((m) => `${m.Key}@${m.VersionId}:deleted`),
    ].sort();
  }
  return state;
}

interface Extra {
  readonly noCredentials?: boolean;
  /**
   * The run fails after taking the prefix's lease (`<prefix>.sync-dags.lease`, written and then
   * deleted): that object is the only write allowed. Validation runs after the lease is taken.
   */
  readonly afterLease?: boolean;
}

const LEASE = /\.sync-dags\.lease(?:@|$)/;

const refused = (input: string, accepted?: RegExp) =>
  accepted === undefined ? { refused: input } : { refused: input, accepted };
const BUCKET_RULE = /must be (?:an S3 bucket name|a bucket name)/;
const INSIDE = /inside the workspace \(GITHUB_WORKSPACE\) or RUNNER_TEMP/;
const EXISTING = /must name an existing/;
const MWAA_RULE = /must be an MWAA environment name/;
const ROOT_DELETE = /bucket root.*allow-bucket-root/;
const base = { source: 'dags', bucket: BUCKET, prefix: 'dags/' };

const ROWS: Array<Row<Extra>> = [
  // bucket: echoed in its refusal.
  {
    name: 'bucket opening a line of commands',
    inputs: { ...base, bucket: newlineInjection('dags') },
    expect: refused('bucket', BUCKET_RULE),
  },
  {
    name: 'bucket with carriage returns',
    inputs: { ...base, bucket: carriageReturnInjection('dags') },
    expect: refused('bucket', BUCKET_RULE),
  },
  {
    name: 'bucket that is a command',
    inputs: { ...base, bucket: commandValue(1) },
    expect: refused('bucket', BUCKET_RULE),
  },
  {
    name: 'bucket with a legacy ##[ command',
    inputs: { ...base, bucket: `dags${INJECTED_COMMANDS[9]}` },
    expect: refused('bucket', BUCKET_RULE),
  },
  { name: 'bucket --help', inputs: { ...base, bucket: '--help' }, expect: refused('bucket', BUCKET_RULE) },
  { name: 'bucket -x', inputs: { ...base, bucket: '-x' }, expect: refused('bucket', BUCKET_RULE) },
  {
    name: 'bucket s3:// URL',
    inputs: { ...base, bucket: `s3://${BUCKET}` },
    expect: refused('bucket', /drop the s3:\/\/ or ARN part/),
  },
  {
    name: 'bucket 64 characters',
    inputs: { ...base, bucket: oversize(64) },
    expect: refused('bucket', BUCKET_RULE),
  },
  {
    name: 'bucket 100,000 characters',
    inputs: { ...base, bucket: oversize(100_000) },
    expect: refused('bucket', BUCKET_RULE),
  },
  {
    name: 'bucket with ..',
    inputs: { ...base, bucket: 'dags..bucket' },
    expect: refused('bucket', BUCKET_RULE),
  },
  {
    name: 'bucket with a path',
    inputs: { ...base, bucket: `${BUCKET}/../other` },
    expect: refused('bucket', BUCKET_RULE),
  },
  {
    name: 'bucket with an RTL override',
    inputs: { ...base, bucket: `dags${RTL_OVERRIDE}bucket` },
    expect: refused('bucket', BUCKET_RULE),
  },
  {
    name: 'bucket with a zero-width space',
    inputs: { ...base, bucket: `dags${ZERO_WIDTH_SPACE}bucket` },
    expect: refused('bucket', BUCKET_RULE),
  },
  {
    name: 'bucket with a terminal escape',
    inputs: { ...base, bucket: `${TERMINAL_COLOUR}dags` },
    expect: refused('bucket', BUCKET_RULE),
  },
  // NUL cannot be carried: inputs are environment variables, which end at NUL.
  // No destructive default: delete at the bucket root needs its own input.
  {
    name: 'delete with an empty prefix',
    inputs: { ...base, prefix: '', delete: 'true' },
    expect: refused('prefix', ROOT_DELETE),
  },
  {
    name: 'delete with prefix /',
    inputs: { ...base, prefix: '/', delete: 'true' },
    expect: refused('prefix', ROOT_DELETE),
  },
  {
    name: 'delete with prefix ///',
    inputs: { ...base, prefix: '///', delete: 'true' },
    expect: refused('prefix', ROOT_DELETE),
  },
  {
    name: 'delete with allow-bucket-root not a boolean',
    inputs: { ...base, prefix: '', delete: 'true', 'allow-bucket-root': 'yes' },
    expect: refused('allow-bucket-root', /true or false/),
  },
  {
    name: 'delete not a boolean',
    inputs: { ...base, delete: 'true --force' },
    expect: refused('delete', /true or false/),
  },
  {
    name: 'max-delete -1',
    inputs: { ...base, delete: 'true', 'max-delete': '-1' },
    expect: refused('max-delete', /at least 0/),
  },
  {
    name: 'max-delete 1e9',
    inputs: { ...base, delete: 'true', 'max-delete': '1e9' },
    expect: refused('max-delete', /whole number/),
  },
  {
    name: 'max-delete-percent 101',
    inputs: { ...base, delete: 'true', 'max-delete-percent': '101' },
    expect: refused('max-delete-percent', /from 0 to 100/),
  },
  // prefix: the start of every key, logged with each upload and delete.
  {
    name: 'prefix opening a line of commands',
    inputs: { ...base, prefix: newlineInjection('dags') },
    expect: refused('prefix', /control characters/),
  },
  {
    name: 'prefix with a terminal escape',
    inputs: { ...base, prefix: `${TERMINAL_COLOUR}dags/` },
    expect: refused('prefix', /control characters/),
  },
  {
    name: 'prefix over the 1,024 bytes of an S3 key',
    inputs: { ...base, prefix: `${oversize(1025)}/` },
    expect: refused('prefix', /at most 1024 bytes/),
  },
  // Paths: confined to the workspace and RUNNER_TEMP, links included.
  { name: 'source ..', inputs: { ...base, source: '..' }, expect: refused('source', INSIDE) },
  { name: 'source ../outside', inputs: { ...base, source: '../outside' }, expect: refused('source', INSIDE) },
  { name: 'source /etc', inputs: { ...base, source: '/etc' }, expect: refused('source', INSIDE) },
  {
    name: 'source a link to /etc',
    inputs: { ...base, source: 'links/etc' },
    expect: refused('source', INSIDE),
  },
  {
    name: 'source a link to a folder beside the workspace',
    inputs: { ...base, source: 'links/outside' },
    expect: refused('source', INSIDE),
  },
  { name: 'source --help', inputs: { ...base, source: '--help' }, expect: refused('source', EXISTING) },
  {
    name: 'source opening a line of commands',
    inputs: { ...base, source: newlineInjection('dags') },
    expect: refused('source', EXISTING),
  },
  {
    name: 'requirements /etc/passwd',
    inputs: { ...base, requirements: '/etc/passwd' },
    expect: refused('requirements', INSIDE),
  },
  {
    name: 'requirements a link to /etc/passwd',
    inputs: { ...base, requirements: 'links/passwd' },
    expect: refused('requirements', INSIDE),
  },
  {
    name: 'requirements ../outside/secret.py',
    inputs: { ...base, requirements: '../outside/secret.py' },
    expect: refused('requirements', INSIDE),
  },
  { name: 'plugins /etc', inputs: { ...base, plugins: '/etc' }, expect: refused('plugins', INSIDE) },
  {
    name: 'startup-script a link to /etc/passwd',
    inputs: { ...base, 'startup-script': 'links/passwd' },
    expect: refused('startup-script', INSIDE),
  },
  // Names and numbers.
  {
    name: 'mwaa-environment opening a line of commands',
    inputs: { ...base, 'mwaa-environment': newlineInjection(MWAA) },
    expect: refused('mwaa-environment', MWAA_RULE),
  },
  {
    name: 'mwaa-environment --help',
    inputs: { ...base, 'mwaa-environment': '--help' },
    expect: refused('mwaa-environment', MWAA_RULE),
  },
  {
    name: 'mwaa-environment 81 characters',
    inputs: { ...base, 'mwaa-environment': oversize(81) },
    expect: refused('mwaa-environment', MWAA_RULE),
  },
  {
    name: 'mwaa-environment with a bell',
    inputs: { ...base, 'mwaa-environment': `${MWAA}${BELL}` },
    expect: refused('mwaa-environment', MWAA_RULE),
  },
  {
    name: 'concurrency 0',
    inputs: { ...base, concurrency: '0' },
    expect: refused('concurrency', /from 1 to 64/),
  },
  {
    name: 'concurrency 65',
    inputs: { ...base, concurrency: '65' },
    expect: refused('concurrency', /from 1 to 64/),
  },
  {
    name: 'concurrency -x',
    inputs: { ...base, concurrency: '-x' },
    expect: refused('concurrency', /whole number/),
  },
  {
    name: 'airflowignore-syntax --help',
    inputs: { ...base, 'airflowignore-syntax': '--help' },
    expect: refused('airflowignore-syntax', /must be one of/),
  },
  { name: 'dry-run yes', inputs: { ...base, 'dry-run': 'yes' }, expect: refused('dry-run', /true or false/) },
  {
    name: 'validate-timeout-minutes 1e9',
    inputs: { ...base, 'validate-timeout-minutes': '1e9' },
    expect: refused('validate-timeout-minutes', /number/),
  },
  // File contents that get logged: a syntax error quoted back fails the run before any upload.
  {
    name: 'a DAG whose broken lines are commands fails validation, uploads nothing',
    inputs: { ...base, source: 'bad-syntax' },
    extra: { afterLease: true },
    expect: { fails: /syntax|SyntaxError|does not compile|compile/i },
  },
  // Accepted: odd names and ignore lines sync, and the log only shows them.
  {
    name: 'file names carrying commands are synced and not obeyed',
    shows: 'HOSTILE',
    inputs: { ...base, source: 'odd-names', prefix: 'odd-names/' },
    expect: { succeeds: true },
  },
  {
    name: '.airflowignore lines that are commands are read and not obeyed',
    shows: 'HOSTILE',
    inputs: {
      ...base,
      source: 'odd-ignore',
      prefix: 'odd-ignore/',
      'respect-airflowignore': 'true',
      'airflowignore-syntax': 'regexp',
    },
    expect: { succeeds: true },
  },
  {
    name: 'links out of the workspace (one named with commands) are skipped with a warning',
    shows: 'HOSTILE',
    inputs: { ...base, source: 'odd-links', prefix: 'odd-links/' },
    expect: { succeeds: true },
  },
  {
    name: 'a validation command printing commands stays text',
    shows: 'HOSTILE',
    inputs: {
      ...base,
      prefix: 'validated/',
      validate: `printf '%s\\n' ${INJECTED_COMMANDS.map((c) => `'${c}'`).join(' ')}`,
    },
    expect: { succeeds: true },
  },
  {
    name: 'a dry run of file names opening lines of commands lists them as text',
    shows: 'HOSTILE',
    inputs: { ...base, source: 'odd-newline', prefix: 'odd-dry/', 'dry-run': 'true' },
    expect: { succeeds: true },
  },
  {
    name: 'a validation command printing a NUL before a command stays text',
    inputs: { ...base, prefix: 'validated/', validate: `printf 'ok\\000\\n${INJECTED_COMMANDS[0]}\\n'` },
    shows: 'HOSTILE-output',
    expect: { succeeds: true },
  },
  // No credentials at all.
  {
    name: 'no credentials: one line saying how to give them',
    inputs: base,
    extra: { noCredentials: true },
    expect: { fails: /^No AWS credentials were found/ },
  },
];

test.each(ROWS)('$name', async (row) => {
  await stack.simulator.clearCalls();
  const before = await s3State();
  const aws = row.extra?.noCredentials ? noCredentialsEnv(stack, join(root, 'home')) : stack.env;
  const result = await runAction({
    action: 'sync-dags',
    workspace: ws,
    inputs: row.inputs,
    env: { ...aws, ...row.env },
    // The action's clock runs as fast as the simulator's (the harness preloads it).
    clockSpeed: SPEED,
    timeoutMs: 45_000,
  });
  expectOutcome(result, row);
  if (changesNothing(row.expect)) {
    const lease = (text: string): boolean => row.extra?.afterLease === true && LEASE.test(text);
    expect((await mutatingCalls(stack)).filter((call) => !lease(call))).toEqual([]);
    const after = await s3State();
    for (const bucket of Object.keys(after)) after[bucket] = after[bucket]?.filter((v) => !lease(v)) ?? [];
    expect(after).toEqual(before);
  }
  if (row.extra?.noCredentials) {
    expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      NO_CREDENTIALS,
    ]);
  }
});
