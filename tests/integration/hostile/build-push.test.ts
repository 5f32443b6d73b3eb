/**
 * Hostile inputs through the bundled build-push, against moto's ECR. The fake builders of
 * tests/integration/build-push stand in for buildah and docker; each row's wrapper may first print
 * what a hostile Dockerfile's RUN step would print. A refused row must reach no builder and leave
 * ECR as it was; an accepted row must build, with nothing it logs obeyed as a workflow command.
 */
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ListImagesCommand,
} from '@aws-sdk/client-ecr';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_CREDENTIALS } from '../../../packages/kit/src/run';
import { runAction } from '../../support/harness';
import { startStack, type Stack } from '../../support/stack';
import {
  BELL,
  BYTE_ORDER_MARK,
  INJECTED_COMMANDS,
  NEXT_LINE,
  RTL_OVERRIDE,
  TERMINAL_COLOUR,
  ZERO_WIDTH_JOINER,
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
import { FAKE_BUILDER_SCRIPT } from '../../support/fake-builders';

jest.setTimeout(60_000);

const FAKE_BUILDER = FAKE_BUILDER_SCRIPT;
// What moto's GetAuthorizationToken hands out for its default account.
const PASSWORD = '123456789012-auth-token';
const REPOSITORY = 'ml/fraud-model';

let stack: Stack;
let ecr: ECRClient;
let root: string;
/** The one workspace every row builds from; the rows that need odd files add them once. */
let ws: string;

/** What a hostile Dockerfile's `RUN echo ...` prints while it builds, line by line. */
const BUILD_OUTPUT = [
  'STEP 2/3: RUN echo "$MESSAGE"',
  ...INJECTED_COMMANDS,
  `   ${INJECTED_COMMANDS[0]}`,
  `${NEXT_LINE}${INJECTED_COMMANDS[1]}`,
].join('\n');

beforeAll(async () => {
  stack = await startStack();
  ecr = new ECRClient({
    endpoint: stack.endpoints.moto,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await ecr.send(new CreateRepositoryCommand({ repositoryName: REPOSITORY }));
  root = mkdtempSync(join(tmpdir(), 'hostile-build-push-'));
  ws = join(root, 'ws');
  // The fake builders read a flat context; links and odd names live in folders of their own.
  mkdirSync(join(ws, 'app'), { recursive: true });
  mkdirSync(join(ws, 'links'));
  mkdirSync(join(root, 'state'));
  mkdirSync(join(root, 'docker'));
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'home'));
  writeFileSync(join(ws, 'app', 'Dockerfile'), 'FROM scratch\nCOPY model.txt /model.txt\n');
  writeFileSync(join(ws, 'app', 'model.txt'), 'weights\n');
  // The default context's Dockerfile, so rows about other inputs get past the file check.
  writeFileSync(join(ws, 'Dockerfile'), 'FROM scratch\n');
  // A context folder whose name opens a new line and issues commands: Linux allows it, and the
  // path is inside the workspace, so it is built; the log only shows it as text.
  const oddContext = join(ws, nameInjection('ctx-odd'));
  mkdirSync(oddContext);
  writeFileSync(join(oddContext, 'Dockerfile'), 'FROM scratch\n');
  // Outside the workspace: a Dockerfile next to it, and links to files and folders beyond it.
  mkdirSync(join(root, 'outside'));
  writeFileSync(join(root, 'outside', 'Dockerfile'), 'FROM scratch\n');
  symlinkSync('/etc/passwd', join(ws, 'links', 'passwd'));
  symlinkSync('/etc', join(ws, 'links', 'etc'));
  symlinkSync(join(root, 'outside'), join(ws, 'links', 'outside'));
  symlinkSync(join(root, 'outside', 'Dockerfile'), join(ws, 'links', 'Dockerfile'));
  for (const tool of ['buildah', 'docker']) {
    const wrapper = join(root, 'bin', tool);
    writeFileSync(
      wrapper,
      '#!/bin/sh\n' +
        `if [ "$1" = build ] && [ -f '${join(root, 'build-output')}' ]; then cat '${join(root, 'build-output')}'; cat '${join(root, 'build-output')}' >&2; fi\n` +
        `exec node '${FAKE_BUILDER}' '${join(root, 'fake.json')}' ${tool} "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
  }
  writeFileSync(
    join(root, 'fake.json'),
    JSON.stringify({
      log: join(root, 'calls.jsonl'),
      state: join(root, 'state'),
      password: PASSWORD,
      moto: stack.env['STACK_MOTO_URL'],
    }),
  );
}, 60_000);

afterAll(async () => {
  ecr?.destroy();
  await stack?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** ECR as moto holds it: every repository and the images in it. */
async function ecrState(): Promise<unknown> {
  const repos = (await ecr.send(new DescribeRepositoriesCommand({}))).repositories ?? [];
  const state: Record<string, unknown> = {};
  for (const repo of repos) {
    const images = await ecr.send(new ListImagesCommand({ repositoryName: repo.repositoryName }));
    state[repo.repositoryName ?? ''] = {
      mutability: repo.imageTagMutability,
      images: (images.imageIds ?? []).map((i) => `${i.imageTag}@${i.imageDigest}`).sort(),
    };
  }
  return state;
}

function builderCalls(): string[] {
  const log = join(root, 'calls.jsonl');
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { tool: string; args: string[] }).args[0] ?? '');
}

interface Extra {
  /** Print BUILD_OUTPUT from the builder, as a RUN step echoing hostile text would. */
  readonly hostileBuildOutput?: boolean;
  /** Run without any AWS credentials. */
  readonly noCredentials?: boolean;
}

const refused = (input: string, accepted?: RegExp) =>
  accepted === undefined ? { refused: input } : { refused: input, accepted };
const REPO_RULE = /ECR repository name/;
const TAG_RULE = /not a valid tag \(letters, digits/;
const STAGE_RULE = /not a build stage name/;
const PLATFORM_RULE = /expected os\/arch/;
const SECRET_RULE = /invalid secret id/;
const INSIDE = /inside the workspace \(GITHUB_WORKSPACE\) or RUNNER_TEMP/;
const EXISTING = /must name an existing/;
const LOCAL = { push: 'false', engine: 'buildah', context: 'app' };

const ROWS: Array<Row<Extra>> = [
  // repository: echoed in the refusal, so every injection is tried there.
  {
    name: 'repository opening a line of commands',
    inputs: { repository: newlineInjection('ml/app') },
    expect: refused('repository', REPO_RULE),
  },
  {
    name: 'repository with carriage returns',
    inputs: { repository: carriageReturnInjection('ml/app') },
    expect: refused('repository', REPO_RULE),
  },
  {
    name: 'repository that is a command',
    inputs: { repository: commandValue(0) },
    expect: refused('repository', REPO_RULE),
  },
  {
    name: 'repository with a legacy ##[ command',
    inputs: { repository: `ml/app${INJECTED_COMMANDS[9]}` },
    expect: refused('repository', REPO_RULE),
  },
  { name: 'repository --help', inputs: { repository: '--help' }, expect: refused('repository', REPO_RULE) },
  { name: 'repository -x', inputs: { repository: '-x' }, expect: refused('repository', REPO_RULE) },
  {
    name: 'repository 257 characters',
    inputs: { repository: oversize(257) },
    expect: refused('repository', /2-256 characters/),
  },
  {
    name: 'repository 100,000 characters',
    inputs: { repository: oversize(100_000) },
    expect: refused('repository', REPO_RULE),
  },
  {
    name: 'repository with ..',
    inputs: { repository: 'ml/../app' },
    expect: refused('repository', REPO_RULE),
  },
  {
    name: 'repository absolute',
    inputs: { repository: '/ml/app' },
    expect: refused('repository', REPO_RULE),
  },
  {
    name: 'repository with an RTL override',
    inputs: { repository: `ml/app${RTL_OVERRIDE}vel` },
    expect: refused('repository', REPO_RULE),
  },
  {
    name: 'repository with a zero-width space',
    inputs: { repository: `ml/${ZERO_WIDTH_SPACE}app` },
    expect: refused('repository', REPO_RULE),
  },
  {
    name: 'repository with a terminal colour escape',
    inputs: { repository: `${TERMINAL_COLOUR}ml/app` },
    expect: refused('repository', REPO_RULE),
  },
  {
    name: 'repository with a bell',
    inputs: { repository: `ml/app${BELL}` },
    expect: refused('repository', REPO_RULE),
  },
  // NUL cannot be carried: the runner passes inputs as environment variables, which end at NUL.
  // tags: each line is a tag, so an injected line becomes a tag and is refused as one.
  {
    name: 'tags opening a line of commands',
    inputs: { repository: REPOSITORY, tags: newlineInjection('v1') },
    expect: refused('tags', TAG_RULE),
  },
  {
    name: 'tags --push',
    inputs: { repository: REPOSITORY, tags: '--push' },
    expect: refused('tags', TAG_RULE),
  },
  { name: 'tags -x', inputs: { repository: REPOSITORY, tags: '-x' }, expect: refused('tags', TAG_RULE) },
  {
    name: 'tags with a space and a flag',
    inputs: { repository: REPOSITORY, tags: 'v1 --push' },
    expect: refused('tags', TAG_RULE),
  },
  {
    name: 'tags 129 characters',
    inputs: { repository: REPOSITORY, tags: oversize(129) },
    expect: refused('tags', TAG_RULE),
  },
  {
    name: 'tags 1,001 of them',
    inputs: { repository: REPOSITORY, tags: Array.from({ length: 1001 }, (_, i) => `t${i}`).join('\n') },
    expect: refused('tags', /at most 1000/),
  },
  {
    name: 'tags with an RTL override',
    inputs: { repository: REPOSITORY, tags: `v1${RTL_OVERRIDE}` },
    expect: refused('tags', TAG_RULE),
  },
  {
    name: 'tags with a zero-width joiner',
    inputs: { repository: REPOSITORY, tags: `v${ZERO_WIDTH_JOINER}1` },
    expect: refused('tags', TAG_RULE),
  },
  {
    name: 'tags with a byte-order mark',
    inputs: { repository: REPOSITORY, tags: `v${BYTE_ORDER_MARK}1` },
    expect: refused('tags', TAG_RULE),
  },
  {
    name: 'tags starting with a dot',
    inputs: { repository: REPOSITORY, tags: '.hidden' },
    expect: refused('tags', TAG_RULE),
  },
  {
    name: 'tags with a legacy ##[ command',
    inputs: { repository: REPOSITORY, tags: INJECTED_COMMANDS[9] },
    expect: refused('tags', TAG_RULE),
  },
  {
    name: 'tags from a hostile GITHUB_SHA',
    inputs: { repository: REPOSITORY, tags: '' },
    env: { GITHUB_SHA: newlineInjection('abc') },
    expect: refused('tags', TAG_RULE),
  },
  // Words that become options or positional arguments of the builder.
  {
    name: 'target --help',
    inputs: { repository: REPOSITORY, target: '--help' },
    expect: refused('target', STAGE_RULE),
  },
  {
    name: 'target -x',
    inputs: { repository: REPOSITORY, target: '-x' },
    expect: refused('target', STAGE_RULE),
  },
  {
    name: 'target opening a line of commands',
    inputs: { repository: REPOSITORY, target: newlineInjection('model') },
    expect: refused('target', STAGE_RULE),
  },
  {
    name: 'target with a shell separator',
    inputs: { repository: REPOSITORY, target: 'model;rm -rf /' },
    expect: refused('target', STAGE_RULE),
  },
  {
    name: 'platforms --help',
    inputs: { repository: REPOSITORY, platforms: '--help' },
    expect: refused('platforms', PLATFORM_RULE),
  },
  {
    name: 'platforms smuggling a flag after a comma',
    inputs: { repository: REPOSITORY, platforms: 'linux/amd64,--push' },
    expect: refused('platforms', PLATFORM_RULE),
  },
  {
    name: 'platforms opening a line of commands',
    inputs: { repository: REPOSITORY, platforms: newlineInjection('linux/amd64') },
    expect: refused('platforms', PLATFORM_RULE),
  },
  {
    name: 'secrets id --help',
    inputs: { repository: REPOSITORY, secrets: '--help=x' },
    expect: refused('secrets', SECRET_RULE),
  },
  {
    name: 'secrets id -x',
    inputs: { repository: REPOSITORY, secrets: '-x=y' },
    expect: refused('secrets', SECRET_RULE),
  },
  {
    name: 'secrets id with ..',
    inputs: { repository: REPOSITORY, secrets: '../../etc/passwd=x' },
    expect: refused('secrets', SECRET_RULE),
  },
  {
    name: 'secrets id starting with a dot',
    inputs: { repository: REPOSITORY, secrets: '.npmrc=x' },
    expect: refused('secrets', SECRET_RULE),
  },
  {
    name: 'secrets id with a comma (a second --secret field)',
    inputs: { repository: REPOSITORY, secrets: 'a,src=/etc/passwd=x' },
    expect: refused('secrets', SECRET_RULE),
  },
  {
    name: 'fail-on-severity opening a line of commands',
    inputs: { repository: REPOSITORY, 'fail-on-severity': newlineInjection('HIGH') },
    expect: refused('fail-on-severity', /must be one of CRITICAL/),
  },
  {
    name: 'engine --help',
    inputs: { repository: REPOSITORY, engine: '--help' },
    expect: refused('engine', /must be one of auto, docker, buildah/),
  },
  {
    name: 'push with a flag after it',
    inputs: { repository: REPOSITORY, push: 'true --help' },
    expect: refused('push', /true or false/),
  },
  {
    name: 'scan-timeout-minutes 1e9',
    inputs: { repository: REPOSITORY, 'scan-timeout-minutes': '1e9' },
    expect: refused('scan-timeout-minutes', /a number from 0 to 60/),
  },
  {
    name: 'scan-timeout-minutes -1',
    inputs: { repository: REPOSITORY, 'scan-timeout-minutes': '-1' },
    expect: refused('scan-timeout-minutes', /from 0 to 60/),
  },
  // Paths: confined to the workspace and RUNNER_TEMP, links included.
  {
    name: 'context ..',
    inputs: { repository: REPOSITORY, context: '..' },
    expect: refused('context', INSIDE),
  },
  {
    name: 'context /etc',
    inputs: { repository: REPOSITORY, context: '/etc' },
    expect: refused('context', INSIDE),
  },
  {
    name: 'context a link to /etc',
    inputs: { repository: REPOSITORY, context: 'links/etc' },
    expect: refused('context', INSIDE),
  },
  {
    name: 'context a link to a folder beside the workspace',
    inputs: { repository: REPOSITORY, context: 'links/outside' },
    expect: refused('context', INSIDE),
  },
  {
    name: 'context --help',
    inputs: { repository: REPOSITORY, context: '--help' },
    expect: refused('context', EXISTING),
  },
  {
    name: 'file ../outside/Dockerfile',
    inputs: { repository: REPOSITORY, file: '../outside/Dockerfile' },
    expect: refused('file', INSIDE),
  },
  {
    name: 'file /etc/passwd',
    inputs: { repository: REPOSITORY, file: '/etc/passwd' },
    expect: refused('file', INSIDE),
  },
  {
    name: 'file a link to /etc/passwd',
    inputs: { repository: REPOSITORY, file: 'links/passwd' },
    expect: refused('file', INSIDE),
  },
  {
    name: 'file a link to a Dockerfile beside the workspace',
    inputs: { repository: REPOSITORY, file: 'links/Dockerfile' },
    expect: refused('file', INSIDE),
  },
  { name: 'file -x', inputs: { repository: REPOSITORY, file: '-x' }, expect: refused('file', EXISTING) },
  {
    name: 'file opening a line of commands',
    inputs: { repository: REPOSITORY, file: newlineInjection('Dockerfile') },
    expect: refused('file', EXISTING),
  },
  // Accepted: the values reach the builder as values and the log as text.
  {
    name: 'labels with a line of commands',
    inputs: { repository: REPOSITORY, ...LOCAL, labels: newlineInjection('title=model') },
    expect: refused('labels', /must be KEY=VALUE/),
  },
  {
    name: 'build-args with a line of commands',
    inputs: { repository: REPOSITORY, ...LOCAL, 'build-args': newlineInjection('MESSAGE=hi') },
    expect: refused('build-args', /must be KEY=VALUE/),
  },
  {
    name: 'label values that are commands are built and not obeyed',
    shows: 'HOSTILE',
    inputs: {
      repository: REPOSITORY,
      ...LOCAL,
      labels: INJECTED_COMMANDS.map((c, i) => `label${i}=${c}`).join('\n'),
    },
    expect: { succeeds: true },
  },
  {
    name: 'build-arg values that are commands are built and not obeyed',
    shows: 'HOSTILE',
    inputs: {
      repository: REPOSITORY,
      ...LOCAL,
      'build-args': INJECTED_COMMANDS.map((c, i) => `ARG${i}=${c}`).join('\n'),
    },
    expect: { succeeds: true },
  },
  {
    name: 'a build-arg named like a command warns once and is not obeyed',
    shows: 'HOSTILE',
    inputs: { repository: REPOSITORY, ...LOCAL, 'build-args': `${INJECTED_COMMANDS[2]}_TOKEN=x` },
    expect: { succeeds: true },
  },
  {
    name: 'builder output echoing commands (a RUN step) stays text',
    shows: 'HOSTILE',
    inputs: { repository: REPOSITORY, ...LOCAL },
    extra: { hostileBuildOutput: true },
    expect: { succeeds: true },
  },
  {
    name: 'a context folder named with a newline and commands is built and not obeyed',
    shows: 'HOSTILE',
    inputs: { repository: REPOSITORY, ...LOCAL, context: nameInjection('ctx-odd') },
    expect: { succeeds: true },
  },
  {
    name: 'target with dots and dashes is a stage name, not an option',
    inputs: { repository: REPOSITORY, ...LOCAL, target: 'model.v2-final' },
    expect: { succeeds: true },
  },
  // No credentials: a local build needs none; a push says how to give them.
  {
    name: 'no credentials, push false: builds locally',
    inputs: { repository: REPOSITORY, ...LOCAL },
    extra: { noCredentials: true },
    expect: { succeeds: true },
  },
  {
    name: 'no credentials, push true: one line saying how to give them',
    inputs: { repository: REPOSITORY, engine: 'buildah', context: 'app' },
    extra: { noCredentials: true },
    expect: { fails: new RegExp(`^${escapeRegExp(NO_CREDENTIALS)}$`) },
  },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test.each(ROWS)('$name', async (row) => {
  rmSync(join(root, 'calls.jsonl'), { force: true });
  rmSync(join(root, 'build-output'), { force: true });
  if (row.extra?.hostileBuildOutput) writeFileSync(join(root, 'build-output'), `${BUILD_OUTPUT}\n`);
  await stack.simulator.clearCalls();
  const before = await ecrState();
  const aws = row.extra?.noCredentials ? noCredentialsEnv(stack, join(root, 'home')) : stack.env;
  const result = await runAction({
    action: 'build-push',
    workspace: ws,
    inputs: row.inputs,
    env: {
      ...aws,
      PATH: `${join(root, 'bin')}:${process.env.PATH ?? ''}`,
      DOCKER_CONFIG: join(root, 'docker'),
      ...row.env,
    },
    timeoutMs: 45_000,
  });
  expectOutcome(result, row);
  if (changesNothing(row.expect)) {
    // Nothing was built, logged in to or pushed, and nothing in AWS changed.
    expect(builderCalls().filter((c) => c !== '--version' && c !== 'version')).toEqual([]);
    expect(await mutatingCalls(stack)).toEqual([]);
  }
  expect(await ecrState()).toEqual(before);
});
