/**
 * Hostile inputs, repositories and AWS texts through the bundled deploy-beanstalk, against the
 * simulator's Elastic Beanstalk and moto's S3. A refused row creates no version, starts no update
 * and writes no object; an environment whose current version label carries workflow commands
 * (a label set outside this action, which Elastic Beanstalk accepts) is deployed over and rolled
 * back to with the label shown as text only.
 */
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP, BeanstalkStack, ENV, SHA, SPEED, STORAGE_BUCKET } from '../deploy-beanstalk/beanstalk-stack';
import { runAction } from '../../support/harness';
import { NO_CREDENTIALS } from '../../../packages/kit/src/run';
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

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/insurance@sha256:' + 'ab'.repeat(32);
const HOSTILE_LABEL = nameInjection('v0');

let sim: BeanstalkStack;
let root: string;
let ws: string;

beforeAll(async () => {
  sim = await BeanstalkStack.start();
  await sim.fresh('healthy');
  root = mkdtempSync(join(tmpdir(), 'hostile-beanstalk-'));
  ws = join(root, 'ws');
  const write = (path: string, content: string): void => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
  };
  write(join(ws, 'app', 'Procfile'), 'web: python serve.py\n');
  write(join(ws, 'app', 'serve.py'), 'print("serving")\n');
  write(join(ws, 'notes.txt'), 'not an archive\n');
  write(join(root, 'outside', 'bundle.zip'), 'PK\u0005\u0006' + '\0'.repeat(18));
  write(join(ws, 'all-ignored', 'serve.py'), 'print("serving")\n');
  write(join(ws, 'all-ignored', '.ebignore'), '*\n');
  mkdirSync(join(ws, 'links'));
  symlinkSync('/etc', join(ws, 'links', 'etc'));
  symlinkSync('/etc/passwd', join(ws, 'links', 'passwd.zip'));
  symlinkSync(join(root, 'outside', 'bundle.zip'), join(ws, 'links', 'bundle.zip'));
  // An application folder a hostile pull request could hold: odd names, links out, ignore lines.
  write(join(ws, 'odd-app', 'Procfile'), 'web: python serve.py\n');
  write(join(ws, 'odd-app', nameInjection('serve')), 'print("serving")\n');
  write(join(ws, 'odd-app', `report${RTL_OVERRIDE}yp.exe`), 'x\n');
  write(join(ws, 'odd-app', '.ebignore'), [...INJECTED_COMMANDS, '!keep'].join('\n'));
  symlinkSync('/etc/passwd', join(ws, 'odd-app', nameInjection('passwd')));
  symlinkSync(join(root, 'outside'), join(ws, 'odd-app', 'outside-folder'));
  mkdirSync(join(root, 'home'));
}, 60_000);

