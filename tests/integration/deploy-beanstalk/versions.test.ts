import { createHash } from 'node:crypto';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { zipNames } from '../../unit/deploy-beanstalk/zip-names';
import { APP, appFolder, BeanstalkStack, errorOf, SHA } from './beanstalk-stack';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/model:2.0.0';
const LABEL = `${SHA.slice(0, 7)}-1`;
let sim: BeanstalkStack;
jest.setTimeout(90_000);

beforeAll(async () => {
  sim = await BeanstalkStack.start();
}, 60_000);

afterAll(async () => {
  await sim?.stop();
});

test('a re-run of the same commit reuses the version its first attempt made', async () => {
  await sim.fresh('healthy');
  const first = await sim.deploy({ image: IMAGE });
  expect(first.outputs).toMatchObject({ 'version-label': LABEL, status: 'succeeded' });

  await sim.stack.simulator.clearCalls();
  const rerun = await sim.deploy({ image: IMAGE }, { GITHUB_RUN_ATTEMPT: '2' });
  expect(rerun.exitCode).toBe(0);
  expect(rerun.outputs).toMatchObject({ 'version-label': LABEL, status: 'succeeded' });
  expect(rerun.stdout).toContain(`Reusing version ${LABEL}: it holds the same bundle`);
  expect(rerun.stdout).toContain(`already runs ${LABEL}`);
  expect(await sim.calls('CreateApplicationVersion')).toHaveLength(0);
  expect(await sim.calls('UpdateEnvironment')).toHaveLength(0);
  expect(await sim.s3Writes()).toHaveLength(0);
});

test('a re-run whose bundle changed gets its own label from the run attempt', async () => {
  await sim.fresh('healthy');
  expect((await sim.deploy({ image: IMAGE })).exitCode).toBe(0);
  const rerun = await sim.deploy({ image: `${IMAGE}-patched` }, { GITHUB_RUN_ATTEMPT: '2' });
  expect(rerun.outputs).toMatchObject({
    'version-label': `${SHA.slice(0, 7)}-2`,
    'previous-version-label': LABEL,
  });
});

test('the same label with a different bundle fails naming both checksums, before uploading', async () => {
  await sim.fresh('healthy');
  expect((await sim.deploy({ image: IMAGE, 'version-label': 'release-7' })).exitCode).toBe(0);
  const existing = (await sim.versions()).find((v) => v.VersionLabel === 'release-7')?.Description ?? '';
  await sim.stack.simulator.clearCalls();

  const result = await sim.deploy({ image: `${IMAGE}-other`, 'version-label': 'release-7' });
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('failed');
  const [, existingMd5] = /md5 ([0-9a-f]{32})/.exec(existing) ?? [];
  expect(errorOf(result)).toMatch(
    new RegExp(
      `release-7 exists with a different bundle: existing md5 ${existingMd5}, this bundle md5 [0-9a-f]{32}`,
    ),
  );
  expect(await sim.s3Writes()).toHaveLength(0);
  expect(await sim.calls('CreateApplicationVersion')).toHaveLength(0);
  expect(await sim.calls('UpdateEnvironment')).toHaveLength(0);
});

test('a folder is zipped deterministically, honouring .ebignore, and the same folder is the same version', async () => {
  await sim.fresh('healthy');
  const files = {
    'server.js': 'require("http").createServer((q, s) => s.end("ok")).listen(8080);\n',
    'package.json': '{"name":"model-server"}\n',
    '.ebignore': 'tests/\n*.log\n',
    'tests/a.test.js': 'test()\n',
    'debug.log': 'noise\n',
  };
  const one = await sim.deploy(
    { 'deployment-package': 'app', 'version-label': 'folder-1' },
    {},
    appFolder(files),
  );
  expect(one.exitCode).toBe(0);
  const two = await sim.deploy(
    { 'deployment-package': 'app', 'version-label': 'folder-1' },
    {},
    appFolder(files),
  );
  expect(two.exitCode).toBe(0);
  expect(two.stdout).toContain('Reusing version folder-1: it holds the same bundle');

  const version = (await sim.versions()).find((v) => v.VersionLabel === 'folder-1');
  const object = await sim.s3.send(
    new GetObjectCommand({ Bucket: version?.SourceBundle?.S3Bucket, Key: version?.SourceBundle?.S3Key }),
  );
  const bytes = Buffer.from(await object.Body!.transformToByteArray());
  const names = bytes.toString('latin1');
  expect(names).toContain('server.js');
  expect(names).not.toContain('a.test.js');
  expect(names).not.toContain('debug.log');
  expect(version?.Description).toContain(createHash('md5').update(bytes).digest('hex'));
});

