import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputs } from '../../../actions/deploy-beanstalk/src/inputs';
import { errorOf, inputsOf } from '../../support/inputs';

const work = mkdtempSync(join(tmpdir(), 'deploy-beanstalk-'));
writeFileSync(join(work, 'app.zip'), 'PK');
const defaults = {
  'application-name': 'insurance',
  'container-port': '8080',
  wait: 'true',
  'timeout-minutes': '30',
  'healthy-states': 'Green',
  'rollback-on-failure': 'true',
  'keep-versions': '0',
  'health-grace-seconds': '60',
};
const env = { GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567', GITHUB_RUN_ATTEMPT: '2' };
const read = (overrides: Record<string, string>) => readInputs(inputsOf({ ...defaults, ...overrides }), env);

test('the default label is the short SHA plus the run attempt', () => {
  expect(read({}).versionLabel).toBe('0123456-2');
});

test('an image becomes the source with its port', () => {
  expect(read({ image: 'repo.example/model:v1', 'container-port': '9000' }).source).toEqual({
    kind: 'image',
    image: 'repo.example/model:v1',
    containerPort: 9000,
  });
});

test('healthy states are case-insensitive', () => {
  expect(read({ 'healthy-states': 'green, YELLOW' }).healthyStates).toEqual(['Green', 'Yellow']);
});

test.each([
  [
    { image: 'r/m:1', 'deployment-package': join(work, 'app.zip') },
    "Input 'deployment-package' cannot be combined with image",
  ],
  [
    { 'deployment-package': join(work, 'missing.zip') },
    "Input 'deployment-package' must name an existing file or directory",
  ],
  [{ 'version-label': 'a/b' }, "Input 'version-label' must not contain '/'; got 'a/b'"],
  [
    { 'version-label': 'x'.repeat(101) },
    `Input 'version-label' must be 1-100 characters without '/' or control characters; got '${'x'.repeat(101)}'`,
  ],
  [
    { 'version-label': 'y'.repeat(300) },
    `Input 'version-label' must be 1-100 characters without '/' or control characters; got '${'y'.repeat(120)}… (300 characters)'`,
  ],
  [{ 'version-label': 'v1\u001b[31m' }, "Input 'version-label' must not contain control characters"],
  [{ 'application-name': 'team/app' }, "Input 'application-name' must not contain '/'; got 'team/app'"],
  [{ 'application-name': 'a'.repeat(101) }, "Input 'application-name' must be 1-100 characters"],
  [{ 'environment-name': '-prod' }, "Input 'environment-name' must be 4-40 letters, digits and hyphens"],
  [{ 'version-description': 'd'.repeat(201) }, "Input 'version-description' must be at most 200 characters"],
  [{ bucket: 'My_Bucket' }, "Input 'bucket' must be an S3 bucket name"],
  [
    { 'environment-name': 'prod-env', 'rollback-to': 'a/b' },
    "Input 'rollback-to' must be previous or a version label (not contain '/')",
  ],
  [{ 'healthy-states': 'Green,Blue' }, "Input 'healthy-states' accepts Green and Yellow; got 'Blue'"],
  [{ 'healthy-states': 'Red' }, "Input 'healthy-states' accepts Green and Yellow; got 'Red'"],
  [{ 'environment-name': 'ab' }, "Input 'environment-name' must be 4-40 letters"],
  [{ 'rollback-to': 'previous' }, "Input 'rollback-to' needs environment-name"],
  [
    { 'environment-name': 'prod-env', 'rollback-to': 'previous', image: 'r/m:1' },
    "Input 'rollback-to' redeploys an existing version",
  ],
  [{ 'keep-versions': '-2' }, "Input 'keep-versions' must be from 0 to 1000; got -2"],
  [{ image: 'r/m:-x' }, "Input 'image' has an invalid tag '-x'"],
  [{ 'application-name': '' }, "Input 'application-name' is required and was empty"],
])('%p fails: %s', (overrides, message) => {
  expect(errorOf(() => read(overrides))).toContain(`InputError: ${message}`);
});

test.each([
  [{ 'environment-name': 'prod-env' }, { token: '', environment: 'prod-env' }],
  [
    { 'environment-name': 'prod-env', 'github-token': 'ghs_x' },
    { token: 'ghs_x', environment: 'prod-env' },
  ],
  [
    { 'environment-name': 'prod-env', 'github-token': 'ghs_x', 'github-environment': 'production-beanstalk' },
    { token: 'ghs_x', environment: 'production-beanstalk' },
  ],
  [{ 'github-token': 'ghs_x' }, { token: 'ghs_x', environment: '' }],
])('GitHub deployment inputs %p read as %p', (overrides, github) => {
  expect(read(overrides).github).toEqual(github);
});
