/**
 * Hostile inputs, task definition files and AWS texts through the bundled deploy-ecs, against the
 * simulator's ECS. A refused row registers no task definition and updates no service; a service
 * whose running task definition names a container and an image that carry workflow commands (set
 * outside this action) is deployed over, its stopped-task reasons quoting that image are printed,
 * and nothing is obeyed.
 *
 * Task definition validation is still growing (the ECS API model, limits): rows it affects assert
 * the input named and the one line, not the wording.
 */
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

jest.setTimeout(90_000);

const SPEED = 15;
const SERVICE = 'scoring-web';
const ODD_SERVICE = 'odd-web';
const IMAGE = 'registry.local/scoring:2';
const ODD_IMAGE = nameInjection('registry.local/scoring:1');

let stack: Stack;
let root: string;
let ws: string;

const taskDefinition = (family: string, container = 'model', image = 'registry.local/scoring:1') => ({
  family,
  containerDefinitions: [{ name: container, image, memory: 512, essential: true }],
});

async function seedServices(): Promise<void> {
  await stack.simulator.reset();
  await stack.simulator.seed('ecs', { serviceName: SERVICE, taskDefinition: taskDefinition(SERVICE) });
  // Set outside this action (ECS takes any text for names and images in a task definition it
  // stores): what it reads back is an AWS text like any other.
  await stack.simulator.choose('ecs', ODD_SERVICE, 'image-pull-failure');
  await stack.simulator.seed('ecs', {
    serviceName: ODD_SERVICE,
    taskDefinition: taskDefinition(ODD_SERVICE, nameInjection('model'), ODD_IMAGE),
  });
}

