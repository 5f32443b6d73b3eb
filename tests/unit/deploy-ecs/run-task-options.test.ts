/**
 * run-task's inputs under the names of aws-actions/amazon-ecs-deploy-task-definition's action.yml,
 * checked against the RunTask shapes of the ECS API model (run-task-model.generated.ts), and the
 * RunTask request they make.
 */
import {
  readRunTaskOptions,
  unknownOverrideContainers,
} from '../../../actions/deploy-ecs/src/run-task-options';
import { runTaskRequest } from '../../../actions/deploy-ecs/src/run-task';
import { errorOf, inputsOf } from '../../support/inputs';

const SUBNET = 'subnet-0123456789abcdef0';
const read = (inputs: Record<string, string>) => readRunTaskOptions(inputsOf(inputs));

describe('validation', () => {
  test.each([
    [{ 'run-task-subnets': SUBNET, 'run-task-assign-public-IP': 'ENABLED' }],
    [{ 'run-task-subnets': SUBNET, 'run-task-assign-public-IP': 'disabled' }],
    // DISABLED without subnets is what the anchor ignores; taken, nothing sent.
    [{ 'run-task-launch-type': 'EC2', 'run-task-assign-public-IP': 'DISABLED' }],
    [{ 'run-task-launch-type': 'EC2' }],
    [
      {
        'run-task-subnets': SUBNET,
        'run-task-capacity-provider-strategy': '[{"capacityProvider":"FARGATE_SPOT","weight":1}]',
      },
    ],
    [
      {
        'run-task-capacity-provider-strategy':
          '[{"capacityProvider":"gpu-asg","base":1,"weight":1},{"capacityProvider":"cpu-asg","weight":3}]',
      },
    ],
    [
      {
        'run-task-launch-type': 'EC2',
        'run-task-container-overrides':
          '[{"name":"score","command":["python","score.py"],"environment":[{"name":"BATCH","value":""}]}]',
      },
    ],
    [{ 'run-task-launch-type': 'EC2', 'run-task-container-overrides': '[{}]' }],
    [{ 'run-task-launch-type': 'EC2', 'run-task-tags': '[{"key":"job","value":"score"},{"key":"empty"}]' }],
    [{ 'run-task-launch-type': 'EC2', 'run-task-started-by': 'github/ml-deploy_42' }],
  ])('%j is taken', (inputs) => {
    expect(() => read(inputs)).not.toThrow();
  });

  test.each([
    [{}, 'run-task-subnets', 'is required for run-task with the FARGATE launch type'],
    [
      { 'run-task-capacity-provider-strategy': '[{"capacityProvider":"FARGATE","weight":1}]' },
      'run-task-subnets',
      'is required for run-task with the FARGATE or FARGATE_SPOT capacity provider',
    ],
    [
      {
        'run-task-launch-type': 'EC2',
        'run-task-capacity-provider-strategy': '[{"capacityProvider":"x","weight":1}]',
      },
      'run-task-launch-type',
      'cannot be combined with run-task-capacity-provider-strategy',
    ],
    [{ 'run-task-launch-type': 'SPOT' }, 'run-task-launch-type', 'must be one of FARGATE, EC2, EXTERNAL'],
    [
      { 'run-task-subnets': SUBNET, 'run-task-assign-public-IP': 'yes' },
      'run-task-assign-public-IP',
      'must be ENABLED or DISABLED',
    ],
    [
      { 'run-task-launch-type': 'EC2', 'run-task-assign-public-IP': 'ENABLED' },
      'run-task-assign-public-IP',
      'ENABLED needs run-task-subnets',
    ],
    // The model: CapacityProviderStrategyItem needs capacityProvider; weight 0..1000.
    [
      { 'run-task-capacity-provider-strategy': '[{"weight":1}]' },
      'run-task-capacity-provider-strategy',
      '[0].capacityProvider: is required',
    ],
    [
      { 'run-task-capacity-provider-strategy': '[{"capacityProvider":"a","weight":1001}]' },
      'run-task-capacity-provider-strategy',
      '[0].weight: must be at most 1000',
    ],
    [
      { 'run-task-capacity-provider-strategy': '{"capacityProvider":"a"}' },
      'run-task-capacity-provider-strategy',
      'expected a list',
    ],
    [
      {
        'run-task-capacity-provider-strategy':
          '[{"capacityProvider":"a","base":1,"weight":1},{"capacityProvider":"b","base":2,"weight":1}]',
      },
      'run-task-capacity-provider-strategy',
      'only one may have one',
    ],
    [
      { 'run-task-capacity-provider-strategy': '[{"capacityProvider":"a"},{"capacityProvider":"b"}]' },
      'run-task-capacity-provider-strategy',
      'needs a weight above 0',
    ],
    [
      { 'run-task-capacity-provider-strategy': '[' },
      'run-task-capacity-provider-strategy',
      'is not valid JSON',
    ],
    // A member given twice: JSON.parse would keep the last (RFC 8259 §4: names "SHOULD be unique").
    [
      {
        'run-task-launch-type': 'EC2',
        'run-task-container-overrides': '[{"name":"score","cpu":256,"cpu":4096}]',
      },
      'run-task-container-overrides',
      'gives [0].cpu twice',
    ],
    [
      { 'run-task-launch-type': 'EC2', 'run-task-tags': '[{"key":"team","value":"ml","value":"ops"}]' },
      'run-task-tags',
      'gives [0].value twice',
    ],
    // Object's own names are unknown members, not the model's.
    [
      {
        'run-task-launch-type': 'EC2',
        'run-task-container-overrides': '[{"name":"score","constructor":{}}]',
      },
      'run-task-container-overrides',
      '[0].constructor: unknown field',
    ],
    // ContainerOverride in the model: command a list, cpu a whole number, no unknown members.
    [
      {
        'run-task-launch-type': 'EC2',
        'run-task-container-overrides': '[{"name":"score","command":"python score.py"}]',
      },
      'run-task-container-overrides',
      '[0].command: expected a list',
    ],
    [
      { 'run-task-launch-type': 'EC2', 'run-task-container-overrides': '[{"name":"score","cpu":"256"}]' },
      'run-task-container-overrides',
      '[0].cpu: expected a whole number',
    ],
    [
      { 'run-task-launch-type': 'EC2', 'run-task-container-overrides': '[{"name":"score","enviroment":[]}]' },
      'run-task-container-overrides',
      '[0].enviroment: unknown field (did you mean environment?)',
    ],
    [
      { 'run-task-launch-type': 'EC2', 'run-task-container-overrides': '[{"command":["x"]}]' },
      'run-task-container-overrides',
      '[0].name: is required',
    ],
    [
      {
        'run-task-launch-type': 'EC2',
        'run-task-container-overrides': JSON.stringify([{ name: 'a', command: ['x'.repeat(8200)] }]),
      },
      'run-task-container-overrides',
      'RunTask takes at most 8192 for overrides',
    ],
    [
      { 'run-task-launch-type': 'EC2', 'run-task-tags': '[{"key":"aws:owner","value":"x"}]' },
      'run-task-tags',
      'the aws: prefix is reserved',
    ],
    [
      { 'run-task-launch-type': 'EC2', 'run-task-tags': '[{"key":"a"},{"key":"a"}]' },
      'run-task-tags',
      "'a' is given twice",
    ],
    [
      { 'run-task-launch-type': 'EC2', 'run-task-tags': `[{"key":"${'k'.repeat(129)}"}]` },
      'run-task-tags',
      '[0].key: takes at most 128 characters',
    ],
    [
      { 'run-task-launch-type': 'EC2', 'run-task-started-by': 'has space' },
      'run-task-started-by',
      'takes up to 128 letters',
    ],
    [
      { 'run-task-launch-type': 'EC2', 'run-task-started-by': 'x'.repeat(129) },
      'run-task-started-by',
      'takes up to 128 letters',
    ],
  ])('%j fails naming %s: %s', (inputs, name, message) => {
    expect(errorOf(() => read(inputs))).toContain(`Input '${name}' `);
    expect(errorOf(() => read(inputs))).toContain(message);
  });
});

