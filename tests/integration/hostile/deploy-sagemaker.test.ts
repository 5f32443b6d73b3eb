/**
 * Hostile inputs and AWS texts through the bundled deploy-sagemaker, against the simulator's
 * SageMaker. A refused row creates no model, configuration or endpoint and makes no call that
 * changes anything. AWS texts that carry workflow commands — SageMaker's FailureReason, the
 * endpoint's CloudWatch log lines (what the container printed) and alarm names quoted in a
 * rollback's reason — are shown as text in the log and escaped in the job summary, never obeyed.
 *
 * What a command is: a line that starts with `::` after its leading white space, or holds `##[`
 * anywhere (GitHub Docs, "Workflow commands for GitHub Actions"; the runner's
 * src/Runner.Common/ActionCommand.cs, TryParseV2 and the legacy TryParse). The harness parses the
 * step's output the same way (tests/support/harness/step-log.ts).
 *
 * deploy-sagemaker takes no path input yet (smoke-test-payload, being added with issue 20, may
 * become one): there are no rows for paths outside the workspace until it does.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_CREDENTIALS } from '../../../packages/kit/src/run';
import { closeServer, listenOnLoopback } from '../../support/fault-proxy/listen';
import { readBody } from '../../support/fault-proxy/forward';
import { runAction } from '../../support/harness';
import { IMAGE_1, IMAGE_2, ROLE, SageMakerStack, SPEED } from '../deploy-sagemaker/sagemaker-stack';
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
  newlineInjection,
  noCredentialsEnv,
  oversize,
  type Row,
} from './hostile';

jest.setTimeout(90_000);

/** Endpoints the accepted rows deploy to, each created healthy before the rows run. */
const TEXTS_ENDPOINT = 'hostile-texts';
const ALARM_ENDPOINT = 'hostile-alarm';

let sim: SageMakerStack;
let root: string;
let rewriter: AnswerRewriter;

/**
 * A hop in front of the simulator that rewrites two AWS answers as a hostile AWS would send them:
 * DescribeEndpoint's FailureReason and every FilterLogEvents message gain lines of workflow
 * commands, Markdown and HTML. A container writes whatever it likes to its log, and SageMaker
 * quotes container errors in FailureReason; the simulator's own texts are plain.
 */
