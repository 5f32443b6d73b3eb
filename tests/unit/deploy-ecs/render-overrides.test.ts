/**
 * The render-time overrides under the names of aws-actions/amazon-ecs-render-task-definition's
 * action.yml (task-role-arn, execution-role-arn, log-configuration-log-driver,
 * log-configuration-options, docker-labels, command, env-files): what each accepts, and what the
 * rendered task definition holds.
 */
import {
  parseCommand,
  readRenderOverrides,
  NO_RENDER_OVERRIDES,
  type RenderOverrides,
} from '../../../actions/deploy-ecs/src/render-overrides';
import { renderTaskDefinition, type ContainerChanges } from '../../../actions/deploy-ecs/src/task-definition';
import { errorOf, inputsOf } from '../../support/inputs';

const read = (inputs: Record<string, string>) => readRenderOverrides(inputsOf(inputs));

describe('validation, before any AWS call', () => {
  test.each([
    ['task-role-arn', 'arn:aws:iam::123456789012:role/model-server-task'],
    ['task-role-arn', 'arn:aws:iam::123456789012:role/service-role/ml/scorer'],
    ['execution-role-arn', 'arn:aws-cn:iam::123456789012:role/ecsTaskExecutionRole'],
    ['execution-role-arn', 'arn:aws-us-gov:iam::123456789012:role/exec+role=a,b.c@d_e-f'],
    ['log-configuration-log-driver', 'awslogs'],
    ['log-configuration-log-driver', 'awsfirelens'],
    ['log-configuration-log-driver', 'json-file'],
    ['env-files', 'arn:aws:s3:::config-bucket/model-server/prod.env'],
    ['env-files', 'arn:aws:s3:::a.b-c/x.env\narn:aws:s3:::a.b-c/y.env'],
    ['docker-labels', 'com.example.team=ml\nEMPTY='],
    ['log-configuration-options', 'awslogs-group=/ecs/model\nawslogs-region=us-east-1'],
    ['command', 'python score.py --batch 32'],
    ['command', '["sh","-c","echo a b"]'],
  ])('%s: %s is taken', (name, value) => {
    expect(() => read({ [name]: value })).not.toThrow();
  });

  test.each([
    // IAM role ARNs only, as the anchor refuses too; the account is 12 digits, the resource a role.
    ['task-role-arn', 'model-server-task', 'must be an IAM role ARN'],
    ['task-role-arn', 'arn:aws:iam::12345:role/x', 'must be an IAM role ARN'],
    ['execution-role-arn', 'arn:aws:iam::123456789012:user/deploy', 'must be an IAM role ARN'],
    ['execution-role-arn', `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`, 'must be an IAM role ARN'],
    // LogConfiguration.logDriver's enum in the ECS API model: logentries is not in it any more.
    ['log-configuration-log-driver', 'logentries', 'must be one of json-file, syslog, journald, gelf'],
    ['log-configuration-log-driver', 'AWSLOGS', 'must be one of'],
    ['log-configuration-options', 'no-equals-sign', 'line 1 must be KEY=VALUE'],
    ['docker-labels', '=value', 'line 1 must be KEY=VALUE'],
    // EnvironmentFile: S3 object ARNs with the .env extension, at most ten.
    ['env-files', 's3://config-bucket/prod.env', 'must hold S3 object ARNs of .env files'],
    ['env-files', 'arn:aws:s3:::config-bucket/prod.txt', 'must hold S3 object ARNs of .env files'],
    ['env-files', 'arn:aws:s3:::Config_Bucket/prod.env', 'must hold S3 object ARNs of .env files'],
    [
      'env-files',
      Array.from({ length: 11 }, (_, i) => `arn:aws:s3:::b-1/${i}.env`).join('\n'),
      'takes at most 10 files; got 11',
    ],
    ['command', '["python", 3]', 'must be a JSON list of strings'],
    ['command', '[]', 'must be a JSON list of strings'],
    ['command', '[not json', 'must be a JSON list of strings'],
  ])('%s: %j fails: %s', (name, value, message) => {
    expect(errorOf(() => read({ [name]: value }))).toContain(`Input '${name}' ${message}`);
  });

  test.each([
    ['python score.py --batch 32', ['python', 'score.py', '--batch', '32']],
    ['  serve   --port 8080 ', ['serve', '--port', '8080']],
    ['["sh","-c","echo a b"]', ['sh', '-c', 'echo a b']],
    [undefined, undefined],
  ])('command %j is %j', (value, command) => {
    expect(parseCommand(value?.trim())).toEqual(command);
  });

  test('docker labels keep an empty value and a value with =', () => {
    expect([...read({ 'docker-labels': 'EMPTY=\nquery=a=b' }).dockerLabels]).toEqual([
      ['EMPTY', ''],
      ['query', 'a=b'],
    ]);
  });
});

