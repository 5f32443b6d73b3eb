/**
 * The GitHub deployment deploy-beanstalk records around an environment update, with an in-memory
 * GitHub: when it starts, how each outcome ends it, and that GitHub's failures never fail the deploy.
 */
import {
  DescribeApplicationVersionsCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DeployFailed } from '@deploy-suite/kit';
import { deploy } from './beanstalk-fixture';
import {
  eb,
  environment,
  existingApplication,
  harness,
  inputs,
  s3,
  labelHoldsAnotherBundle,
  updateFailsWithAnError,
} from './beanstalk-fixture';

const TOKEN = 'ghs_unitToken';
const recorded = { ...inputs, github: { token: TOKEN, environment: 'production-beanstalk' } };

beforeEach(() => {
  eb.reset();
  s3.reset();
});

/** The update to v1 goes through: Ready and Green on v1 at the first look. */
function updateSucceeds(): void {
  eb.on(DescribeEnvironmentsCommand)
    .resolvesOnce({ Environments: [environment({})] })
    .resolvesOnce({ Environments: [environment({})] })
    .resolves({ Environments: [environment({ VersionLabel: 'v1' })] });
  eb.on(DescribeEventsCommand).resolves({ Events: [] });
}

test('a healthy deploy: created before the upload, in progress, then success with the environment URL', async () => {
  existingApplication();
  updateSucceeds();
  const { ports, outputs, github } = harness();
  let statusesAtUpload: number | undefined;
  s3.on(PutObjectCommand).callsFake(() => {
    statusesAtUpload = github.deployments[0]?.statuses.length;
    return { ETag: '"x"' };
  });

  await deploy(recorded, ports);

  expect(outputs.status).toBe('succeeded');
  expect(statusesAtUpload).toBe(1);
  expect(github.tokens).toEqual([TOKEN]);
  expect(github.deployments).toHaveLength(1);
  const [deployment] = github.deployments;
  expect(deployment?.deployment).toMatchObject({
    environment: 'production-beanstalk',
    description: 'v1 to insurance/prod-env',
    task: 'deploy',
    productionEnvironment: true,
    payload: { application: 'insurance', environment: 'prod-env', 'version-label': 'v1' },
  });
  expect(deployment?.statuses.map((s) => [s.state, s.description, s.environmentUrl])).toEqual([
    ['in_progress', 'Deploying', undefined],
    ['success', 'Deployed', 'http://prod-env.example.com'],
  ]);
});

test('an existing version: the deployment starts just before the update', async () => {
  existingApplication();
  eb.on(DescribeApplicationVersionsCommand, { ApplicationName: 'insurance', MaxRecords: 1000 }).resolves({
    ApplicationVersions: [{ VersionLabel: 'v1' }, { VersionLabel: 'v0' }],
  });
  updateSucceeds();
  const { ports, github } = harness();
  await deploy({ ...recorded, source: { kind: 'existing-version' } }, ports);
  expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  expect(github.deployments[0]?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
});

test('rollback-to: recorded as a rollback to that version', async () => {
  existingApplication();
  updateSucceeds();
  const { ports, github } = harness();
  await deploy(
    { ...recorded, source: { kind: 'existing-version' }, rollbackTo: { kind: 'version', label: 'v1' } },
    ports,
  );
  const [deployment] = github.deployments;
  expect(deployment?.deployment).toMatchObject({
    description: 'Roll back insurance/prod-env to v1',
    task: 'deploy:rollback',
  });
  expect(deployment?.statuses.map((s) => [s.state, s.description])).toEqual([
    ['in_progress', 'Rolling back'],
    ['success', 'Rolled back'],
  ]);
});

test('rolled back: failure, saying so with the ERROR event', async () => {
  existingApplication();
  updateFailsWithAnError();
  const { ports, outputs, github } = harness();
  await expect(deploy(recorded, ports)).rejects.toBeInstanceOf(DeployFailed);
  expect(outputs.status).toBe('rolled-back');
  expect(github.deployments[0]?.statuses.map((s) => [s.state, s.description])).toEqual([
    ['in_progress', 'Deploying'],
    ['failure', 'Rolled back: event: Instance deployment failed. (i-1)'],
  ]);
});

test('failed and not rolled back: failure with the verdict', async () => {
  existingApplication();
  updateFailsWithAnError();
  const { ports, github } = harness();
  await expect(deploy({ ...recorded, rollbackOnFailure: false }, ports)).rejects.toThrow('not rolled back');
  expect(github.deployments[0]?.statuses.at(-1)).toMatchObject({
    state: 'failure',
    description: expect.stringMatching(
      /^Failed: Deploying v1 to prod-env failed: Elastic Beanstalk reported an error: Instance deployment failed/,
    ),
  });
});

test.each([
  ['no token', { ...recorded, github: { token: '', environment: 'production-beanstalk' } }],
  ['a version only (no environment-name)', { ...recorded, environment: undefined }],
])('%s: nothing is recorded and GitHub is never called', async (_name, given) => {
  existingApplication();
  updateSucceeds();
  const { ports, outputs, github } = harness();
  await deploy(given, ports);
  expect(outputs.status).toBe('succeeded');
  expect(github.tokens).toEqual([]);
});

test('a refusal before any change (a label holding another bundle) records nothing', async () => {
  existingApplication();
  labelHoldsAnotherBundle();
  const { ports, github } = harness();
  await expect(deploy(recorded, ports)).rejects.toThrow('Cannot use version v1');
  expect(github.deployments).toEqual([]);
});

test('a GitHub that refuses every call: a warning, and the deploy succeeds all the same', async () => {
  existingApplication();
  updateSucceeds();
  const { ports, outputs, log, github } = harness();
  github.refuse(new Error('Bad credentials'));
  await deploy(recorded, ports);
  expect(outputs.status).toBe('succeeded');
  expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([
    'warning: Could not create a GitHub deployment for production-beanstalk: Bad credentials',
  ]);
});