// The EB CLI matches every file against the whole .ebignore (pathspec gitwildmatch, file by file:
// ebcli/core/fileoperations.py get_ebignore_list), so `!` lines re-include files under folders
// that `*` excluded. Links stay inside the workspace or are left out with a warning.
test('a whitelist .ebignore bundles exactly the files its ! lines name; links leaving the workspace are left out', async () => {
  await sim.fresh('healthy');
  const workspace = appFolder({
    '.ebignore':
      '# only what the platform needs\n*\n!Dockerrun.aws.json\n!.ebextensions/**\n!docker/**\n!target/*.jar\n',
    'Dockerrun.aws.json': '{"AWSEBDockerrunVersion":"1","Image":{"Name":"model"}}\n',
    '.ebextensions/01-env.config': 'option_settings:\n  - option_name: MODEL\n    value: v2\n',
    'docker/Dockerfile': 'FROM scratch\n',
    'docker/entry/start.sh': 'exec /model\n',
    'target/model.jar': 'jar bytes',
    'target/classes/Model.class': 'class bytes',
    'src/Model.java': 'class Model {}\n',
    'README.md': '# model\n',
    '../shared/docker/healthcheck.sh': 'exit 0\n',
  });
  const outside = mkdtempSync(join(tmpdir(), 'deploy-beanstalk-outside-'));
  writeFileSync(join(outside, 'credentials'), 'not for the bundle');
  symlinkSync('../../shared/docker/healthcheck.sh', join(workspace, 'app', 'docker', 'healthcheck.sh'));
  symlinkSync(join(outside, 'credentials'), join(workspace, 'app', 'docker', 'credentials'));

  const result = await sim.deploy(
    { 'deployment-package': 'app', 'version-label': 'whitelist-1' },
    {},
    workspace,
  );
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toContain(
    'Left docker/credentials out of the bundle: it is a link that leads outside',
  );

  const version = (await sim.versions()).find((v) => v.VersionLabel === 'whitelist-1');
  const object = await sim.s3.send(
    new GetObjectCommand({ Bucket: version?.SourceBundle?.S3Bucket, Key: version?.SourceBundle?.S3Key }),
  );
  const bytes = Buffer.from(await object.Body!.transformToByteArray());
  expect(zipNames(bytes)).toEqual([
    '.ebextensions/01-env.config',
    'Dockerrun.aws.json',
    'docker/Dockerfile',
    'docker/entry/start.sh',
    'docker/healthcheck.sh',
    'target/model.jar',
  ]);
  expect(bytes.includes('not for the bundle')).toBe(false);
});

test('keep-versions 3 leaves the 3 newest plus every deployed version', async () => {
  await sim.fresh('healthy');
  for (const [i, label] of ['v1', 'v2', 'v3', 'v4', 'v5', 'v6'].entries()) {
    await sim.seed({ ApplicationName: APP, VersionLabel: label, CreatedSecondsAgo: 600 - i * 60 });
  }
  await sim.seed({ ApplicationName: APP, EnvironmentName: 'insurance-staging', VersionLabel: 'v2' });
  expect((await sim.deploy({ 'rollback-to': 'v6' })).exitCode).toBe(0);

  const result = await sim.deploy({ image: IMAGE, 'version-label': 'v7', 'keep-versions': '3' });
  expect(result.exitCode).toBe(0);
  const left = (await sim.versions()).map((v) => v.VersionLabel).sort();
  expect(left).toEqual(['v2', 'v5', 'v6', 'v7']);
  expect(result.summary).toContain('v0, v1, v3, v4');
});

test('without an environment only the version is created', async () => {
  await sim.fresh('healthy');
  const result = await sim.deploy({ image: IMAGE, 'version-label': 'candidate', 'environment-name': '' });
  expect(result.exitCode).toBe(0);
  expect(result.outputs).toEqual({ 'version-label': 'candidate', status: 'succeeded' });
  expect((await sim.versions()).find((v) => v.VersionLabel === 'candidate')?.Status).toBe('Processed');
  expect(await sim.calls('UpdateEnvironment')).toHaveLength(0);
});

test('wait: false starts the update and stops', async () => {
  await sim.fresh('slow');
  const result = await sim.deploy({ image: IMAGE, 'version-label': 'v1', wait: 'false' });
  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({ status: 'started', 'previous-version-label': 'v0' });
  expect(await sim.environment()).toMatchObject({ Status: 'Updating' });
});

describe('bad inputs fail before any call to AWS', () => {
  const workspace = appFolder({ 'app.zip': 'PK' });
  test.each([
    [
      { image: IMAGE, 'deployment-package': 'app/app.zip' },
      "Input 'deployment-package' cannot be combined with image",
    ],
    [
      { 'deployment-package': 'missing.zip' },
      "Input 'deployment-package' must name an existing file or directory",
    ],
    [
      { image: IMAGE, 'version-label': 'bad/label' },
      "Input 'version-label' must not contain '/'; got 'bad/label'",
    ],
    [
      { image: IMAGE, 'version-label': 'v1\u0007bell' },
      "Input 'version-label' must not contain control characters",
    ],
    [
      { image: IMAGE, 'version-description': 'd'.repeat(201) },
      "Input 'version-description' must be at most 200 characters",
    ],
    [
      { image: IMAGE, 'environment-name': 'prod_env' },
      "Input 'environment-name' must be 4-40 letters, digits and hyphens",
    ],
    [
      { image: IMAGE, 'healthy-states': 'Green,Blue' },
      "Input 'healthy-states' accepts Green and Yellow; got 'Blue'",
    ],
  ])('%p', async (inputs, message) => {
    await sim.stack.simulator.reset();
    const result = await sim.deploy(inputs, {}, workspace);
    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toContain(message);
    expect(await sim.stack.simulator.calls()).toEqual([]);
  });
});

test('a missing environment fails before anything is uploaded', async () => {
  await sim.fresh('healthy');
  const result = await sim.deploy({ image: IMAGE, 'environment-name': 'insurance-nope' });
  expect(result.exitCode).toBe(1);
  expect(errorOf(result)).toContain(`Environment insurance-nope does not exist in application ${APP}`);
  expect(await sim.s3Writes()).toHaveLength(0);
});