afterAll(async () => {
  await sim?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** What a row could change: versions, environments and their updates, deleted versions, stored bundles. */
async function state(): Promise<unknown> {
  const s = await sim.state();
  const objects = await sim.s3.send(new ListObjectVersionsCommand({ Bucket: STORAGE_BUCKET }));
  return {
    applications: s.applications.map((a) => ({
      name: a.name,
      versions: a.versions.map((v) => v.VersionLabel),
    })),
    environments: s.environments.map((e) => ({
      name: e.EnvironmentName,
      label: e.VersionLabel,
      updates: e.Updates.length,
    })),
    deleted: s.deletedVersions,
    objects: (objects.Versions ?? []).map((v) => `${v.Key}@${v.VersionId}`).sort(),
  };
}

interface Extra {
  readonly noCredentials?: boolean;
  /** The environment runs a version whose label carries commands, and follows this scenario. */
  readonly hostileCurrentLabel?: string;
}

const refused = (input: string, accepted?: RegExp) =>
  accepted === undefined ? { refused: input } : { refused: input, accepted };
const APP_RULE = /must (?:be 1-100 characters|not contain '\/'|not contain control characters)/;
const ENV_RULE = /must be 4-40 letters, digits and hyphens/;
const LABEL_RULE = /must (?:be 1-100 characters|not contain '\/'|not contain control characters)/;
const BUCKET_RULE = /must be an S3 bucket name|must be 3-63/;
const INSIDE = /inside the workspace \(GITHUB_WORKSPACE\) or RUNNER_TEMP/;
const EXISTING = /must name an existing/;
const base = { image: IMAGE, 'version-label': 'v1' };

const ROWS: Array<Row<Extra>> = [
  // application-name: echoed in its refusal.
  {
    name: 'application-name opening a line of commands',
    inputs: { ...base, 'application-name': newlineInjection(APP) },
    expect: refused('application-name'),
  },
  {
    name: 'application-name with carriage returns',
    inputs: { ...base, 'application-name': carriageReturnInjection(APP) },
    expect: refused('application-name'),
  },
  {
    name: 'application-name with a slash',
    inputs: { ...base, 'application-name': 'insurance/../other' },
    expect: refused('application-name', APP_RULE),
  },
  {
    name: 'application-name 101 characters',
    inputs: { ...base, 'application-name': oversize(101) },
    expect: refused('application-name', APP_RULE),
  },
  {
    name: 'application-name 100,000 characters',
    inputs: { ...base, 'application-name': oversize(100_000) },
    expect: refused('application-name', /100000 characters/),
  },
  {
    name: 'application-name with a bell',
    inputs: { ...base, 'application-name': `${APP}${BELL}` },
    expect: refused('application-name', APP_RULE),
  },
  {
    name: 'application-name with a terminal escape',
    inputs: { ...base, 'application-name': `${TERMINAL_COLOUR}${APP}` },
    expect: refused('application-name', APP_RULE),
  },
  // environment-name
  {
    name: 'environment-name opening a line of commands',
    inputs: { ...base, 'environment-name': newlineInjection(ENV) },
    expect: refused('environment-name', ENV_RULE),
  },
  {
    name: 'environment-name --help',
    inputs: { ...base, 'environment-name': '--help' },
    expect: refused('environment-name', ENV_RULE),
  },
  {
    name: 'environment-name -x',
    inputs: { ...base, 'environment-name': '-x' },
    expect: refused('environment-name', ENV_RULE),
  },
  {
    name: 'environment-name 41 characters',
    inputs: { ...base, 'environment-name': oversize(41) },
    expect: refused('environment-name', ENV_RULE),
  },
  {
    name: 'environment-name with an RTL override',
    inputs: { ...base, 'environment-name': `insurance${RTL_OVERRIDE}prod` },
    expect: refused('environment-name', ENV_RULE),
  },
  {
    name: 'environment-name with a zero-width space',
    inputs: { ...base, 'environment-name': `insurance${ZERO_WIDTH_SPACE}prod` },
    expect: refused('environment-name', ENV_RULE),
  },
  {
    name: 'environment-name that is a command',
    inputs: { ...base, 'environment-name': commandValue(0) },
    expect: refused('environment-name', ENV_RULE),
  },
  // version-label and rollback-to: labels go into S3 keys, logs and the summary.
  {
    name: 'version-label opening a line of commands',
    inputs: { ...base, 'version-label': newlineInjection('v1') },
    expect: refused('version-label', LABEL_RULE),
  },
  {
    name: 'version-label with ../',
    inputs: { ...base, 'version-label': '../../v1' },
    expect: refused('version-label', LABEL_RULE),
  },
  {
    name: 'version-label absolute',
    inputs: { ...base, 'version-label': '/v1' },
    expect: refused('version-label', LABEL_RULE),
  },
  {
    name: 'version-label 101 characters',
    inputs: { ...base, 'version-label': oversize(101) },
    expect: refused('version-label', LABEL_RULE),
  },
  {
    name: 'version-label with a terminal escape',
    inputs: { ...base, 'version-label': `v1${TERMINAL_COLOUR}` },
    expect: refused('version-label', LABEL_RULE),
  },
  {
    name: 'version-label from a hostile GITHUB_SHA',
    inputs: { image: IMAGE },
    env: { GITHUB_SHA: `abc/${INJECTED_COMMANDS[0]}` },
    expect: refused('version-label', LABEL_RULE),
  },
  {
    name: 'rollback-to opening a line of commands',
    inputs: { 'rollback-to': newlineInjection('v0') },
    expect: refused('rollback-to', /must be previous or a version label/),
  },
  {
    name: 'rollback-to with a slash',
    inputs: { 'rollback-to': 'v0/../v1' },
    expect: refused('rollback-to', /must be previous or a version label/),
  },
  {
    name: 'rollback-to with an image',
    inputs: { 'rollback-to': 'previous', image: IMAGE },
    expect: refused('rollback-to', /drop image and deployment-package/),
  },
  {
    name: 'version-description 201 characters',
    inputs: { ...base, 'version-description': oversize(201) },
    expect: refused('version-description'),
  },
  // bucket
  {
    name: 'bucket opening a line of commands',
    inputs: { ...base, bucket: newlineInjection('bundles') },
    expect: refused('bucket', BUCKET_RULE),
  },
  { name: 'bucket --help', inputs: { ...base, bucket: '--help' }, expect: refused('bucket', BUCKET_RULE) },
  {
    name: 'bucket with ..',
    inputs: { ...base, bucket: 'bundles..bucket' },
    expect: refused('bucket', BUCKET_RULE),
  },
  {
    name: 'bucket an IP address',
    inputs: { ...base, bucket: '192.168.1.1' },
    expect: refused('bucket', BUCKET_RULE),
  },
  // image and numbers
  {
    name: 'image opening a line of commands',
    inputs: { ...base, image: newlineInjection('registry/app:1') },
    expect: refused('image'),
  },
  { name: 'image --help', inputs: { ...base, image: '--help' }, expect: refused('image') },
  {
    name: 'image with a zero-width space',
    inputs: { ...base, image: `registry/app${ZERO_WIDTH_SPACE}:1` },
    expect: refused('image'),
  },
  {
    name: 'container-port 0',
    inputs: { ...base, 'container-port': '0' },
    expect: refused('container-port', /from 1 to 65535/),
  },
  {
    name: 'container-port 65536',
    inputs: { ...base, 'container-port': '65536' },
    expect: refused('container-port', /from 1 to 65535/),
  },
  {
    name: 'container-port -x',
    inputs: { ...base, 'container-port': '-x' },
    expect: refused('container-port', /whole number/),
  },
  {
    name: 'timeout-minutes 1e9',
    inputs: { ...base, 'timeout-minutes': '1e9' },
    expect: refused('timeout-minutes'),
  },
  {
    name: 'healthy-states Red',
    inputs: { ...base, 'healthy-states': 'Red' },
    expect: refused('healthy-states', /accepts Green and Yellow/),
  },
  {
    name: 'healthy-states --help',
    inputs: { ...base, 'healthy-states': '--help' },
    expect: refused('healthy-states', /accepts Green and Yellow/),
  },
  {
    name: 'keep-versions 1001',
    inputs: { ...base, 'keep-versions': '1001' },
    expect: refused('keep-versions', /from 0 to 1000/),
  },
  {
    name: 'keep-versions -1',
    inputs: { ...base, 'keep-versions': '-1' },
    expect: refused('keep-versions', /from 0 to 1000/),
  },
  // deployment-package: confined to the workspace and RUNNER_TEMP, links included.
  {
    name: 'deployment-package ..',
    inputs: { 'version-label': 'v1', 'deployment-package': '..' },
    expect: refused('deployment-package', INSIDE),
  },
  {
    name: 'deployment-package /etc',
    inputs: { 'version-label': 'v1', 'deployment-package': '/etc' },
    expect: refused('deployment-package', INSIDE),
  },
  {
    name: 'deployment-package ../outside/bundle.zip',
    inputs: { 'version-label': 'v1', 'deployment-package': '../outside/bundle.zip' },
    expect: refused('deployment-package', INSIDE),
  },
  {
    name: 'deployment-package a link to /etc',
    inputs: { 'version-label': 'v1', 'deployment-package': 'links/etc' },
    expect: refused('deployment-package', INSIDE),
  },
  {
    name: 'deployment-package a .zip link to /etc/passwd',
    inputs: { 'version-label': 'v1', 'deployment-package': 'links/passwd.zip' },
    expect: refused('deployment-package', INSIDE),
  },
  {
    name: 'deployment-package a link to a bundle beside the workspace',
    inputs: { 'version-label': 'v1', 'deployment-package': 'links/bundle.zip' },
    expect: refused('deployment-package', INSIDE),
  },
  {
    name: 'deployment-package --help',
    inputs: { 'version-label': 'v1', 'deployment-package': '--help' },
    expect: refused('deployment-package', EXISTING),
  },
  {
    name: 'deployment-package opening a line of commands',
    inputs: { 'version-label': 'v1', 'deployment-package': newlineInjection('app') },
    expect: refused('deployment-package', EXISTING),
  },
  {
    name: 'deployment-package a text file',
    inputs: { 'version-label': 'v1', 'deployment-package': 'notes.txt' },
    expect: refused('deployment-package', /folder or a \.zip/),
  },
  {
    name: 'deployment-package whose .ebignore leaves nothing',
    inputs: { 'version-label': 'v1', 'deployment-package': 'all-ignored' },
    expect: refused('deployment-package'),
  },
  // Accepted: values reach Elastic Beanstalk as values, and the log as text.
  {
    name: 'version-label --help is a label, not an option',
    inputs: { ...base, 'version-label': '--help' },
    shows: '--help',
    expect: { succeeds: true },
  },
  {
    name: 'version-description with lines of commands is stored, not obeyed',
    inputs: {
      ...base,
      'version-label': 'v-desc',
      'version-description': INJECTED_COMMANDS.slice(0, 4).join('\n'),
    },
    expect: { succeeds: true },
  },
  {
    name: 'a folder with names, links and .ebignore lines carrying commands is bundled, not obeyed',
    inputs: { 'version-label': 'v-odd', 'deployment-package': 'odd-app' },
    shows: 'HOSTILE',
    expect: { succeeds: true },
  },
  // AWS texts: the version the environment runs was labelled outside this action.
  {
    name: 'a current version label with commands is deployed over and shown as text',
    inputs: { ...base, 'version-label': 'v2' },
    extra: { hostileCurrentLabel: 'healthy' },
    expect: { succeeds: true },
  },
  {
    name: 'a failed deploy rolls back to a label with commands, shown as text',
    inputs: { ...base, 'version-label': 'v3' },
    extra: { hostileCurrentLabel: 'deploy-fails' },
    shows: 'HOSTILE',
    expect: { fails: /rolled back to v0/, changes: true },
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
  const scenario = row.extra?.hostileCurrentLabel;
  if (scenario !== undefined) {
    await sim.stack.simulator.reset();
    await sim.stack.simulator.choose('elasticbeanstalk', ENV, scenario);
    await sim.seed({
      ApplicationName: APP,
      VersionLabel: HOSTILE_LABEL,
      EnvironmentName: ENV,
      CreatedSecondsAgo: 3600,
    });
  }
  await sim.stack.simulator.clearCalls();
  const before = await state();
  const aws = row.extra?.noCredentials ? noCredentialsEnv(sim.stack, join(root, 'home')) : sim.stack.env;
  const result = await runAction({
    action: 'deploy-beanstalk',
    workspace: ws,
    inputs: { 'application-name': APP, 'environment-name': ENV, ...row.inputs },
    env: { ...aws, GITHUB_SHA: SHA, ...row.env },
    // The action's clock runs as fast as the simulator's (the harness preloads it).
    clockSpeed: SPEED,
    timeoutMs: 45_000,
  });
  expectOutcome(result, row);
  if (changesNothing(row.expect)) {
    expect(await mutatingCalls(sim.stack)).toEqual([]);
    expect(await state()).toEqual(before);
  }
  if (row.extra?.noCredentials) {
    expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      NO_CREDENTIALS,
    ]);
  }
  if (scenario !== undefined) {
    // The label reaches the next step as data, through GITHUB_OUTPUT's delimited form.
    expect(result.outputs['previous-version-label']).toBe(HOSTILE_LABEL);
    await sim.fresh('healthy');
  }
});
