import { readInputs } from '../../../actions/deploy-beanstalk/src/inputs';
import { cnamePrefixProblem, platformArnProblem } from '../../../actions/deploy-beanstalk/src/limits';
import { errorOf, inputsOf } from '../../support/inputs';

const STACK = '64bit Amazon Linux 2023 v4.3.0 running Docker';
const ARN = 'arn:aws:elasticbeanstalk:eu-west-1::platform/Docker running on 64bit Amazon Linux 2023/4.3.0';
const defaults = {
  'application-name': 'insurance',
  'environment-name': 'insurance-prod',
  'version-label': 'v1',
  'container-port': '8080',
  wait: 'true',
  'timeout-minutes': '30',
  'healthy-states': 'Green',
  'rollback-on-failure': 'true',
  'keep-versions': '0',
  'health-grace-seconds': '60',
  'create-application': 'false',
  'create-environment': 'false',
};
const read = (overrides: Record<string, string>) => readInputs(inputsOf({ ...defaults, ...overrides }), {});

test('off by default: nothing is created', () => {
  expect(read({}).create).toEqual({ application: false, environment: undefined });
});

test.each([
  [
    { 'solution-stack-name': STACK },
    { platform: { SolutionStackName: STACK }, cnamePrefix: undefined, tier: 'WebServer' },
  ],
  [
    { 'platform-arn': ARN, 'cname-prefix': 'insurance-model', tier: 'WebServer' },
    { platform: { PlatformArn: ARN }, cnamePrefix: 'insurance-model', tier: 'WebServer' },
  ],
  [
    { 'solution-stack-name': STACK, tier: 'Worker' },
    { platform: { SolutionStackName: STACK }, cnamePrefix: undefined, tier: 'Worker' },
  ],
])('create-environment with %p', (overrides, environment) => {
  expect(read({ 'create-environment': 'true', 'create-application': 'true', ...overrides }).create).toEqual({
    application: true,
    environment,
  });
});

test.each([
  [{ 'create-environment': 'true' }, "Input 'create-environment' needs solution-stack-name or platform-arn"],
  [
    { 'create-environment': 'true', 'solution-stack-name': STACK, 'platform-arn': ARN },
    "Input 'platform-arn' cannot be combined with solution-stack-name",
  ],
  [
    { 'solution-stack-name': STACK },
    "Input 'solution-stack-name' is only used with create-environment: true",
  ],
  [{ 'cname-prefix': 'abcd' }, "Input 'cname-prefix' is only used with create-environment: true"],
  [
    { 'create-environment': 'true', 'solution-stack-name': STACK, tier: 'worker' },
    "Input 'tier' must be WebServer or Worker; got 'worker'",
  ],
  [
    { 'create-environment': 'true', 'solution-stack-name': STACK, tier: 'Worker', 'cname-prefix': 'abcd' },
    "Input 'cname-prefix' is for the WebServer tier",
  ],
  [
    { 'create-environment': 'true', 'solution-stack-name': STACK, 'environment-name': '' },
    "Input 'create-environment' needs environment-name",
  ],
  [
    { 'create-environment': 'true', 'solution-stack-name': STACK, 'rollback-to': 'previous' },
    "Input 'create-environment' cannot be combined with rollback-to",
  ],
  [
    { 'create-environment': 'true', 'platform-arn': 'Docker' },
    "Input 'platform-arn' must be a platform version ARN",
  ],
])('%p is refused', (overrides, message) => {
  expect(errorOf(() => read(overrides))).toContain(message);
});

// DNSCnamePrefix: 4-63 characters in the API model; one DNS label.
test.each([
  ['abcd', true],
  ['abc', false],
  ['a'.repeat(63), true],
  ['a'.repeat(64), false],
  ['my-app-1', true],
  ['-myapp', false],
  ['myapp-', false],
  ['my_app', false],
  ['my.app', false],
])('cname prefix %p accepted: %p', (value, ok) => {
  expect(cnamePrefixProblem(value) === undefined).toBe(ok);
});

test.each([
  [ARN, true],
  [
    'arn:aws-cn:elasticbeanstalk:cn-north-1::platform/Node.js 20 running on 64bit Amazon Linux 2023/6.3.1',
    true,
  ],
  ['arn:aws:elasticbeanstalk:us-east-1:123456789012:platform/custom-platform/1.0.0', true],
  ['arn:aws:ecs:us-east-1::platform/x/1.0', false],
  ['arn:aws:elasticbeanstalk:us-east-1::platform/no-version', false],
])('platform ARN %p accepted: %p', (value, ok) => {
  expect(platformArnProblem(value) === undefined).toBe(ok);
});
