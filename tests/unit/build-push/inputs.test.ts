import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputs, secretLikeBuildArgs } from '../../../actions/build-push/src/inputs';
import { errorOf, inputsOf } from '../../support/inputs';

const work = mkdtempSync(join(tmpdir(), 'build-push-'));
writeFileSync(join(work, 'Dockerfile'), 'FROM scratch\n');
mkdirSync(join(work, 'nofile'));
const defaults = {
  repository: 'ml/insurance-charges',
  context: work,
  tags: 'v1\nlatest',
  engine: 'auto',
  push: 'true',
  'tag-mutability': 'MUTABLE',
  cache: 'true',
  provenance: 'false',
  'scan-timeout-minutes': '10',
  'build-timeout-minutes': '60',
};
const read = (overrides: Record<string, string>, env: NodeJS.ProcessEnv = {}) =>
  readInputs(inputsOf({ ...defaults, ...overrides }, { GITHUB_WORKSPACE: work }), env);

test('defaults: Dockerfile in the context, tags as given, no gate', () => {
  const inputs = read({});
  expect(inputs.file).toBe(join(work, 'Dockerfile'));
  expect(inputs.tags).toEqual(['v1', 'latest']);
  expect(inputs.failOnSeverity).toBeUndefined();
  expect(inputs.scanTimeoutMs).toBe(600_000);
  expect(inputs.buildTimeoutMs).toBe(3_600_000);
  expect(Object.isFrozen(inputs)).toBe(true);
});

test('no tags falls back to the commit SHA', () => {
  expect(read({ tags: '' }, { GITHUB_SHA: 'abc123' }).tags).toEqual(['abc123']);
});

test('secrets stay apart from build args', () => {
  const inputs = read({ 'build-args': 'MODEL=v2', secrets: 'hf_token=abc=def' });
  expect([...inputs.buildArgs]).toEqual([['MODEL', 'v2']]);
  expect([...inputs.secrets]).toEqual([['hf_token', 'abc=def']]);
});

test.each([
  [{ repository: '' }, "Input 'repository' is required and was empty"],
  [{ repository: 'ML/Model' }, "Input 'repository' must be an ECR repository name"],
  [{ repository: 'a//b' }, "Input 'repository' must be an ECR repository name"],
  [{ context: join(work, 'nofile') }, "Input 'file' must name an existing file"],
  [{ file: 'nope/Dockerfile' }, "Input 'file' must name an existing file; 'nope/Dockerfile' does not exist"],
  [{ tags: 'v1\n-bad' }, "Input 'tags' has '-bad', which is not a valid tag"],
  [{ tags: '' }, "Input 'tags' is empty and GITHUB_SHA is not set"],
  [{ engine: 'podman' }, "Input 'engine' must be one of auto, docker, buildah; got 'podman'"],
  [
    { 'fail-on-severity': 'severe' },
    "Input 'fail-on-severity' must be one of CRITICAL, HIGH, MEDIUM, LOW or empty; got 'SEVERE'",
  ],
  [{ platforms: 'amd64' }, "Input 'platforms' has 'amd64', expected os/arch such as linux/amd64"],
  [{ secrets: 'bad id=1' }, "Input 'secrets' has an invalid secret id 'bad id'"],
  [{ push: 'yes' }, "Input 'push' must be true or false; got 'yes'"],
  // Values that would read as options of the builder are refused, naming the input.
  [{ target: '--help' }, "Input 'target' has '--help', which is not a build stage name"],
  [{ target: '-o' }, "Input 'target' has '-o', which is not a build stage name"],
  [{ tags: '--push' }, "Input 'tags' has '--push', which is not a valid tag"],
  [{ platforms: '--output=type=tar' }, "Input 'platforms' has '--output=type=tar', expected os/arch"],
  [{ secrets: '--mount=x' }, "Input 'secrets' has an invalid secret id '--mount'"],
  // ECR's limits (API reference: repositoryName 2-256 with its pattern; imageTag up to 128;
  // service quotas: 1,000 tags per image), refused before anything in AWS is asked.
  [{ repository: 'a' }, "Input 'repository' must be an ECR repository name"],
  [{ repository: `ml/${'m'.repeat(254)}` }, "Input 'repository' must be an ECR repository name"],
  [{ repository: '-ml/model' }, "Input 'repository' must be an ECR repository name"],
  [{ tags: `v${'1'.repeat(128)}` }, `Input 'tags' has 'v${'1'.repeat(128)}', which is not a valid tag`],
  [
    { tags: Array.from({ length: 1001 }, (_, i) => `t${i}`).join('\n') },
    "Input 'tags' has 1001 tags; ECR keeps at most 1000",
  ],
])('%p fails: %s', (overrides, message) => {
  expect(errorOf(() => read(overrides))).toContain(`InputError: ${message}`);
});

test('severity is case-insensitive', () => {
  expect(read({ 'fail-on-severity': 'high' }).failOnSeverity).toBe('HIGH');
});

test.each([
  ['a stage name in any case', { target: 'Serve-2.gpu_x' }, 'Serve-2.gpu_x'],
  ['256 characters of repository name', { repository: `ml/${'m'.repeat(253)}` }, undefined],
])('accepted: %s', (_name, overrides, target) => {
  expect(read(overrides).target).toBe(target);
});

test.each<[string, boolean]>([
  ['NPM_TOKEN', true],
  ['hf_token', true],
  ['DB_PASSWORD', true],
  ['MYSQL_PASSWD', true],
  ['CLIENT_SECRET', true],
  ['AWS_SECRET_ACCESS_KEY', true],
  ['API_KEY', true],
  ['apiKey', true],
  ['SSH_PRIVATE_KEY', true],
  ['GOOGLE_APPLICATION_CREDENTIALS', true],
  ['MODEL_VERSION', false],
  ['MONKEY', false],
  ['KEYBOARD_LAYOUT', false],
  ['PYTHON_VERSION', false],
])('a build arg named %s looks like a credential: %s', (name, expected) => {
  expect(secretLikeBuildArgs(new Map([[name, 'x']]))).toEqual(expected ? [name] : []);
});

test.each([
  ['0.5', 30_000],
  ['0.1', 6_000],
  ['360', 21_600_000],
])('build-timeout-minutes %s is %d ms', (value, ms) => {
  expect(read({ 'build-timeout-minutes': value }).buildTimeoutMs).toBe(ms);
});

test.each(['0', '0.05', '361', 'an hour'])(
  'build-timeout-minutes %s is refused, naming the input',
  (value) => {
    expect(() => read({ 'build-timeout-minutes': value })).toThrow(/^Input 'build-timeout-minutes' /);
  },
);