describe('the RunTask request', () => {
  test.each([
    [
      'Fargate with a public IP',
      {
        'run-task-subnets': SUBNET,
        'run-task-security-groups': 'sg-0123456789abcdef0',
        'run-task-assign-public-IP': 'ENABLED',
      },
      {
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: [SUBNET],
            securityGroups: ['sg-0123456789abcdef0'],
            assignPublicIp: 'ENABLED',
          },
        },
      },
    ],
    [
      'a capacity provider strategy and no launch type',
      {
        'run-task-subnets': SUBNET,
        'run-task-capacity-provider-strategy': '[{"capacityProvider":"FARGATE_SPOT","weight":1}]',
      },
      { capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }], launchType: undefined },
    ],
    [
      'overrides, tags and startedBy',
      {
        'run-task-launch-type': 'EC2',
        'run-task-container-overrides': '[{"name":"score","command":["python","score.py"]}]',
        'run-task-tags': '[{"key":"job","value":"score"}]',
        'run-task-started-by': 'nightly',
      },
      {
        launchType: 'EC2',
        overrides: { containerOverrides: [{ name: 'score', command: ['python', 'score.py'] }] },
        tags: [{ key: 'job', value: 'score' }],
        startedBy: 'nightly',
        networkConfiguration: undefined,
      },
    ],
  ])('%s', (_what, inputs, expected) => {
    const request = runTaskRequest('ml', 'arn:td', read(inputs), undefined, 'token-1');
    expect(request).toMatchObject({
      cluster: 'ml',
      taskDefinition: 'arn:td',
      count: 1,
      clientToken: 'token-1',
    });
    for (const [key, value] of Object.entries(expected)) {
      expect(request[key as keyof typeof request]).toEqual(value);
    }
  });

  test('enable-ecs-managed-tags is sent only when set', () => {
    const options = read({ 'run-task-launch-type': 'EC2' });
    expect(runTaskRequest('c', 'a', options, true, 't').enableECSManagedTags).toBe(true);
    expect(runTaskRequest('c', 'a', options, undefined, 't')).not.toHaveProperty('enableECSManagedTags');
  });

  test('overrides naming a container the task definition lacks are found', () => {
    const options = read({
      'run-task-launch-type': 'EC2',
      'run-task-container-overrides': '[{"name":"score"},{"name":"scorer"},{}]',
    });
    expect(unknownOverrideContainers(options, ['score', 'log-router'])).toEqual(['scorer']);
  });
});
