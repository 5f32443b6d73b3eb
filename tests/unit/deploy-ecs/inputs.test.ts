import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputs } from '../../../actions/deploy-ecs/src/inputs';
import { realPorts } from '../../../actions/deploy-ecs/src/ports';
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
  'run-task-launch-type': '',
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
  [{ service: 'web', 'desired-count': '-1' }, "Input 'desired-count' must be from 0 to 2147483647; got -1"],
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

test('images reads container=image lines, beside container-name/image', () => {
  const inputs = read({
    service: 'web',
    'container-name': 'model',
    image: `repo/model@${DIGEST}`,
    images: `log-router=public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32\nproxy = repo/envoy@${DIGEST}`,
  });
  expect([...inputs.images]).toEqual([
    ['log-router', 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32'],
    ['proxy', `repo/envoy@${DIGEST}`],
  ]);
});

test.each<[string, string]>([
  ['default', 'default'],
  ['arn:aws:ecs:us-east-1:123456789012:cluster/ml', 'arn:aws:ecs:us-east-1:123456789012:cluster/ml'],
])('cluster %s is taken as %s', (cluster, expected) => {
  expect(read({ service: 'web', cluster }).cluster).toBe(expected);
});

// What ECS would refuse is refused before any call, naming the input.
test.each<[Record<string, string>, string]>([
  [{ service: 'web', images: 'sidecar' }, "Input 'images' line 1 must be KEY=VALUE"],
  [{ service: 'web', images: 'side car=repo:1' }, "Input 'images' has an invalid container name 'side car'"],
  [{ service: 'web', images: 'sidecar=' }, "Input 'images' needs an image for 'sidecar'"],
  [{ service: 'web', images: 'sidecar=repo' }, "Input 'images' must name a tag or a digest"],
  [
    { service: 'web', 'rollback-to': 'previous', images: 'a=repo:1' },
    "Input 'rollback-to' cannot be combined with images",
  ],
  [
    { service: 'web', cluster: 'ml prod' },
    "Input 'cluster' must be a cluster name (up to 255 letters, numbers, underscores and hyphens) or its ARN; got 'ml prod'",
  ],
  [{ service: 'web', cluster: 'c'.repeat(256) }, "Input 'cluster' must be a cluster name"],
  [
    { service: 'web/v2' },
    "Input 'service' must be a service name (up to 255 letters, numbers, underscores and hyphens) or its ARN",
  ],
  [{ service: 'web', 'desired-count': '2147483648' }, "Input 'desired-count' must be from 0 to 2147483647"],
  [{ service: 'web', 'desired-count': '1.5' }, "Input 'desired-count' must be a whole number"],
  [{ 'task-definition': json, 'desired-count': '2' }, "Input 'desired-count' needs service"],
  [
    { service: 'web', 'propagate-tags': 'TASK' },
    "Input 'propagate-tags' must be one of TASK_DEFINITION, SERVICE, NONE",
  ],
  [{ 'task-definition': json, 'propagate-tags': 'SERVICE' }, "Input 'propagate-tags' needs service"],
  [
    { service: 'web', 'enable-ecs-managed-tags': 'yes' },
    "Input 'enable-ecs-managed-tags' must be true or false",
  ],
  [{ service: 'web', 'max-retries': '0' }, "Input 'max-retries' must be from 1 to 20; got 0"],
  [{ service: 'web', 'max-retries': '21' }, "Input 'max-retries' must be from 1 to 20"],
  [{ service: 'web', 'max-retries': 'three' }, "Input 'max-retries' must be a whole number"],
  [
    { service: 'web', 'rollback-to': 'previous', 'task-role-arn': 'arn:aws:iam::123456789012:role/t' },
    "Input 'rollback-to' cannot be combined with task-role-arn",
  ],
  [
    { service: 'web', 'rollback-to': 'previous', command: 'x' },
    "Input 'rollback-to' cannot be combined with command",
  ],
  [
    { service: 'web', secrets: 'TOKEN=arn:aws:s3:::bucket/token' },
    "Input 'secrets' has for TOKEN: 'arn:aws:s3:::bucket/token' is neither a Secrets Manager secret ARN",
  ],
  [
    { service: 'web', secrets: 'TOKEN=my token' },
    "Input 'secrets' has for TOKEN: 'my token' is not a Secrets Manager or SSM parameter ARN, nor an SSM parameter name",
  ],
  [{ service: 'web', image: `repo@sha256:${'0'.repeat(63)}` }, "Input 'image' has an invalid digest"],
  [
    { service: 'web', image: `${'r'.repeat(250)}/model:1` },
    "Input 'image' is 258 characters; ECS takes at most 255",
  ],
  [
    { service: 'web', images: `proxy=${'r'.repeat(256)}:1` },
    "Input 'images' has an image for 'proxy' that is 258 characters; ECS takes at most 255",
  ],
  // AwsVpcConfiguration (API model): "a limit of 16 subnets", "a limit of 5 security groups".
  [
    {
      service: 'web',
      'run-task': 'true',
      'run-task-subnets': Array.from({ length: 17 }, (_, i) => `subnet-${String(i).padStart(8, '0')}`).join(
        ',',
      ),
    },
    "Input 'run-task-subnets' takes at most 16; got 17",
  ],
  [
    {
      service: 'web',
      'run-task': 'true',
      'run-task-subnets': 'subnet-0123456789abcdef0',
      'run-task-security-groups': 'sg-00000001,sg-00000002,sg-00000003,sg-00000004,sg-00000005,sg-00000006',
    },
    "Input 'run-task-security-groups' takes at most 5; got 6",
  ],
  [
    { service: 'web', 'run-task': 'true', 'run-task-subnets': 'subnet-0abc' },
    "Input 'run-task-subnets' must hold subnet-… ids (subnet-0123456789abcdef0); got 'subnet-0abc'",
  ],
  [
    {
      service: 'web',
      'run-task': 'true',
      'run-task-subnets': 'subnet-0123456789abcdef0',
      'run-task-security-groups': 'default',
    },
    "Input 'run-task-security-groups' must hold sg-… ids",
  ],
])('%p fails: %s', (overrides, message) => {
  expect(errorOf(() => read(overrides))).toContain(`InputError: ${message}`);
});

test.each([
  'TOKEN=arn:aws:ssm:us-east-1:123456789012:parameter/prod/token',
  'TOKEN=/prod/token',
  'TOKEN=token',
  'TOKEN=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::',
])('secrets %s is taken', (secrets) => {
  expect(read({ service: 'web', secrets }).secrets.size).toBe(1);
});

test('run-task reads its network settings only when asked to run a task', () => {
  expect(read({ service: 'web' }).runTask).toBeUndefined();
  expect(
    read({
      service: 'web',
      'run-task': 'true',
      'run-task-subnets': 'subnet-0123456789abcdef0, subnet-8b2d6f84',
      'run-task-security-groups': 'sg-0fedcba9876543210',
    }).runTask,
  ).toEqual({
    subnets: ['subnet-0123456789abcdef0', 'subnet-8b2d6f84'],
    securityGroups: ['sg-0fedcba9876543210'],
    launchType: 'FARGATE',
    capacityProviderStrategy: [],
    assignPublicIp: undefined,
    containerOverrides: [],
    startedBy: 'deploy-suite',
    tags: [],
  });
});

test.each([
  [{}, { propagateTags: undefined, enableEcsManagedTags: undefined, maxAttempts: undefined }],
  [
    { 'propagate-tags': 'service', 'enable-ecs-managed-tags': 'false', 'max-retries': '3' },
    { propagateTags: 'SERVICE', enableEcsManagedTags: false, maxAttempts: 3 },
  ],
  [
    { 'propagate-tags': 'NONE', 'enable-ecs-managed-tags': 'true' },
    { propagateTags: 'NONE', enableEcsManagedTags: true },
  ],
])('service options %j read as %j', (given, expected) => {
  expect(read({ service: 'web', ...given })).toMatchObject(expected);
});

test('max-retries sets the attempts of the ECS client; without it the kit reads aws-max-attempts', async () => {
  const env = { AWS_REGION: 'us-east-1', 'INPUT_AWS-MAX-ATTEMPTS': '8' };
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const attempts = (maxAttempts?: number) =>
      (
        realPorts('us-east-1', maxAttempts).ecs as unknown as {
          config: { maxAttempts: () => Promise<number> };
        }
      ).config.maxAttempts();
    await expect(attempts(3)).resolves.toBe(3);
    await expect(attempts(undefined)).resolves.toBe(8);
  } finally {
    process.env = saved;
  }
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
