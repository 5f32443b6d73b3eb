import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputs } from '../../../actions/deploy-ecs/src/inputs';
import { errorOf, inputsOf } from '../../support/inputs';

const work = mkdtempSync(join(tmpdir(), 'deploy-ecs-'));
const file = (name: string, text: string) => {
  writeFileSync(join(work, name), text);
  return join(work, name);
};
const json = file('td.json', JSON.stringify({ family: 'web', containerDefinitions: [{ name: 'model' }] }));
const yamlFile = file('td.yaml', 'family: web\ncontainerDefinitions:\n  - name: model\n    image: x:1\n');
const badJson = file(
  'bad.json',
  '{\n  "family": "web",\n  "containerDefinitions": [\n    { "name": "model" \n  ]\n}\n',
);
const list = file('list.json', '[1, 2]');
const defaults = {
  cluster: 'default',
  'force-new-deployment': 'false',
  wait: 'true',
  'timeout-minutes': '30',
  'rollback-on-failure': 'true',
  'run-task': 'false',
  'run-task-launch-type': 'FARGATE',
};
const read = (overrides: Record<string, string>) =>
  readInputs(inputsOf({ ...defaults, ...overrides }, { GITHUB_WORKSPACE: work }));
const DIGEST = `sha256:${'0'.repeat(64)}`;

test('JSON and YAML task definitions parse to the same shape', () => {
  expect(read({ 'task-definition': json }).taskDefinition?.document).toEqual({
    family: 'web',
    containerDefinitions: [{ name: 'model' }],
  });
  expect(read({ 'task-definition': yamlFile }).taskDefinition?.document).toMatchObject({ family: 'web' });
});

test('a service alone uses its current task definition as the template', () => {
  const inputs = read({ service: 'web', 'container-name': 'model, sidecar', image: `repo@${DIGEST}` });
  expect(inputs.taskDefinition).toBeUndefined();
  expect(inputs.containerNames).toEqual(['model', 'sidecar']);
  expect(inputs.timeoutMs).toBe(30 * 60_000);
});

test('empty environment values are kept', () => {
  const inputs = read({ service: 'web', 'environment-variables': 'A=1\nEMPTY=' });
  expect([...inputs.environment]).toEqual([
    ['A', '1'],
    ['EMPTY', ''],
  ]);
});

