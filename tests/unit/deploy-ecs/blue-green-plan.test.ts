/**
 * The pure parts of a blue/green deployment: CodeDeploy names (defaults as the ECS console's and
 * aws-actions/amazon-ecs-deploy-task-definition's), the AppSpec (CodeDeploy AppSpec file reference,
 * "Resources" for Amazon ECS) and what a DeploymentInfo status means (DeploymentStatus, API model).
 */
import {
  appSpecProblem,
  generatedAppSpec,
  withTaskDefinition,
} from '../../../actions/deploy-ecs/src/appspec';
import {
  blueGreenPhase,
  blueGreenRecovery,
  planBlueGreen,
  servingTaskDefinition,
  trafficMoved,
} from '../../../actions/deploy-ecs/src/plan';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7';
const none = {
  appSpec: undefined,
  application: undefined,
  deploymentGroup: undefined,
  deploymentConfig: undefined,
  description: undefined,
};

test.each([
  [
    'defaults',
    {},
    { application: 'AppECS-prod-web', deploymentGroup: 'DgpECS-prod-web', deploymentConfig: undefined },
  ],
  [
    'given names',
    {
      application: 'app',
      deploymentGroup: 'dg',
      deploymentConfig: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
    },
    {
      application: 'app',
      deploymentGroup: 'dg',
      deploymentConfig: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
    },
  ],
])('planBlueGreen: %s', (_, given, expected) => {
  const plan = planBlueGreen(
    {
      cluster: 'prod',
      codeDeploy: { ...none, ...given },
      wait: true,
      rollbackOnFailure: true,
      forceNewDeployment: false,
    },
    'web',
    true,
  );
  expect(plan).toMatchObject({ ...expected, follow: true, stopOnDeadline: true });
});

test('planBlueGreen cuts the description to CreateDeployment’s 512 characters', () => {
  const plan = planBlueGreen(
    {
      cluster: 'c',
      codeDeploy: { ...none, description: 'x'.repeat(600) },
      wait: false,
      rollbackOnFailure: false,
      forceNewDeployment: false,
    },
    's',
    true,
  );
  expect(plan.description).toHaveLength(512);
  expect(plan).toMatchObject({ follow: false, stopOnDeadline: false });
});

test.each([
  [true, false, true],
  [false, true, true],
  [false, false, false],
])('planBlueGreen: registered %s, force-new-deployment %s → deploy %s', (registered, force, deploy) => {
  const inputs = {
    cluster: 'c',
    codeDeploy: none,
    wait: true,
    rollbackOnFailure: true,
    forceNewDeployment: force,
  };
  expect(planBlueGreen(inputs, 's', registered).deploy).toBe(deploy);
});

test.each([
  [{ status: 'Created' }, { phase: 'in-progress' }],
  [{ status: 'Queued' }, { phase: 'in-progress' }],
  [{ status: 'InProgress' }, { phase: 'in-progress' }],
  [{ status: 'Baking' }, { phase: 'in-progress' }],
  [{ status: 'Ready' }, { phase: 'in-progress' }],
  [{ status: 'Succeeded' }, { phase: 'succeeded' }],
  [
    { status: 'Failed', error: 'HOOK_EXECUTION_FAILURE: x' },
    { phase: 'failed', why: 'HOOK_EXECUTION_FAILURE: x' },
  ],
  [
    { status: 'Failed', error: 'HOOK_EXECUTION_FAILURE: x', rollbackDeploymentId: 'd-2' },
    { phase: 'rolling-back', rollback: 'd-2', why: 'HOOK_EXECUTION_FAILURE: x' },
  ],
  [
    { status: 'Stopped', error: 'ALARM_ACTIVE: y', rollbackDeploymentId: 'd-3' },
    { phase: 'rolling-back', rollback: 'd-3', why: 'ALARM_ACTIVE: y' },
  ],
  [{ status: 'Stopped' }, { phase: 'failed', why: 'the deployment is Stopped' }],
])('blueGreenPhase(%j) is %j', (facts, expected) => {
  expect(blueGreenPhase({ rollbackDeploymentId: undefined, error: undefined, ...facts })).toEqual(expected);
});

const target = (properties: Record<string, unknown>) => ({
  version: 0.0,
  Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: properties } }],
});
const LB = { LoadBalancerInfo: { ContainerName: 'model', ContainerPort: 8080 } };

test.each([
  ['a complete AppSpec', target({ TaskDefinition: 'placeholder', ...LB }), undefined],
  ['no TaskDefinition (the run fills it in)', target(LB), undefined],
  ['no Resources', { version: 0.0 }, 'has no Resources list'],
  [
    'no ECS service resource',
    { Resources: [{ Fn: { Type: 'AWS::Lambda::Function', Properties: {} } }] },
    'names no resource of Type AWS::ECS::Service',
  ],
  [
    'no container name',
    target({ LoadBalancerInfo: { ContainerPort: 80 } }),
    'needs Properties.LoadBalancerInfo.ContainerName on its AWS::ECS::Service resource',
  ],
  [
    'a port out of range',
    target({ LoadBalancerInfo: { ContainerName: 'm', ContainerPort: 70000 } }),
    'needs Properties.LoadBalancerInfo.ContainerPort (1-65535) on its AWS::ECS::Service resource',
  ],
])('appSpecProblem: %s', (_, doc, expected) => {
  expect(appSpecProblem(doc)).toBe(expected);
});

