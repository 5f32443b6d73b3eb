import {
  imageProblem,
  resourceReferenceProblem,
  secretReferenceProblem,
} from '../../../actions/deploy-ecs/src/ecs-limits';
import { closest, shapeProblems } from '../../../actions/deploy-ecs/src/ecs-model';
import { REGISTER_TASK_DEFINITION_MODEL as MODEL } from '../../../actions/deploy-ecs/src/register-task-definition-model.generated';

// Secret.valueFrom (ECS API reference): "either the full ARN of the Secrets Manager secret or the
// full ARN of the parameter in the SSM Parameter Store"; the parameter's name when it is in the
// task's Region. Secrets Manager ARNs may end in :json-key:version-stage:version-id.
test.each<[string, boolean]>([
  ['arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf', true],
  ['arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::', true],
  ['arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:db', true],
  ['arn:aws-cn:ssm:cn-north-1:123456789012:parameter/prod/db/password', true],
  ['arn:aws:ssm:eu-west-1:123456789012:parameter/token', true],
  ['/prod/db/password', true],
  ['db.password-v2', true],
  ['arn:aws:s3:::bucket/key', false],
  ['arn:aws:secretsmanager:us-east-1:1234:secret:db', false],
  ['arn:aws:ssm:us-east-1:123456789012:db', false],
  ['prod db password', false],
  ['prod//password', false],
  ['$(whoami)', false],
])('a secret reference %s is accepted: %s', (valueFrom, ok) => {
  expect(secretReferenceProblem(valueFrom) === undefined).toBe(ok);
});

// Cluster and service names: "Up to 255 letters (uppercase and lowercase), numbers, underscores,
// and hyphens are allowed" (CreateCluster.clusterName, CreateService.serviceName); or their ARNs,
// services in the long (with the cluster) and the old ARN format.
test.each<['cluster' | 'service', string, boolean]>([
  ['cluster', 'default', true],
  ['cluster', 'ml_prod-2', true],
  ['cluster', 'c'.repeat(255), true],
  ['cluster', 'c'.repeat(256), false],
  ['cluster', 'arn:aws:ecs:us-east-1:123456789012:cluster/ml-prod', true],
  ['cluster', 'ml prod', false],
  ['cluster', 'ml.prod', false],
  ['cluster', 'arn:aws:ecs:us-east-1:123456789012:service/ml-prod', false],
  ['service', 'scorer', true],
  ['service', 'arn:aws:ecs:us-east-1:123456789012:service/ml-prod/scorer', true],
  ['service', 'arn:aws:ecs:us-east-1:123456789012:service/scorer', true],
  ['service', 'scorer/v2', false],
  ['service', 'arn:aws:ecs:us-east-1:123456789012:task-definition/scorer:3', false],
])('%s %s is accepted: %s', (kind, value, ok) => {
  expect(resourceReferenceProblem(kind, value) === undefined).toBe(ok);
});

// ContainerDefinition.image: up to 255 characters; by digest, 255 before the @ and sha256 with
// exactly 64 hexadecimal digits after it.
test.each<[string, string | undefined]>([
  ['repo/model:2', undefined],
  [`repo/model@sha256:${'A1'.repeat(32)}`, undefined],
  [`${'r'.repeat(250)}:tag`, undefined],
  [`${'r'.repeat(256)}`, 'is 256 characters; ECS takes at most 255'],
  [`${'r'.repeat(255)}@sha256:${'0'.repeat(64)}`, undefined],
  [
    `${'r'.repeat(256)}@sha256:${'0'.repeat(64)}`,
    'has before its digest 256 characters; ECS takes at most 255',
  ],
  ['repo@sha512:abc', 'has a digest that is not sha256: followed by 64 hexadecimal digits'],
  [`repo@sha256:${'0'.repeat(63)}`, 'has a digest that is not sha256: followed by 64 hexadecimal digits'],
])('image %s: %p', (image, why) => {
  expect(imageProblem(image)).toBe(why);
});

test.each<[string, string[], string | undefined]>([
  ['healthcheck', ['healthCheck', 'hostname'], 'healthCheck'],
  ['enviroment', ['environment', 'environmentFiles'], 'environment'],
  ['portMapping', ['portMappings'], 'portMappings'],
  ['containerDefinition', ['containerDefinitions', 'family'], 'containerDefinitions'],
  ['cpus', ['cpu', 'memory'], 'cpu'],
  ['xyz', ['cpu', 'memory'], undefined],
  ['command', ['commands'], 'commands'],
  ['tmp', ['tags', 'family'], undefined],
])('%s is closest to %p: %p', (name, known, near) => {
  expect(closest(name, known)).toBe(near);
});

describe('shapeProblems against the generated model', () => {
  test.each<[string, unknown, string[]]>([
    ['BoxedInteger', 2 ** 31, ['(top level): must be at most 2147483647; got 2147483648']],
    ['BoxedInteger', 1.5, ['(top level): expected a whole number (got the number 1.5)']],
    ['Integer', -1, []],
    ['StringList', ['a', null, 'b'], []],
    ['StringList', 'a b', ['(top level): expected a list (got the string "a b")']],
    ['DockerLabelsMap', { a: 'x', b: '' }, []],
    ['DockerLabelsMap', ['a'], ['(top level): expected an object of names to values (got a list)']],
  ])('%s %p', (shape, value, problems) => {
    expect(shapeProblems(MODEL, shape, value).map((p) => `${p.path}: ${p.why}`)).toEqual(problems);
  });

  test('the ECS model names JSON keys as they are sent: awsJson1_1 uses member names as is', () => {
    const container = MODEL.shapes.ContainerDefinition;
    expect(container?.type).toBe('structure');
    expect(Object.keys(container?.type === 'structure' ? container.members : {})).toEqual(
      expect.arrayContaining(['name', 'image', 'portMappings', 'healthCheck', 'dockerLabels']),
    );
    expect(MODEL.source).toMatch(/^botocore \d+\.\d+\.\d+, data\/ecs\/2014-11-13\/service-2\.json\.gz$/);
  });
});
