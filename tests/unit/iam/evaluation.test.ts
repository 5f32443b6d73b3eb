/**
 * The pieces the IAM checks rest on, as tables: IAM's wildcard and condition matching, the S3
 * operation a recorded request is (from the S3 client's own schemas), and the template resolver.
 */
import { resolveTemplate } from '../../support/iam/cfn';
import { codeDeployGroupsOf, observedCalls, s3OperationOf } from '../../support/iam/observed-calls';
import {
  actionMatches,
  allowing,
  conditionHolds,
  resourceMatches,
  type Statement,
} from '../../support/iam/policy';

// IAM User Guide, "IAM JSON policy elements: Action": case-insensitive, `*` and `?` wildcards.
test.each([
  ['s3:GetObject', 's3:GetObject', true],
  ['s3:getobject', 's3:GetObject', true],
  ['autoscaling:Describe*', 'autoscaling:DescribeAutoScalingGroups', true],
  ['s3:Get?bject', 's3:GetObject', true],
  ['s3:Get*', 's3:PutObject', false],
  ['ecs:TagResource', 'ecs:UntagResource', false],
])('action pattern %s matches %s: %s', (pattern, action, expected) => {
  expect(actionMatches(pattern, action)).toBe(expected);
});

// "... Resource": case-sensitive, wildcards within and across segments.
test.each([
  ['arn:aws:s3:::bucket/dags/*', 'arn:aws:s3:::bucket/dags/a/b.py', true],
  ['arn:aws:s3:::bucket/dags/*', 'arn:aws:s3:::bucket/dags.sync-dags.lease', false],
  ['arn:aws:s3:::bucket/dags/*', 'arn:aws:s3:::Bucket/dags/a.py', false],
  ['*', 'arn:aws:ecs:us-east-1:1:service/c/s', true],
  ['arn:aws:ecs:us-east-1:1:service/c/s', 'arn:aws:ecs:us-east-1:1:service/c/s2', false],
])('resource pattern %s matches %s: %s', (pattern, arn, expected) => {
  expect(resourceMatches(pattern, arn)).toBe(expected);
});

// "Condition element": every key of every operator must hold; a key the request lacks fails.
test.each([
  [{ StringLike: { 's3:prefix': 'dags/*' } }, { 's3:prefix': 'dags/' }, true],
  [{ StringLike: { 's3:prefix': 'dags/*' } }, { 's3:prefix': '' }, false],
  [{ StringLike: { 's3:prefix': 'dags/*' } }, {}, false],
  [{ StringEquals: { 'iam:PassedToService': ['a', 'b'] } }, { 'iam:PassedToService': 'b' }, true],
  [
    { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    { 'iam:PassedToService': 'ec2.amazonaws.com' },
    false,
  ],
  [undefined, {}, true],
])('condition %j with %j holds: %s', (condition, context, expected) => {
  expect(conditionHolds(condition, context)).toBe(expected);
});

test('a condition operator the evaluator does not know is an error, not a pass', () => {
  expect(() => conditionHolds({ NumericLessThan: { 's3:max-keys': '10' } }, {})).toThrow(/NumericLessThan/);
});

test('without a context, conditions are not evaluated (a check of actions alone)', () => {
  const statement: Statement = {
    sid: 'List',
    actions: ['s3:ListBucket'],
    resources: ['arn:aws:s3:::b'],
    condition: { StringLike: { 's3:prefix': 'dags/*' } },
  };
  expect(allowing([statement], 's3:ListBucket')).toEqual([statement]);
  expect(allowing([statement], 's3:ListBucket', 'arn:aws:s3:::b', {})).toEqual([]);
});

// Path-style requests as the SDK sends them (S3 API Reference for each operation).
test.each([
  ['GET', '/b', 'list-type=2&prefix=dags%2F', 'ListObjectsV2', ['arn:aws:s3:::b']],
  ['HEAD', '/b/dags/a.py', '', 'HeadObject', ['arn:aws:s3:::b/dags/a.py']],
  ['PUT', '/b/dags/a.py', 'x-id=PutObject', 'PutObject', ['arn:aws:s3:::b/dags/a.py']],
  ['PUT', '/b/k', 'partNumber=1&uploadId=u&x-id=UploadPart', 'UploadPart', ['arn:aws:s3:::b/k']],
  ['POST', '/b/k', 'uploads=', 'CreateMultipartUpload', ['arn:aws:s3:::b/k']],
  ['GET', '/b', 'versioning=', 'GetBucketVersioning', ['arn:aws:s3:::b']],
  ['GET', '/b/dags%20x/a%2Bb.py', 'x-id=GetObject', 'GetObject', ['arn:aws:s3:::b/dags x/a+b.py']],
])('%s %s?%s is %s', (method, path, query, operation, resources) => {
  const named = s3OperationOf({ method, path, query: new URLSearchParams(query), body: '' });
  expect(named.operation).toBe(operation);
  expect(named.resources).toEqual(resources);
});

test('DeleteObjects is checked as s3:DeleteObject on every key its body names', () => {
  const body =
    '<Delete><Object><Key>dags/a.py</Key></Object><Object><Key>dags/b&amp;c.py</Key></Object></Delete>';
  const named = s3OperationOf({ method: 'POST', path: '/b', query: new URLSearchParams('delete='), body });
  expect(named).toEqual({
    operation: 'DeleteObjects',
    resources: ['arn:aws:s3:::b/dags/a.py', 'arn:aws:s3:::b/dags/b&c.py'],
    context: {},
  });
});

test('the list prefix becomes the s3:prefix condition key', () => {
  const named = s3OperationOf({
    method: 'GET',
    path: '/b',
    query: new URLSearchParams('list-type=2&prefix=dags%2F'),
    body: '',
  });
  expect(named.context).toEqual({ 's3:prefix': 'dags/' });
});

describe('the template resolver', () => {
  const pseudo = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333' };
  const template = {
    Parameters: {
      Name: { Type: 'String' },
      Arns: { Type: 'CommaDelimitedList', Default: '' },
      Mode: { Type: 'String', AllowedValues: ['a', 'b'], Default: 'a' },
    },
    Conditions: {
      HasArns: { 'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Join': ['', { Ref: 'Arns' }] }, ''] }] },
      IsB: { 'Fn::Equals': [{ Ref: 'Mode' }, 'b'] },
    },
    Resources: {
      Kept: {
        Type: 'T',
        Properties: {
          Arn: { 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:thing/${Name}' },
          List: [{ 'Fn::If': ['IsB', 'b', { Ref: 'AWS::NoValue' }] }, 'always'],
          Joined: { 'Fn::Sub': ['${A}-${Name}', { A: { 'Fn::Join': ['+', { Ref: 'Arns' }] } }] },
        },
      },
      Dropped: { Type: 'T', Condition: 'HasArns', Properties: {} },
    },
  };

  test('substitutes parameters and pseudo parameters, drops AWS::NoValue and resources whose condition is false', () => {
    const resolved = resolveTemplate(template, { Name: 'n' }, pseudo);
    expect(resolved.resources).toEqual({
      Kept: {
        Type: 'T',
        Properties: { Arn: 'arn:aws:x:eu-west-1:111122223333:thing/n', List: ['always'], Joined: '-n' },
      },
    });
  });

  test('a list parameter splits at commas and conditions follow the values', () => {
    const resolved = resolveTemplate(template, { Name: 'n', Arns: 'x,y', Mode: 'b' }, pseudo);
    expect(resolved.resources.Kept?.Properties).toMatchObject({ List: ['b', 'always'], Joined: 'x+y-n' });
    expect(Object.keys(resolved.resources)).toEqual(['Kept', 'Dropped']);
  });

  test.each([
    [{ Name: 'n', Nope: 'x' }, /no parameter Nope/],
    [{}, /Name has no value/],
    [{ Name: 'n', Mode: 'c' }, /Mode: c is not one of a, b/],
  ])('refuses parameters %j', (given, message) => {
    expect(() => resolveTemplate(template, given, pseudo)).toThrow(message);
  });
});