test('withTaskDefinition points every ECS target at the revision and leaves the rest (hooks) as written', () => {
  const doc = {
    ...target({ TaskDefinition: 'old', ...LB, PlatformVersion: 'LATEST' }),
    Hooks: [{ AfterAllowTraffic: 'check' }],
  };
  const out = withTaskDefinition(doc, ARN);
  expect(out).toEqual({
    ...target({ TaskDefinition: ARN, ...LB, PlatformVersion: 'LATEST' }),
    Hooks: [{ AfterAllowTraffic: 'check' }],
  });
  expect(doc.Resources[0]?.TargetService.Properties.TaskDefinition).toBe('old');
});

test.each([
  ['no load balancer', undefined, undefined],
  ['a load balancer without a container', [{ targetGroupArn: 'tg' }], undefined],
  [
    'the first load balancer with a container',
    [{ targetGroupArn: 'tg' }, { targetGroupArn: 'tg2', containerName: 'model', containerPort: 8080 }],
    target({ TaskDefinition: ARN, ...LB }),
  ],
])('generatedAppSpec: %s', (_, loadBalancers, expected) => {
  expect(generatedAppSpec(loadBalancers, ARN)).toEqual(expected);
});

const td = (rev: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${rev}`;
const events = (allowTraffic: string) =>
  ['BeforeInstall', 'Install', 'AfterInstall', 'BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic'].map(
    (name) => ({ name, status: name === 'AllowTraffic' ? allowTraffic : 'Succeeded' }),
  );

// CodeDeploy reroutes production traffic only in AllowTraffic (AppSpec "hooks" section, lifecycle
// event hooks for an Amazon ECS deployment): a failure before it leaves the original task set serving.
test.each([
  ['no target read', undefined, undefined],
  [
    'AllowTraffic skipped (BeforeAllowTraffic failed)',
    { lifecycleEvents: events('Skipped'), taskSets: [] },
    false,
  ],
  ['AllowTraffic pending', { lifecycleEvents: events('Pending'), taskSets: [] }, false],
  [
    'AllowTraffic in progress (canary share moving)',
    { lifecycleEvents: events('InProgress'), taskSets: [] },
    true,
  ],
  ['AllowTraffic failed part-way', { lifecycleEvents: events('Failed'), taskSets: [] }, true],
  [
    'AllowTraffic succeeded (AfterAllowTraffic failed)',
    { lifecycleEvents: events('Succeeded'), taskSets: [] },
    true,
  ],
  [
    'Green holds traffic although no event is listed',
    { lifecycleEvents: [], taskSets: [{ label: 'Green', trafficWeight: 10 }] },
    true,
  ],
  [
    'Blue holds all of it, events unknown',
    { lifecycleEvents: [], taskSets: [{ label: 'Blue', trafficWeight: 100 }] },
    undefined,
  ],
])('trafficMoved: %s → %s', (_, target, expected) => {
  expect(trafficMoved(target)).toBe(expected);
});

const failed = { phase: 'failed', why: 'HOOK_EXECUTION_FAILURE: hook reported Failed' } as const;
const rollingBack = { phase: 'rolling-back', rollback: 'd-ROLLBACK1', why: 'ALARM_ACTIVE' } as const;
test.each([
  [
    'CodeDeploy rolls back itself: follow it, never a second',
    rollingBack,
    true,
    true,
    td(1),
    { kind: 'follow-codedeploy', rollback: 'd-ROLLBACK1' },
  ],
  [
    'CodeDeploy rolls back itself, rollback-on-failure false',
    rollingBack,
    false,
    true,
    td(1),
    { kind: 'follow-codedeploy', rollback: 'd-ROLLBACK1' },
  ],
  [
    'failed after traffic moved: redeploy the previous revision',
    failed,
    true,
    true,
    td(1),
    { kind: 'redeploy', to: td(1) },
  ],
  [
    'failed, traffic unknown: redeploy (harmless if it still serves)',
    failed,
    true,
    undefined,
    td(1),
    { kind: 'redeploy', to: td(1) },
  ],
  [
    'failed before traffic moved: the original task set serves',
    failed,
    true,
    false,
    td(1),
    { kind: 'none', why: 'still-serving' },
  ],
  ['rollback-on-failure false', failed, false, true, td(1), { kind: 'none', why: 'not-asked' }],
  ['no previous revision', failed, true, true, undefined, { kind: 'none', why: 'nothing-to-return-to' }],
  [
    'the previous revision is the one deployed (forced)',
    failed,
    true,
    true,
    td(2),
    { kind: 'none', why: 'nothing-to-return-to' },
  ],
] as const)('blueGreenRecovery: %s', (_, phase, rollbackOnFailure, moved, previous, expected) => {
  expect(
    blueGreenRecovery({ phase, rollbackOnFailure, trafficMoved: moved, previous, deployed: td(2) }),
  ).toEqual(expected);
});

test.each([
  [
    'the PRIMARY task set',
    {
      taskDefinition: td(3),
      taskSets: [
        { status: 'ACTIVE', taskDefinition: td(2) },
        { status: 'PRIMARY', taskDefinition: td(1) },
      ],
    },
    td(1),
  ],
  ['no task sets: the service’s own', { taskDefinition: td(3) }, td(3)],
])('servingTaskDefinition: %s', (_, service, expected) => {
  expect(servingTaskDefinition(service)).toBe(expected);
});