beforeAll(async () => {
  stack = await startStack({ simulatorSpeed: SPEED });
  await seedServices();
  root = mkdtempSync(join(tmpdir(), 'hostile-deploy-ecs-'));
  ws = join(root, 'ws');
  const write = (path: string, content: string): void => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
  };
  write(join(ws, 'taskdef.json'), JSON.stringify(taskDefinition(SERVICE), null, 2));
  write(join(root, 'outside', 'taskdef.json'), JSON.stringify(taskDefinition(SERVICE)));
  write(join(ws, 'bad', 'not-json.json'), `{\n  "family": "x",\n${INJECTED_COMMANDS.join('\n')}\n`);
  write(join(ws, 'bad', 'array.json'), '[1, 2]');
  write(join(ws, 'bad', 'no-family.json'), JSON.stringify({ containerDefinitions: [] }));
  write(
    join(ws, 'bad', 'command-keys.json'),
    JSON.stringify({ ...taskDefinition(SERVICE), [INJECTED_COMMANDS[0]]: INJECTED_COMMANDS[2] }),
  );
  write(join(ws, 'bad', 'family-commands.json'), JSON.stringify(taskDefinition(newlineInjection(SERVICE))));
  // Over the 64 KiB ECS accepts for a task definition.
  write(
    join(ws, 'bad', 'oversize.json'),
    JSON.stringify({
      ...taskDefinition(SERVICE),
      containerDefinitions: [
        {
          ...taskDefinition(SERVICE).containerDefinitions[0],
          environment: Array.from({ length: 800 }, (_, i) => ({ name: `V${i}`, value: oversize(100) })),
        },
      ],
    }),
  );
  mkdirSync(join(ws, 'links'));
  symlinkSync('/etc/passwd', join(ws, 'links', 'passwd.json'));
  symlinkSync(join(root, 'outside', 'taskdef.json'), join(ws, 'links', 'taskdef.json'));
  symlinkSync('/etc', join(ws, 'links', 'etc'));
  mkdirSync(join(root, 'home'));
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

interface SimState {
  services: Array<{ serviceName: string; taskDefinition: string; deployments: unknown[] }>;
  taskDefinitions: Array<{ arn: string }>;
}

/** What a row could change in ECS: task definitions registered, services and their deployments. */
async function ecsState(): Promise<unknown> {
  const state = (await stack.simulator.state('ecs')) as SimState;
  return {
    taskDefinitions: state.taskDefinitions.map((t) => t.arn).sort(),
    services: state.services
      .map((s) => `${s.serviceName} ${s.taskDefinition} ${s.deployments.length}`)
      .sort(),
  };
}

interface Extra {
  readonly noCredentials?: boolean;
}

const refused = (input: string, accepted?: RegExp) =>
  accepted === undefined ? { refused: input } : { refused: input, accepted };
const INSIDE = /inside the workspace \(GITHUB_WORKSPACE\) or RUNNER_TEMP/;
const EXISTING = /must name an existing/;
const base = { service: SERVICE, 'container-name': 'model', image: IMAGE };

const ROWS: Array<Row<Extra>> = [
  // Names ECS allows only letters, digits, hyphens and underscores in.
  {
    name: 'cluster opening a line of commands',
    inputs: { ...base, cluster: newlineInjection('prod') },
    expect: refused('cluster'),
  },
  // A name of hyphens is ECS's to judge: it goes as a value in a JSON body, never as an option.
  {
    name: 'cluster --help is a name ECS does not know',
    inputs: { ...base, cluster: '--help' },
    expect: { fails: /cluster --help cannot be deployed to: MISSING/ },
  },
  { name: 'cluster 256 characters', inputs: { ...base, cluster: oversize(256) }, expect: refused('cluster') },
  {
    name: 'cluster with an RTL override',
    inputs: { ...base, cluster: `prod${RTL_OVERRIDE}` },
    expect: refused('cluster'),
  },
  {
    name: 'service opening a line of commands',
    inputs: { ...base, service: newlineInjection(SERVICE) },
    expect: refused('service'),
  },
  {
    name: 'service with carriage returns',
    inputs: { ...base, service: carriageReturnInjection(SERVICE) },
    expect: refused('service'),
  },
  {
    name: 'service -x is a name ECS does not know',
    inputs: { ...base, service: '-x' },
    expect: { fails: /Service -x in cluster default cannot be deployed to: MISSING/ },
  },
  {
    name: 'service with a zero-width space',
    inputs: { ...base, service: `scoring${ZERO_WIDTH_SPACE}web` },
    expect: refused('service'),
  },
  {
    name: 'service that is a command',
    inputs: { ...base, service: commandValue(2) },
    expect: refused('service'),
  },
  {
    name: 'container-name opening a line of commands',
    inputs: { ...base, 'container-name': newlineInjection('model') },
    expect: refused('container-name'),
  },
  {
    name: 'container-name --help',
    inputs: { ...base, 'container-name': '--help' },
    expect: refused('container-name'),
  },
  // image: a reference, echoed in its refusal.
  {
    name: 'image opening a line of commands',
    inputs: { ...base, image: newlineInjection(IMAGE) },
    expect: refused('image'),
  },
  { name: 'image --help', inputs: { ...base, image: '--help' }, expect: refused('image') },
  {
    name: 'image without a tag or digest',
    inputs: { ...base, image: 'registry.local/scoring' },
    expect: refused('image'),
  },
  {
    name: 'image with upper case',
    inputs: { ...base, image: 'registry.local/Scoring:2' },
    expect: refused('image'),
  },
  {
    name: 'image with a zero-width space',
    inputs: { ...base, image: `registry.local/scoring${ZERO_WIDTH_SPACE}:2` },
    expect: refused('image'),
  },
  {
    name: 'image with a terminal escape',
    inputs: { ...base, image: `${TERMINAL_COLOUR}${IMAGE}` },
    expect: refused('image'),
  },
  // Variables and secrets become task definition fields.
  {
    name: 'environment-variables with a line of commands',
    inputs: { ...base, 'environment-variables': newlineInjection('MODE=serve') },
    expect: refused('environment-variables', /KEY=VALUE/),
  },
  {
    name: 'environment-variables named --help',
    inputs: { ...base, 'environment-variables': '--help=x' },
    expect: refused('environment-variables'),
  },
  {
    name: 'environment-variables named with a space',
    inputs: { ...base, 'environment-variables': 'A B=1' },
    expect: refused('environment-variables'),
  },
  {
    name: 'secrets without an ARN',
    inputs: { ...base, secrets: 'DB_PASSWORD=' },
    expect: refused('secrets'),
  },
  {
    name: 'secrets named with a bell',
    inputs: { ...base, secrets: `DB${BELL}=arn:aws:ssm:us-east-1:123456789012:parameter/db` },
    expect: refused('secrets'),
  },
  // Numbers and choices.
  {
    name: 'desired-count -1',
    inputs: { ...base, 'desired-count': '-1' },
    expect: refused('desired-count'),
  },
  {
    name: 'desired-count 1e9',
    inputs: { ...base, 'desired-count': '1e9' },
    expect: refused('desired-count', /whole number/),
  },
  {
    name: 'desired-count --help',
    inputs: { ...base, 'desired-count': '--help' },
    expect: refused('desired-count', /whole number/),
  },
  {
    name: 'timeout-minutes 361',
    inputs: { ...base, 'timeout-minutes': '361' },
    expect: refused('timeout-minutes'),
  },
  {
    name: 'timeout-minutes -x',
    inputs: { ...base, 'timeout-minutes': '-x' },
    expect: refused('timeout-minutes'),
  },
  { name: 'wait yes', inputs: { ...base, wait: 'yes' }, expect: refused('wait', /true or false/) },
  {
    name: 'run-task-launch-type --help',
    inputs: { ...base, 'run-task': 'true', 'run-task-launch-type': '--help' },
    expect: refused('run-task-launch-type', /must be one of FARGATE, EC2, EXTERNAL/),
  },
  {
    name: 'run-task on FARGATE without subnets',
    inputs: { ...base, 'run-task': 'true' },
    expect: refused('run-task-subnets'),
  },
  {
    name: 'environment-url javascript:',
    inputs: { ...base, 'environment-url': 'javascript:alert(1)' },
    expect: refused('environment-url'),
  },
  {
    name: 'environment-url opening a line of commands',
    inputs: { ...base, 'environment-url': newlineInjection('https://scoring.example') },
    expect: refused('environment-url'),
  },
  // rollback-to
  {
    name: 'rollback-to opening a line of commands',
    inputs: { service: SERVICE, 'rollback-to': newlineInjection('previous') },
    expect: refused('rollback-to'),
  },
  {
    name: 'rollback-to --help',
    inputs: { service: SERVICE, 'rollback-to': '--help' },
    expect: refused('rollback-to'),
  },
  {
    name: 'rollback-to a family without a number',
    inputs: { service: SERVICE, 'rollback-to': `${SERVICE}:latest` },
    expect: refused('rollback-to'),
  },
  {
    name: 'rollback-to with an image',
    inputs: { ...base, 'rollback-to': 'previous' },
    expect: refused('rollback-to'),
  },
  // task-definition: a path confined to the workspace, then a file the action must understand.
  {
    name: 'task-definition ../outside/taskdef.json',
    inputs: { ...base, 'task-definition': '../outside/taskdef.json' },
    expect: refused('task-definition', INSIDE),
  },
  {
    name: 'task-definition /etc/passwd',
    inputs: { ...base, 'task-definition': '/etc/passwd' },
    expect: refused('task-definition', INSIDE),
  },
  {
    name: 'task-definition a link to /etc/passwd',
    inputs: { ...base, 'task-definition': 'links/passwd.json' },
    expect: refused('task-definition', INSIDE),
  },
  {
    name: 'task-definition a link to a file beside the workspace',
    inputs: { ...base, 'task-definition': 'links/taskdef.json' },
    expect: refused('task-definition', INSIDE),
  },
  {
    name: 'task-definition a link to /etc',
    inputs: { ...base, 'task-definition': 'links/etc' },
    expect: refused('task-definition', INSIDE),
  },
  {
    name: 'task-definition --help',
    inputs: { ...base, 'task-definition': '--help' },
    expect: refused('task-definition', EXISTING),
  },
  {
    name: 'task-definition opening a line of commands',
    inputs: { ...base, 'task-definition': newlineInjection('taskdef.json') },
    expect: refused('task-definition', EXISTING),
  },
  {
    name: 'task-definition whose broken lines are commands',
    inputs: { ...base, 'task-definition': 'bad/not-json.json' },
    expect: refused('task-definition'),
  },
  {
    name: 'task-definition that is a list',
    inputs: { ...base, 'task-definition': 'bad/array.json' },
    expect: refused('task-definition'),
  },
  {
    name: 'task-definition without a family',
    inputs: { ...base, 'task-definition': 'bad/no-family.json' },
    expect: refused('task-definition'),
  },
  {
    name: 'task-definition with a key that is a command',
    inputs: { ...base, 'task-definition': 'bad/command-keys.json' },
    expect: refused('task-definition'),
  },
  {
    name: 'task-definition whose family opens a line of commands',
    inputs: { ...base, 'task-definition': 'bad/family-commands.json' },
    expect: refused('task-definition'),
  },
  {
    name: 'task-definition over 64 KiB',
    inputs: { ...base, 'task-definition': 'bad/oversize.json' },
    expect: refused('task-definition'),
  },
  // Accepted: values reach ECS as values, and the log as text.
  {
    name: 'environment variable values that are commands are deployed, not obeyed',
    inputs: { ...base, 'environment-variables': INJECTED_COMMANDS.map((c, i) => `V${i}=${c}`).join('\n') },
    expect: { succeeds: true },
  },
  // AWS texts: the running task definition's container name and image carry commands; the new
  // revision cannot pull that image, and the stopped tasks' reasons quote it.
  {
    name: 'stopped-task reasons quoting an image with commands are shown as text',
    inputs: { service: ODD_SERVICE, 'environment-variables': 'MODE=canary', 'timeout-minutes': '2' },
    shows: 'HOSTILE',
    expect: { fails: /./, changes: true },
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
  const before = await ecsState();
  const aws = row.extra?.noCredentials ? noCredentialsEnv(stack, join(root, 'home')) : stack.env;
  const result = await runAction({
    action: 'deploy-ecs',
    workspace: ws,
    inputs: row.inputs,
    env: { ...aws, ...row.env },
    timeoutMs: 80_000,
  });
  expectOutcome(result, row);
  if (changesNothing(row.expect)) {
    expect(await mutatingCalls(stack)).toEqual([]);
    expect(await ecsState()).toEqual(before);
  }
  if (row.extra?.noCredentials) {
    expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      NO_CREDENTIALS,
    ]);
  }
  if (!changesNothing(row.expect)) await seedServices();
});
