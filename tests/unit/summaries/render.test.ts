/**
 * Every action's job summary, success and failure, rendered as GitHub renders it (GitHub-flavoured
 * Markdown: markdown-it with tables and inline HTML). Each must open with ✅ / ❌ / ⚠️ and its
 * verdict, say the cause above any table, and hold no table without a header. The results come
 * from the actions' own code: deploy-ecs and deploy-beanstalk deploy against mocked AWS APIs,
 * sync-dags syncs into a fake bucket and MWAA environment, build-push's report is given what its
 * build returns.
 */
import { join } from 'node:path';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Environment } from '@aws-sdk/client-mwaa';
import { DescribeEnvironmentsCommand, DescribeEventsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { Cancelled, DeployFailed, InputError, type RunTool } from '@deploy-suite/kit';
import type { BuildResult } from '../../../actions/build-push/src/build-push';
import { failureResultOf, resultOf as buildResultOf } from '../../../actions/build-push/src/report';
import { deployToEcs } from '../../../actions/deploy-ecs/src/deploy';
import { recordFailure, resultOf as ecsResultOf } from '../../../actions/deploy-ecs/src/report';
import type { Inputs as SyncInputs } from '../../../actions/sync-dags/src/inputs';
import { emptyOutcome, inFlight } from '../../../actions/sync-dags/src/outcome';
import { resultOf as syncResultOf } from '../../../actions/sync-dags/src/report';
import { syncDags, type SyncPorts } from '../../../actions/sync-dags/src/sync';
import {
  attachedResult,
  renderResult,
  resultOfFailure,
  type ActionResult,
} from '../../../packages/kit/src/result';
import { fakeClock, recordingLog } from '../../support/fakes';
import {
  deploy as deployBeanstalk,
  eb,
  environment as ebEnvironment,
  event,
  existingApplication,
  harness as beanstalkHarness,
  inputs as beanstalkInputs,
  s3 as ebS3,
  updateFailsWithAnError,
} from '../deploy-beanstalk/beanstalk-fixture';
import {
  deployment,
  inputs as ecsInputs,
  mine,
  setUp as ecsSetUp,
  snapshot,
  TD,
} from '../deploy-ecs/ecs-fixture';
import { fakeBucket, fakeEnvironment, leasePortsFor, makeTree } from '../sync-dags/fake-aws';
import { renderSummary } from '../../support/rendered-summary';

const DIGEST = `sha256:1234abcd${'e'.repeat(56)}`;
const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

// ---- build-push: what buildAndPush returns, or throws --------------------------------------------

const buildInputs = {
  repository: 'ml/model',
  tags: ['v1.4.0', 'latest'],
  file: 'Dockerfile',
  context: '.',
  push: true,
  failOnSeverity: undefined,
};

function built(overrides: Partial<BuildResult> = {}): BuildResult {
  return {
    engine: 'buildah',
    destination: { registry: REGISTRY, repository: 'ml/model' },
    tagUris: [`${REGISTRY}/ml/model:v1.4.0`, `${REGISTRY}/ml/model:latest`],
    digest: DIGEST,
    skipped: false,
    pushed: true,
    sizeBytes: 187 * 1024 * 1024,
    buildMs: 48_200,
    cache: { hits: 5, steps: 9 },
    scan: undefined,
    notes: [],
    ...overrides,
  };
}

/** What buildah prints when a Dockerfile copies a file that is not in the context. */
const dockerfileError = new DeployFailed('buildah build failed (exit code 125)', [
  'STEP 1/6: FROM python:3.12-slim',
  'STEP 2/6: WORKDIR /app',
  'STEP 3/6: COPY requirments.txt .',
  'Error: building at STEP "COPY requirments.txt .": checking on sources under "/home/runner/work/svc/svc": copier: stat: "/requirments.txt": no such file or directory',
]);

const gateFindings = {
  status: 'COMPLETE',
  counts: { CRITICAL: 1, HIGH: 2, LOW: 4 },
  findings: [
    { name: 'CVE-2024-6387', severity: 'CRITICAL', package: 'openssh', version: '9.2p1', uri: undefined },
    { name: 'CVE-2023-5363', severity: 'HIGH', package: 'openssl', version: '3.0.11', uri: undefined },
  ],
};

// ---- deploy-ecs: deployToEcs against the mocked ECS of ecs-fixture ---------------------------------

async function ecsRun(
  afterUpdate: Parameters<typeof ecsSetUp>[0],
  overrides: Parameters<typeof ecsInputs>[0] = {},
): Promise<ActionResult> {
  const { ports, journal } = ecsSetUp(afterUpdate);
  try {
    await deployToEcs(ecsInputs(overrides), ports, journal);
  } catch (err) {
    recordFailure(journal, err);
  }
  return ecsResultOf(journal);
}

const circuitBreakerRollback = () => {
  const back = deployment({
    id: 'ecs-svc/9',
    taskDefinition: TD(1),
    status: 'PRIMARY',
    rolloutState: 'COMPLETED',
    runningCount: 1,
  });
  return [
    snapshot(TD(1), [
      deployment({ ...back, rolloutState: 'IN_PROGRESS', runningCount: 0 }),
      mine({
        status: 'ACTIVE',
        rolloutState: 'FAILED',
        rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
      }),
    ]),
    snapshot(TD(1), [back]),
  ];
};

// ---- deploy-beanstalk: deploy against the mocked Elastic Beanstalk of beanstalk-fixture -------------

async function beanstalkRun(arrange: () => void): Promise<string> {
  eb.reset();
  ebS3.reset();
  existingApplication();
  arrange();
  const { ports, summaries } = beanstalkHarness();
  await deployBeanstalk(beanstalkInputs, ports).catch(() => undefined);
  return summaries.join('\n');
}

function beanstalkSucceeds(): void {
  eb.on(DescribeEnvironmentsCommand)
    .resolvesOnce({ Environments: [ebEnvironment({})] })
    .resolvesOnce({ Environments: [ebEnvironment({})] })
    .resolvesOnce({
      Environments: [ebEnvironment({ Status: 'Updating', Health: 'Grey', VersionLabel: 'v1' })],
    })
    .resolves({ Environments: [ebEnvironment({ VersionLabel: 'v1' })] });
  eb.on(DescribeEventsCommand).resolves({ Events: [event(4, 'Environment update completed successfully.')] });
}

// ---- sync-dags: syncDags into a fake bucket and MWAA environment -----------------------------------

const BUCKET = 'airflow-prod';

function syncInputs(source: string, overrides: Partial<SyncInputs> = {}): SyncInputs {
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

function syncPorts(
  bucket: ReturnType<typeof fakeBucket>,
  mwaa = fakeEnvironment({ Name: 'env', Status: 'AVAILABLE' }).mwaa,
  runTool: RunTool = async () => ({ exitCode: 0, stdout: '', stderr: '' }),
): SyncPorts {
  return {
    s3: bucket.s3,
    mwaa,
    clock: fakeClock(),
    log: recordingLog(),
    runTool,
    findExecutable: (name) => `/usr/bin/${name}`,
    workspace: '/',
    tempDir: makeTree({}),
    roots: [realpathSync(tmpdir())],
    pollIntervalMs: 1000,
    ...leasePortsFor(bucket.s3),
  };
}

/** What run() publishes for a sync: the result it returns, or the one its failure carries. */
async function syncRun(run: Promise<unknown>): Promise<ActionResult> {
  try {
    return syncResultOf((await run) as Parameters<typeof syncResultOf>[0]);
  } catch (err) {
    const result = attachedResult(err);
    if (result === undefined) throw err;
    return result;
  }
}

const available: Environment = {
  Name: 'env',
  Status: 'AVAILABLE',
  SourceBucketArn: `arn:aws:s3:::${BUCKET}`,
  DagS3Path: 'dags',
  LastUpdate: { Status: 'SUCCESS', CreatedAt: new Date(1000) },
};

// ---- the scenarios ---------------------------------------------------------------------------------

interface Scenario {
  name: string;
  summary: () => Promise<string>;
  headline: string;
  /** Text the quote above every table must hold: the cause. */
  cause?: string;
  /** Text the headline must not hold. */
  never?: string;
}

const md = (action: string, result: ActionResult) => renderResult(action, result);

const scenarios: Scenario[] = [
  {
    name: 'build-push pushed',
    summary: async () => md('build-push', buildResultOf(built(), buildInputs)),
    headline: '✅ build-push succeeded: pushed ml/model (v1.4.0, latest) as sha256:1234abcd…',
  },
  {
    name: 'build-push skipped: the tag already exists',
    summary: async () =>
      md(
        'build-push',
        buildResultOf(built({ skipped: true, pushed: false, buildMs: undefined }), buildInputs),
      ),
    headline: '✅ build-push skipped: ml/model already holds sha256:1234abcd…',
  },
  {
    name: 'build-push: a Dockerfile error stops the builder',
    summary: async () => md('build-push', failureResultOf(dockerfileError, buildInputs)),
    headline:
      '❌ build-push failed: building and pushing ml/model stopped: buildah build failed (exit code 125)',
    cause: 'copier: stat: "/requirments.txt": no such file or directory',
  },
  {
    name: 'build-push: a failed scan gate',
    summary: async () => {
      const scanned = built({
        scan: {
          report: gateFindings,
          blocking: [
            ['CRITICAL', 1],
            ['HIGH', 2],
          ],
        },
        tagUris: [`${REGISTRY}/ml/model:v1.4.0`],
      });
      return md('build-push', buildResultOf(scanned, { ...buildInputs, failOnSeverity: 'HIGH' }));
    },
    headline:
      '❌ build-push failed: the scan gate failed: ml/model@sha256:1234abcd… has 1 CRITICAL, 2 HIGH at or above HIGH',
    cause: 'CRITICAL CVE-2024-6387 in openssh 9.2p1',
    never: 'pushed to ECR',
  },
  {
    name: 'build-push cancelled',
    summary: async () => md('build-push', failureResultOf(new Cancelled('SIGINT'), buildInputs)),
    headline:
      '⚠️ build-push cancelled: building and pushing ml/model stopped: Cancelled by the runner (SIGINT)',
    cause: 'Cancelled by the runner (SIGINT)',
  },
  {
    name: 'deploy-ecs deployed',
    summary: async () =>
      md(
        'deploy-ecs',
        await ecsRun([snapshot(TD(2), [mine({ rolloutState: 'COMPLETED', runningCount: 1 })])]),
      ),
    headline: '✅ deploy-ecs succeeded: default/web: Deployment ecs-svc/2 of web:2 completed',
  },
  {
    name: 'deploy-ecs rolled back by the circuit breaker',
    summary: async () => md('deploy-ecs', await ecsRun(circuitBreakerRollback())),
    headline:
      '❌ deploy-ecs rolled back: default/web runs web:1 again; web:2 failed: 1 task stopped: EssentialContainerExited',
    cause: 'OutOfMemoryError: Container killed due to memory usage',
  },
  {
    name: 'deploy-ecs failed, rollback off',
    summary: async () =>
      md(
        'deploy-ecs',
        await ecsRun(
          [snapshot(TD(2), [mine({ rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' })])],
          {
            rollbackOnFailure: false,
          },
        ),
      ),
    headline:
      '❌ deploy-ecs failed: default/web: Deployment ecs-svc/2 of web:2 failed: tasks failed to start',
    cause: 'tasks failed to start',
  },
  {
    name: 'deploy-ecs cancelled while following',
    summary: async () => {
      const { ports, journal } = ecsSetUp([snapshot(TD(2), [mine()])]);
      await deployToEcs(ecsInputs({ wait: false }), ports, journal);
      recordFailure(journal, new Cancelled('SIGINT'));
      return md('deploy-ecs', ecsResultOf(journal));
    },
    headline: '⚠️ deploy-ecs cancelled: default/web: Cancelled by the runner (SIGINT)',
    cause: 'Deployment ecs-svc/2 of web:2 on default/web was in progress; ECS goes on with it.',
  },
  {
    name: 'deploy-ecs started, not followed',
    summary: async () => md('deploy-ecs', await ecsRun([snapshot(TD(2), [mine()])], { wait: false })),
    headline: '⚠️ deploy-ecs started, not followed: default/web: Deployment ecs-svc/2 of web:2 started',
  },
  {
    name: 'deploy-beanstalk deployed',
    summary: () => beanstalkRun(beanstalkSucceeds),
    headline: '✅ deploy-beanstalk succeeded:',
  },
  {
    name: 'deploy-beanstalk rolled back',
    summary: () => beanstalkRun(updateFailsWithAnError),
    headline:
      '❌ deploy-beanstalk rolled back: Deploying v1 to prod-env failed: Elastic Beanstalk reported an error: Instance deployment failed. (i-1); prod-env runs v0 again',
    cause: 'Command failed on all instances.',
  },
  {
    name: 'deploy-beanstalk failed: superseded, not rolled back',
    summary: () =>
      beanstalkRun(() => {
        eb.on(DescribeEnvironmentsCommand)
          .resolvesOnce({ Environments: [ebEnvironment({})] })
          .resolvesOnce({ Environments: [ebEnvironment({})] })
          .resolvesOnce({ Environments: [ebEnvironment({ Status: 'Updating', VersionLabel: 'v1' })] })
          .resolves({ Environments: [ebEnvironment({ VersionLabel: 'v7' })] });
        eb.on(DescribeEventsCommand).resolves({ Events: [] });
      }),
    headline:
      '❌ deploy-beanstalk failed: Deploying v1 to prod-env failed: the update ended with the environment running v7',
    cause: 'superseded by version v7',
  },
  {
    name: 'sync-dags synced',
    summary: async () => {
      const source = makeTree({ 'etl.py': 'x = 1\n', 'train.py': 'y = 2\n' });
      return md('sync-dags', await syncRun(syncDags(syncInputs(source), syncPorts(fakeBucket()))));
    },
    headline: '✅ sync-dags succeeded: s3://airflow-prod/dags/ is in sync with the DAGs folder: 2 uploaded',
  },
  {
    name: 'sync-dags: a DAG that does not compile',
    summary: async () => {
      const source = makeTree({ 'good.py': 'x = 1\n', 'bad.py': 'def broken(:\n' });
      const problem = { file: join(source, 'bad.py'), line: 1, message: 'SyntaxError: invalid syntax' };
      const tool: RunTool = async () => ({ exitCode: 0, stdout: `${JSON.stringify(problem)}\n`, stderr: '' });
      const ports = syncPorts(fakeBucket(), undefined, tool);
      const result = await syncRun(syncDags(syncInputs(source, { validate: { kind: 'syntax' } }), ports));
      const text = md('sync-dags', result);
      expect(renderSummary(text).text).toContain('validation: failed: 1 of 2 DAG .py files does not compile');
      expect(text).not.toContain('did not run');
      return text;
    },
    headline:
      '❌ sync-dags failed: 1 of 2 DAG .py files does not compile; nothing was uploaded; nothing in s3://airflow-prod/dags/ was changed',
    cause: 'bad.py:1: SyntaxError: invalid syntax',
  },
  {
    name: 'sync-dags: the MWAA update fails',
    summary: async () => {
      const root = makeTree({ 'dags/dag.py': 'x\n', 'requirements.txt': 'nope==0\n' });
      const error = { ErrorCode: 'INCORRECT_CONFIGURATION', ErrorMessage: 'could not install nope==0' };
      const environment = fakeEnvironment(available, [
        { Status: 'UPDATING', LastUpdate: { Status: 'PENDING', CreatedAt: new Date(2000) } },
        {
          Status: 'UPDATE_FAILED',
          LastUpdate: { Status: 'FAILED', CreatedAt: new Date(2000), Error: error },
        },
      ]);
      const bucket = fakeBucket({ versioned: true });
      bucket.put('dags/dag.py', Buffer.from('x\n'));
      const mwaa = { environment: 'env', waitForEnvironment: true, timeoutMs: 60 * 60_000 };
      const inputs = syncInputs(join(root, 'dags'), { requirements: join(root, 'requirements.txt'), mwaa });
      const text = md('sync-dags', await syncRun(syncDags(inputs, syncPorts(bucket, environment.mwaa))));
      expect(text).not.toContain('Every file was already up to date.');
      return text;
    },
    headline: '❌ sync-dags failed: MWAA environment env update failed (UPDATE_FAILED)',
    cause: 'INCORRECT_CONFIGURATION: could not install nope==0',
  },
  {
    name: 'sync-dags cancelled',
    summary: async () => {
      const outcome = { ...emptyOutcome('/ws/dags', BUCKET, 'dags/', false), status: 'cancelled' as const };
      outcome.leftInFlight = inFlight(outcome);
      const failure = new DeployFailed(
        'Cancelled by the runner (SIGTERM)',
        outcome.leftInFlight,
        'cancelled',
      );
      return md('sync-dags', syncResultOf(outcome, failure));
    },
    headline: '⚠️ sync-dags cancelled: s3://airflow-prod/dags/: cancelled by the runner, nothing in',
    cause: 'Nothing was changed in S3 or MWAA.',
  },
  {
    name: 'any action: bad input, before any work',
    summary: async () =>
      md('deploy-ecs', resultOfFailure('deploy-ecs', new InputError('wait-for-minutes', 'must be a number'))),
    headline: "❌ deploy-ecs failed: deploy-ecs did not start: input 'wait-for-minutes' must be a number",
    cause: "Input 'wait-for-minutes' must be a number",
  },
];

test('at least twelve scenarios, success and failure of each action among them', () => {
  expect(scenarios.length).toBeGreaterThanOrEqual(12);
  for (const action of ['build-push', 'deploy-ecs', 'deploy-beanstalk', 'sync-dags']) {
    const mine = scenarios.filter((s) => s.headline.includes(` ${action} `));
    expect(mine.some((s) => s.headline.startsWith('✅'))).toBe(true);
    expect(mine.some((s) => s.headline.startsWith('❌'))).toBe(true);
  }
});

describe.each(scenarios)('$name', (scenario) => {
  let rendered: ReturnType<typeof renderSummary>;
  beforeAll(async () => {
    rendered = renderSummary(await scenario.summary());
  });

  it('opens with its icon and verdict as a heading', () => {
    expect(rendered.firstBlock).toBe('heading_open');
    expect(rendered.headline.startsWith(scenario.headline)).toBe(true);
    if (scenario.never !== undefined) expect(rendered.headline).not.toContain(scenario.never);
  });

  it('says the cause in a quote above the first table', () => {
    if (scenario.cause === undefined) {
      expect(rendered.quote).toBeUndefined();
      return;
    }
    expect(rendered.quote).toContain(scenario.cause);
    if (rendered.tableAt >= 0) expect(rendered.quoteAt).toBeLessThan(rendered.tableAt);
  });

  it('has no table with an empty header cell', () => {
    for (const header of rendered.tableHeaders) expect(header.every((cell) => cell.trim() !== '')).toBe(true);
  });

  it('shows no digest in full outside a title or a details block', () => {
    const visible = rendered.html.replace(/title="[^"]*"/g, '').replace(/<details>[\s\S]*?<\/details>/g, '');
    expect(visible).not.toMatch(/sha256:[a-f0-9]{64}/);
  });
});