class AnswerRewriter {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(upstream: string): Promise<AnswerRewriter> {
    const target = new URL(upstream);
    const server = createServer((req, res) => {
      void readBody(req).then((body) => {
        const headers = { ...req.headers, 'content-length': String(body.length) };
        const outgoing = request(
          { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers },
          (answer: IncomingMessage) => {
            void readBody(answer).then((raw) => {
              const text = hostileAnswer(String(req.headers['x-amz-target'] ?? ''), raw.toString('utf8'));
              const { 'content-length': _length, 'transfer-encoding': _encoding, ...kept } = answer.headers;
              res.writeHead(answer.statusCode ?? 502, { ...kept, 'content-length': Buffer.byteLength(text) });
              res.end(text);
            });
          },
        );
        outgoing.on('error', () => res.destroy());
        outgoing.end(body);
      });
    });
    return new AnswerRewriter(server, await listenOnLoopback(server, 0));
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}

/** What a hostile AWS text adds: commands on lines of their own, a script tag, a heading, a link. */
const HOSTILE_TAIL = `\n${INJECTED_COMMANDS.join('\n')}\n# ${MARK} heading <script>${MARK}</script> [${MARK}](javascript:alert(1))`;

function hostileAnswer(target: string, text: string): string {
  if (!/\.(DescribeEndpoint|FilterLogEvents)$/.test(target) || text === '') return text;
  const answer = JSON.parse(text) as {
    FailureReason?: string;
    events?: Array<{ message?: string }>;
  };
  if (answer.FailureReason !== undefined) answer.FailureReason += HOSTILE_TAIL;
  for (const event of answer.events ?? []) event.message = `${event.message ?? ''}${HOSTILE_TAIL}`;
  return JSON.stringify(answer);
}

const deployInputs = (endpoint: string) => ({
  'endpoint-name': endpoint,
  image: IMAGE_1,
  'execution-role-arn': ROLE,
  'instance-type': 'ml.m5.large',
});

beforeAll(async () => {
  sim = await SageMakerStack.start();
  await sim.stack.simulator.reset();
  rewriter = await AnswerRewriter.start(sim.stack.env.AWS_ENDPOINT_URL ?? '');
  root = mkdtempSync(join(tmpdir(), 'hostile-sagemaker-'));
  mkdirSync(join(root, 'ws'));
  mkdirSync(join(root, 'home'));
  for (const endpoint of [TEXTS_ENDPOINT, ALARM_ENDPOINT]) {
    const created = await sim.deploy(endpoint, { 'instance-count': '1' });
    if (created.outputs.status !== 'succeeded') throw new Error(`${endpoint}:\n${created.stdout}`);
  }
  await sim.choose(TEXTS_ENDPOINT, 'ping-fails');
  await sim.choose(ALARM_ENDPOINT, 'alarm-during-bake');
}, 60_000);

afterAll(async () => {
  await rewriter?.close();
  await sim?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

interface SimState {
  models: Array<{ name: string }>;
  endpointConfigs: Array<{ name: string }>;
  endpoints: Array<{ name: string; configName: string; rollouts: unknown[] }>;
}

/** What a row could change in SageMaker: models, configurations, endpoints and their rollouts. */
async function sageMakerState(): Promise<unknown> {
  const state = (await sim.stack.simulator.state('sagemaker')) as SimState;
  return {
    models: state.models.map((m) => m.name).sort(),
    configs: state.endpointConfigs.map((c) => c.name).sort(),
    endpoints: state.endpoints.map((e) => `${e.name} ${e.configName} ${e.rollouts.length}`).sort(),
  };
}

interface Extra {
  readonly noCredentials?: boolean;
  /** Through the hop that makes FailureReason and the log lines hostile. */
  readonly hostileAnswers?: boolean;
}

const refused = (input: string, accepted?: RegExp) =>
  accepted === undefined ? { refused: input } : { refused: input, accepted };
const NAME_RULE = /must be 1 to 63 letters, digits and hyphens/;
const base = deployInputs('scoring');

const ROWS: Array<Row<Extra>> = [
  // endpoint-name: SageMaker's pattern [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62} (botocore model
  // sagemaker/2017-07-24, shape EndpointName); echoed in its refusal.
  {
    name: 'endpoint-name opening a line of commands',
    inputs: { ...base, 'endpoint-name': newlineInjection('scoring') },
    expect: refused('endpoint-name', NAME_RULE),
  },
  {
    name: 'endpoint-name with carriage returns',
    inputs: { ...base, 'endpoint-name': carriageReturnInjection('scoring') },
    expect: refused('endpoint-name', NAME_RULE),
  },
  {
    name: 'endpoint-name that is a command',
    inputs: { ...base, 'endpoint-name': commandValue(2) },
    expect: refused('endpoint-name', NAME_RULE),
  },
  {
    name: 'endpoint-name --help',
    inputs: { ...base, 'endpoint-name': '--help' },
    expect: refused('endpoint-name', NAME_RULE),
  },
  {
    name: 'endpoint-name with an underscore',
    inputs: { ...base, 'endpoint-name': 'scoring_model' },
    expect: refused('endpoint-name', NAME_RULE),
  },
  {
    name: 'endpoint-name 64 characters',
    inputs: { ...base, 'endpoint-name': oversize(64) },
    expect: refused('endpoint-name', /got 64 characters/),
  },
  {
    name: 'endpoint-name 100,000 characters',
    inputs: { ...base, 'endpoint-name': oversize(100_000) },
    expect: refused('endpoint-name', /got 100000 characters/),
  },
  {
    name: 'endpoint-name with a zero-width space',
    inputs: { ...base, 'endpoint-name': `scoring${ZERO_WIDTH_SPACE}model` },
    expect: refused('endpoint-name', NAME_RULE),
  },
  {
    name: 'endpoint-name with an RTL override',
    inputs: { ...base, 'endpoint-name': `scoring${RTL_OVERRIDE}` },
    expect: refused('endpoint-name', NAME_RULE),
  },
  {
    name: 'variant-name with a terminal escape',
    inputs: { ...base, 'variant-name': `${TERMINAL_COLOUR}AllTraffic` },
    expect: refused('variant-name', NAME_RULE),
  },
  {
    name: 'variant-name opening a line of commands',
    inputs: { ...base, 'variant-name': newlineInjection('AllTraffic') },
    expect: refused('variant-name', NAME_RULE),
  },
  // image: by digest only.
  {
    name: 'image opening a line of commands',
    inputs: { ...base, image: newlineInjection(IMAGE_1) },
    expect: refused('image'),
  },
  {
    name: 'image by tag',
    inputs: { ...base, image: `${IMAGE_1.split('@')[0] ?? ''}:latest` },
    expect: refused('image', /by digest/),
  },
  { name: 'image --help', inputs: { ...base, image: '--help' }, expect: refused('image') },
  {
    name: 'image with a zero-width space',
    inputs: { ...base, image: IMAGE_1.replace('@', `${ZERO_WIDTH_SPACE}@`) },
    expect: refused('image'),
  },
  {
    name: 'image with a short digest',
    inputs: { ...base, image: IMAGE_1.slice(0, -1) },
    expect: refused('image'),
  },
  // The execution role, instance type and count.
  {
    name: 'execution-role-arn opening a line of commands',
    inputs: { ...base, 'execution-role-arn': newlineInjection(ROLE) },
    expect: refused('execution-role-arn', /IAM role ARN/),
  },
  {
    name: 'execution-role-arn of a user',
    inputs: { ...base, 'execution-role-arn': 'arn:aws:iam::123456789012:user/deployer' },
    expect: refused('execution-role-arn', /IAM role ARN/),
  },
  {
    name: 'instance-type --help',
    inputs: { ...base, 'instance-type': '--help' },
    expect: refused('instance-type', /ml\. instance type/),
  },
  {
    name: 'instance-type that is a command',
    inputs: { ...base, 'instance-type': commandValue(0) },
    expect: refused('instance-type', /ml\. instance type/),
  },
  {
    name: 'instance-count 1e9',
    inputs: { ...base, 'instance-count': '1e9' },
    expect: refused('instance-count', /whole number/),
  },
  {
    name: 'instance-count 0',
    inputs: { ...base, 'instance-count': '0' },
    expect: refused('instance-count'),
  },
  // The container's environment: EnvironmentKey [a-zA-Z_][a-zA-Z0-9_]*, values of at most 1024
  // characters, at most 100 variables (shapes EnvironmentKey, EnvironmentValue, EnvironmentMap).
  {
    name: 'environment-variables with a line of commands',
    inputs: { ...base, 'environment-variables': newlineInjection('MODE=serve') },
    expect: refused('environment-variables'),
  },
  {
    name: 'environment-variables named with a bell',
    inputs: { ...base, 'environment-variables': `MODE${BELL}=serve` },
    expect: refused('environment-variables'),
  },
  {
    name: 'environment-variables value of 1025 characters',
    inputs: { ...base, 'environment-variables': `MODE=${oversize(1025)}` },
    expect: refused('environment-variables', /at most 1024 characters/),
  },
  {
    name: 'environment-variables 101 variables',
    inputs: {
      ...base,
      'environment-variables': Array.from({ length: 101 }, (_, i) => `V${i}=x`).join('\n'),
    },
    expect: refused('environment-variables', /at most 100 variables/),
  },
  // model-data: an S3 object.
  {
    name: 'model-data opening a line of commands',
    inputs: { ...base, 'model-data': newlineInjection('s3://models/scoring.tar.gz') },
    expect: refused('model-data', /S3 URI/),
  },
  {
    name: 'model-data file:///etc/passwd',
    inputs: { ...base, 'model-data': 'file:///etc/passwd' },
    expect: refused('model-data', /S3 URI/),
  },
  // Deployment guardrails.
  {
    name: 'deployment --help',
    inputs: { ...base, deployment: '--help' },
    expect: refused('deployment', /must be one of all-at-once, canary, linear/),
  },
  {
    name: 'canary-size with a line of commands',
    inputs: { ...base, deployment: 'canary', 'canary-size': newlineInjection('10%') },
    expect: refused('canary-size'),
  },
  {
    name: 'canary-size without deployment canary',
    inputs: { ...base, 'canary-size': '10%' },
    expect: refused('canary-size', /applies only to deployment: canary/),
  },
  {
    name: 'wait-interval 3601',
    inputs: { ...base, 'wait-interval': '3601' },
    expect: refused('wait-interval'),
  },
  {
    name: 'bake-minutes -1',
    inputs: { ...base, 'bake-minutes': '-1' },
    expect: refused('bake-minutes'),
  },
  // Alarm names: AlarmList 1 to 10, AlarmName 1 to 255; CloudWatch refuses ASCII control
  // characters in a name (CloudWatch API Reference, PutMetricAlarm AlarmName).
  {
    name: 'alarms eleven names',
    inputs: { ...base, alarms: Array.from({ length: 11 }, (_, i) => `a${i}`).join(',') },
    expect: refused('alarms', /at most 10 alarms/),
  },
  {
    name: 'alarms a name of 256 characters',
    inputs: { ...base, alarms: oversize(256) },
    expect: refused('alarms', /1 to 255 characters/),
  },
  {
    name: 'alarms a name with a terminal escape',
    inputs: { ...base, alarms: `${TERMINAL_COLOUR}scoring-5xx` },
    expect: refused('alarms', /without control characters/),
  },
  {
    name: 'alarms a name with a carriage return',
    inputs: { ...base, alarms: carriageReturnInjection('scoring-5xx') },
    expect: refused('alarms', /without control characters/),
  },
  {
    name: 'timeout-minutes 361',
    inputs: { ...base, 'timeout-minutes': '361' },
    expect: refused('timeout-minutes'),
  },
  { name: 'wait yes', inputs: { ...base, wait: 'yes' }, expect: refused('wait', /true or false/) },
  {
    name: 'rollback-on-failure with a line of commands',
    inputs: { ...base, 'rollback-on-failure': newlineInjection('true') },
    expect: refused('rollback-on-failure', /true or false/),
  },
  {
    name: 'aws-max-attempts 21',
    inputs: { ...base, 'aws-max-attempts': '21' },
    expect: refused('aws-max-attempts'),
  },
  // Accepted: values reach SageMaker as values, and the log as text.
  {
    name: 'environment variable values that are commands are deployed, not obeyed',
    inputs: {
      ...deployInputs('hostile-env'),
      'environment-variables': INJECTED_COMMANDS.map((command, i) => `V${i}=${command}`).join('\n'),
    },
    expect: { succeeds: true },
  },
  // AWS texts. Alarm names may hold `::` and `##[` (anything but control characters); the
  // rollback's reason quotes the one that fired.
  {
    name: 'an alarm named with commands fires: the rollback reason quoting it is shown as text',
    inputs: {
      ...deployInputs(ALARM_ENDPOINT),
      image: IMAGE_2,
      'wait-interval': '300',
      alarms: `${INJECTED_COMMANDS[9]} ${INJECTED_COMMANDS[2]},second`,
    },
    shows: `${MARK}-legacy-error`,
    expect: { fails: /rolled back|ALARM/, changes: true },
  },
  // FailureReason and the container's log lines carrying commands, Markdown and HTML.
  {
    name: 'a FailureReason and log lines carrying commands are shown as text and escaped in the summary',
    inputs: { ...deployInputs(TEXTS_ENDPOINT), image: IMAGE_2 },
    extra: { hostileAnswers: true },
    shows: `${MARK}-output`,
    expect: { fails: /ping health check/, changes: true },
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
  await runRow(row);
});

async function runRow(row: Row<Extra>): Promise<void> {
  await sim.stack.simulator.clearCalls();
  const before = await sageMakerState();
  const aws = row.extra?.noCredentials ? noCredentialsEnv(sim.stack, join(root, 'home')) : sim.stack.env;
  const result = await runAction({
    action: 'deploy-sagemaker',
    workspace: join(root, 'ws'),
    inputs: row.inputs,
    env: { ...aws, ...(row.extra?.hostileAnswers ? { AWS_ENDPOINT_URL: rewriter.url } : {}), ...row.env },
    clockSpeed: SPEED,
    timeoutMs: 60_000,
  });
  expectOutcome(result, row);
  if (changesNothing(row.expect)) {
    expect(await mutatingCalls(sim.stack)).toEqual([]);
    expect(await sageMakerState()).toEqual(before);
  }
  if (row.extra?.noCredentials) {
    expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      NO_CREDENTIALS,
    ]);
  }
  if (row.extra?.hostileAnswers || 'fails' in row.expect) {
    // The summary is Markdown with inline HTML: a hostile text stays inside its line, its tags and
    // link syntax escaped (kit escapeSummary).
    const summary = result.summary;
    if (row.extra?.hostileAnswers) expect(summary).toContain(MARK);
    expect(summary).not.toMatch(/<script>|(?<!\\)\]\(javascript:|##\[/);
    expect(summary.split('\n').filter((line) => /^\s*(::|# HOSTILE)/.test(line))).toEqual([]);
  }
}