test.each([
  ['previous', { kind: 'previous' }],
  ['web:7', { kind: 'task-definition', ref: 'web:7' }],
  [
    'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7',
    { kind: 'task-definition', ref: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7' },
  ],
])('rollback-to %s', (value, target) => {
  expect(read({ service: 'web', 'rollback-to': value }).rollbackTo).toEqual(target);
});

test.each([
  [{}, "Input 'task-definition' is required when no service is given"],
  [{ 'task-definition': join(work, 'missing.json') }, "Input 'task-definition' must name an existing file"],
  [{ 'task-definition': badJson }, "Input 'task-definition' is not valid JSON or YAML at line 5"],
  [{ 'task-definition': list }, "Input 'task-definition' must hold a task definition object"],
  [{ service: 'web', image: 'repo' }, "Input 'image' must name a tag or a digest"],
  [{ service: 'web', image: 'Repo:1' }, "Input 'image' has an invalid repository name 'Repo'"],
  [
    { service: 'web', 'rollback-to': 'web' },
    "Input 'rollback-to' must be previous, a task definition ARN, or family:revision",
  ],
  [
    { 'task-definition': json, service: 'web', 'rollback-to': 'previous' },
    "Input 'rollback-to' cannot be combined with task-definition",
  ],
  [
    { 'task-definition': json, 'rollback-to': 'previous' },
    "Input 'rollback-to' cannot be combined with task-definition",
  ],
  [{ service: 'web', 'desired-count': '-1' }, "Input 'desired-count' must be of at least 0; got -1"],
  [{ service: 'web', 'timeout-minutes': '0' }, "Input 'timeout-minutes' must be from 0.1 to 360; got 0"],
  [
    { service: 'web', 'rollback-to': 'previous', image: 'repo:2' },
    "Input 'rollback-to' cannot be combined with image",
  ],
  [
    { service: 'web', 'rollback-to': 'web:3', 'environment-variables': 'A=1' },
    "Input 'rollback-to' cannot be combined with environment-variables",
  ],
  [
    { service: 'web', 'rollback-to': 'previous', 'run-task': 'true' },
    "Input 'rollback-to' cannot be combined with run-task",
  ],
  [
    { service: 'web', 'run-task': 'true' },
    "Input 'run-task-subnets' is required for run-task with the FARGATE launch type",
  ],
  [
    { service: 'web', 'environment-variables': '1BAD=x' },
    "Input 'environment-variables' has an invalid variable name '1BAD'",
  ],
  [
    { service: 'web', secrets: 'TOKEN=' },
    "Input 'secrets' needs a Secrets Manager or SSM parameter ARN for 'TOKEN'",
  ],
  [
    { service: 'web', 'run-task': 'true', 'run-task-launch-type': 'LAMBDA' },
    "Input 'run-task-launch-type' must be one of FARGATE, EC2, EXTERNAL",
  ],
])('%p fails: %s', (overrides, message) => {
  expect(errorOf(() => read(overrides))).toContain(`InputError: ${message}`);
});

test('run-task reads its network settings only when asked to run a task', () => {
  expect(read({ service: 'web' }).runTask).toBeUndefined();
  expect(
    read({
      service: 'web',
      'run-task': 'true',
      'run-task-subnets': 'subnet-1, subnet-2',
      'run-task-security-groups': 'sg-1',
    }).runTask,
  ).toEqual({ subnets: ['subnet-1', 'subnet-2'], securityGroups: ['sg-1'], launchType: 'FARGATE' });
});

test('timeout-minutes takes fractions of a minute', () => {
  expect(read({ service: 'web', 'timeout-minutes': '0.5' }).timeoutMs).toBe(30_000);
});

describe('GitHub deployment inputs', () => {
  test.each([
    [{}, { token: '', environment: 'web' }, undefined],
    [
      {
        'github-token': 'ghs_x',
        'github-environment': 'production-ecs',
        'environment-url': 'https://api.example',
      },
      { token: 'ghs_x', environment: 'production-ecs' },
      'https://api.example',
    ],
  ])('%p reads as %p with URL %p', (overrides, github, url) => {
    const inputs = read({ service: 'web', ...overrides });
    expect(inputs.github).toEqual(github);
    expect(inputs.environmentUrl).toBe(url);
  });

  test('without a service there is no environment to record under', () => {
    expect(read({ 'task-definition': json, 'github-token': 'ghs_x' }).github.environment).toBe('');
  });

  test.each([
    [
      { 'environment-url': 'api.example' },
      "Input 'environment-url' must be an http(s) URL; got 'api.example'",
    ],
    [{ 'environment-url': 'ftp://api.example' }, "Input 'environment-url' must be an http(s) URL"],
    [{ 'github-environment': 'e'.repeat(256) }, "Input 'github-environment' must be at most 255 characters"],
  ])('%p fails: %s', (overrides, message) => {
    expect(errorOf(() => read({ service: 'web', ...overrides }))).toContain(`InputError: ${message}`);
  });
});

// ECS names: up to 255 letters, digits, hyphens and underscores (Amazon ECS API Reference,
// CreateCluster clusterName and CreateService serviceName), or the resource's ARN.
test.each([
  [{ cluster: 'prod_1-eu' }, undefined],
  [{ cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod' }, undefined],
  [{ service: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web' }, undefined],
  [{ cluster: 'prod\n::set-output name=x::y' }, 'cluster'],
  [{ cluster: '--help' }, undefined],
  [{ cluster: 'a'.repeat(256) }, 'cluster'],
  [{ service: 'web app' }, 'service'],
  [{ service: '-x' }, undefined],
  [{ service: 'web\u202e' }, 'service'],
])('cluster and service %p: refused as %p', (given, refused) => {
  const inputs = { service: 'web', 'container-name': 'model', image: `repo@${DIGEST}`, ...given };
  if (refused === undefined) expect(() => read(inputs)).not.toThrow();
  else
    expect(errorOf(() => read(inputs))).toMatch(
      new RegExp(`^InputError: Input '${refused}' must be an ECS ${refused} name`),
    );
});