// CodeDeploy User Guide, "CodeDeploy permissions reference": deployments are authorized on their
// deployment group; CreateDeployment also needs GetDeploymentConfig and RegisterApplicationRevision.
describe('CodeDeploy calls as IAM sees them', () => {
  const where = {
    account: '123456789012',
    region: 'us-east-1',
    codeDeployGroups: codeDeployGroupsOf({
      deployments: [
        { deploymentId: 'd-1', applicationName: 'AppECS-c-s', deploymentGroupName: 'DgpECS-c-s' },
      ],
    }),
  };
  const group = 'arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:AppECS-c-s/DgpECS-c-s';
  const call = (operation: string, params: Record<string, unknown>) => ({
    service: 'codedeploy',
    operation,
    params,
    time: '2026-01-01T00:00:00Z',
    forwarded: false,
  });
  const none = { s3: [], ecr: [] };

  test.each([
    ['GetDeploymentGroup', { applicationName: 'AppECS-c-s', deploymentGroupName: 'DgpECS-c-s' }],
    ['ListDeployments', { applicationName: 'AppECS-c-s', deploymentGroupName: 'DgpECS-c-s' }],
    ['GetDeployment', { deploymentId: 'd-1' }],
    ['ListDeploymentTargets', { deploymentId: 'd-1' }],
  ])('%s is checked on the deployment group', (operation, params) => {
    expect(observedCalls([call(operation, params)], none, where)).toEqual([
      { client: '@aws-sdk/client-codedeploy', operation, resources: [group], context: {} },
    ]);
  });

  test('a deployment id the groups do not know fails rather than going unchecked', () => {
    expect(() => observedCalls([call('GetDeployment', { deploymentId: 'd-9' })], none, where)).toThrow(/d-9/);
  });

  test.each([
    [{}, 'CodeDeployDefault.ECSAllAtOnce'],
    [
      { deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes' },
      'CodeDeployDefault.ECSCanary10Percent5Minutes',
    ],
  ])('CreateDeployment %j also reads %s and registers the revision in the application', (extra, config) => {
    const params = { applicationName: 'AppECS-c-s', deploymentGroupName: 'DgpECS-c-s', ...extra };
    const implied = observedCalls([call('CreateDeployment', params)], none, where).filter(
      (observed) => observed.impliedAction !== undefined,
    );
    expect(implied.map((observed) => [observed.impliedAction, observed.resources])).toEqual([
      [
        'codedeploy:GetDeploymentConfig',
        [`arn:aws:codedeploy:us-east-1:123456789012:deploymentconfig:${config}`],
      ],
      [
        'codedeploy:RegisterApplicationRevision',
        ['arn:aws:codedeploy:us-east-1:123456789012:application:AppECS-c-s'],
      ],
    ]);
  });
});