const template = {
  family: 'scorer',
  taskRoleArn: 'arn:aws:iam::111111111111:role/old-task',
  containerDefinitions: [
    {
      name: 'model',
      image: 'repo/model:1',
      logConfiguration: { logDriver: 'json-file', options: { 'max-size': '10m' } },
      dockerLabels: { team: 'ml' },
      command: ['serve'],
      environmentFiles: [{ value: 'arn:aws:s3:::old/old.env', type: 's3' }],
    },
    { name: 'log-router', image: 'fluent-bit:2' },
  ],
};

const changes = (overrides: Partial<RenderOverrides>, containerNames = ['model']): ContainerChanges => ({
  containerNames,
  image: undefined,
  images: new Map(),
  environment: new Map(),
  secrets: new Map(),
  overrides: { ...NO_RENDER_OVERRIDES, ...overrides },
});

describe('render', () => {
  const render = (overrides: Partial<RenderOverrides>, names?: string[]) =>
    renderTaskDefinition(template, changes(overrides, names)).input as unknown as {
      taskRoleArn?: string;
      executionRoleArn?: string;
      containerDefinitions: Record<string, unknown>[];
    };

  test.each([
    [
      'task-role-arn on the task',
      { taskRoleArn: 'arn:aws:iam::123456789012:role/new-task' },
      (td: ReturnType<typeof render>) => td.taskRoleArn,
      'arn:aws:iam::123456789012:role/new-task',
    ],
    [
      'execution-role-arn on the task',
      { executionRoleArn: 'arn:aws:iam::123456789012:role/exec' },
      (td: ReturnType<typeof render>) => td.executionRoleArn,
      'arn:aws:iam::123456789012:role/exec',
    ],
    [
      'the log driver replaced, its options kept',
      { logDriver: 'awslogs' },
      (td: ReturnType<typeof render>) => td.containerDefinitions[0]?.logConfiguration,
      { logDriver: 'awslogs', options: { 'max-size': '10m' } },
    ],
    [
      'log options merged by key',
      {
        logOptions: new Map([
          ['max-size', '50m'],
          ['max-file', '3'],
        ]),
      },
      (td: ReturnType<typeof render>) => td.containerDefinitions[0]?.logConfiguration,
      { logDriver: 'json-file', options: { 'max-size': '50m', 'max-file': '3' } },
    ],
    [
      'docker labels merged by key, an empty value kept (the anchor drops it)',
      {
        dockerLabels: new Map([
          ['version', ''],
          ['team', 'scoring'],
        ]),
      },
      (td: ReturnType<typeof render>) => td.containerDefinitions[0]?.dockerLabels,
      { team: 'scoring', version: '' },
    ],
    [
      'command replaced',
      { command: ['python', 'score.py'] },
      (td: ReturnType<typeof render>) => td.containerDefinitions[0]?.command,
      ['python', 'score.py'],
    ],
    [
      'environment files replaced, as type s3',
      { envFiles: ['arn:aws:s3:::config/prod.env'] },
      (td: ReturnType<typeof render>) => td.containerDefinitions[0]?.environmentFiles,
      [{ value: 'arn:aws:s3:::config/prod.env', type: 's3' }],
    ],
  ])('%s', (_what, overrides, pick, expected) => {
    expect(pick(render(overrides))).toEqual(expected);
  });

  test('container overrides reach every named container and no other', () => {
    const td = render({ dockerLabels: new Map([['a', '1']]) }, ['model', 'log-router']);
    expect(td.containerDefinitions.map((c) => c.dockerLabels)).toEqual([{ team: 'ml', a: '1' }, { a: '1' }]);
    const one = render({ dockerLabels: new Map([['a', '1']]) }, ['model']);
    expect(one.containerDefinitions[1]?.dockerLabels).toBeUndefined();
  });

  test('task-level overrides need no container-name', () => {
    const td = render({ taskRoleArn: 'arn:aws:iam::123456789012:role/t' }, []);
    expect(td.taskRoleArn).toBe('arn:aws:iam::123456789012:role/t');
  });

  test.each([
    [
      { dockerLabels: new Map([['a', '1']]) },
      [],
      "Input 'container-name' is required when the task definition has several containers",
    ],
    [{ command: ['x'] }, ['nope'], "Input 'container-name' names 'nope', not in the task definition"],
    [
      { logOptions: new Map([['a', '1']]) },
      ['log-router'],
      "Input 'log-configuration-options' needs log-configuration-log-driver: container 'log-router' has no logConfiguration",
    ],
  ])('%p on %p fails: %s', (overrides, names, message) => {
    expect(errorOf(() => render(overrides, names))).toContain(message);
  });

  test('options with a driver create the log configuration', () => {
    const td = render({ logDriver: 'awslogs', logOptions: new Map([['awslogs-group', '/ecs/x']]) }, [
      'log-router',
    ]);
    expect(td.containerDefinitions[1]?.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/x' },
    });
  });
});
