/**
 * The bundled deploy-ecs on a service whose deployment controller is CODE_DEPLOY, against the
 * simulator's CodeDeploy: ECS refuses a new task definition on such a service (UpdateService,
 * ECS API reference), so the run creates a CodeDeploy deployment whose AppSpec names the new
 * revision, follows its lifecycle events (AppSpec "hooks" for Amazon ECS) and leaves a rollback
 * to CodeDeploy when the deployment group rolls back itself.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCli } from '../../support/chain/aws-cli';
import { runAction, type RunActionResult } from '../../support/harness';
import { startStack, type Stack } from '../../support/stack';

jest.setTimeout(180_000);

const SPEED = 15;
let stack: Stack;
const workspace = mkdtempSync(join(tmpdir(), 'deploy-ecs-bg-'));

beforeAll(async () => {
  stack = await startStack({ simulatorSpeed: SPEED });
});
afterAll(async () => {
  await stack?.stop();
});
// Each test reads the calls of its own run.
beforeEach(async () => {
  await stack.simulator.clearCalls();
});

const td = (name: string, revision: number) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${name}:${revision}`;

interface SimCodeDeployment {
  deploymentId: string;
  deploymentGroupName: string;
  creator: string;
  status: string;
  taskDefinition: string;
  stoppedByRequest?: boolean;
}

async function seedBlueGreen(
  name: string,
  scenario: string,
  group: Record<string, unknown> = {},
): Promise<void> {
  await stack.simulator.seed('ecs', {
    serviceName: name,
    deploymentController: { type: 'CODE_DEPLOY' },
    loadBalancers: [
      {
        targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}-blue/0123456789abcdef`,
        containerName: 'model',
        containerPort: 8080,
      },
    ],
    taskDefinition: {
      family: name,
      containerDefinitions: [
        {
          name: 'model',
          image: `registry.local/${name}:1`,
          memory: 512,
          portMappings: [{ containerPort: 8080 }],
        },
      ],
    },
  });
  await stack.simulator.seed('codedeploy', { service: name, ...group });
  await stack.simulator.choose('codedeploy', `DgpECS-default-${name}`, scenario);
}

async function codeDeployments(): Promise<SimCodeDeployment[]> {
  return ((await stack.simulator.state('codedeploy')) as { deployments: SimCodeDeployment[] }).deployments;
}

async function serving(
  name: string,
): Promise<{ taskDefinition: string; taskSets: { status: string; taskDefinition: string }[] }> {
  const state = (await stack.simulator.state('ecs')) as {
    services: {
      serviceName: string;
      taskDefinition: string;
      taskSets: { status: string; taskDefinition: string }[];
    }[];
  };
  const found = state.services.find((s) => s.serviceName === name);
  if (!found) throw new Error(`no service ${name}`);
  return found;
}

function deploy(name: string, extra: Record<string, string> = {}): Promise<RunActionResult> {
  return runAction({
    action: 'deploy-ecs',
    inputs: { service: name, 'container-name': 'model', image: `registry.local/${name}:2`, ...extra },
    env: stack.env,
    workspace,
    timeoutMs: 120_000,
  });
}

test('healthy: one CodeDeploy deployment with the new revision in its AppSpec; the replacement task set serves', async () => {
  // A 3-minute termination wait is 12 s at this speed: several polls see it, however loaded the machine.
  await seedBlueGreen('bg-healthy', 'healthy', { terminationWaitMinutes: 3 });
  const result = await deploy('bg-healthy', { 'codedeploy-deployment-description': 'model 2' });
  expect(result.exitCode).toBe(0);
  const id = result.outputs['codedeploy-deployment-id'];
  expect(id).toMatch(/^d-[A-Z0-9]{9}$/);
  expect(result.outputs).toMatchObject({ status: 'succeeded', 'task-definition-arn': td('bg-healthy', 2) });
  // The ECS update ECS would refuse is never tried.
  expect(await stack.simulator.calls({ service: 'ecs', operation: 'UpdateService' })).toEqual([]);
  const [created] = await stack.simulator.calls({ service: 'codedeploy', operation: 'CreateDeployment' });
  const params = created?.params as {
    revision: { appSpecContent: { content: string } };
    description: string;
  };
  expect(JSON.parse(params.revision.appSpecContent.content)).toMatchObject({
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: td('bg-healthy', 2),
            LoadBalancerInfo: { ContainerName: 'model', ContainerPort: 8080 },
          },
        },
      },
    ],
  });
  expect(params.description).toBe('model 2');
  for (const event of [
    'BeforeInstall',
    'Install',
    'AfterInstall',
    'BeforeAllowTraffic',
    'AllowTraffic',
    'AfterAllowTraffic',
  ])
    expect(result.stdout).toContain(`  ${event}: Succeeded`);
  expect(result.stdout).toContain('waiting before terminating the original task set');
  expect(await serving('bg-healthy')).toMatchObject({
    taskDefinition: td('bg-healthy', 2),
    taskSets: [{ status: 'PRIMARY', taskDefinition: td('bg-healthy', 2) }],
  });
  expect(result.summary).toContain(id);
});

test('hook-fails: the failed AfterAllowTraffic hook is printed, CodeDeploy rolls back, the action does not stop it again', async () => {
  await seedBlueGreen('bg-hook', 'hook-fails');
  const result = await deploy('bg-hook');
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('rolled-back');
  const id = result.outputs['codedeploy-deployment-id'];
  const [error] = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(error).toContain(`CodeDeploy deployment ${id} of bg-hook:2 failed: HOOK_EXECUTION_FAILURE`);
  expect(error).toContain('CodeDeploy rolled back to bg-hook:1');
  expect(result.stdout).toContain('AfterAllowTraffic: Failed');
  expect(result.stdout).toContain('lifecycle event AfterAllowTraffic failed');
  expect(await stack.simulator.calls({ service: 'codedeploy', operation: 'StopDeployment' })).toEqual([]);
  expect(await serving('bg-hook')).toMatchObject({
    taskDefinition: td('bg-hook', 1),
    taskSets: [{ status: 'PRIMARY', taskDefinition: td('bg-hook', 1) }],
  });
});

test('alarm-rollback: CodeDeploy stops on the alarm and rolls back; one rollback, none by the action', async () => {
  await seedBlueGreen('bg-alarm', 'alarm-rollback', { alarms: ['bg-alarm-5xx'] });
  const result = await deploy('bg-alarm');
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('rolled-back');
  const [error] = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(error).toContain('ALARM_ACTIVE');
  expect(error).toContain('bg-alarm-5xx');
  expect(await stack.simulator.calls({ service: 'codedeploy', operation: 'StopDeployment' })).toEqual([]);
  const rollbacks = (await codeDeployments()).filter(
    (d) => d.creator === 'codeDeployRollback' && d.taskDefinition === td('bg-alarm', 1),
  );
  expect(rollbacks).toHaveLength(1);
  expect((await serving('bg-alarm')).taskDefinition).toBe(td('bg-alarm', 1));
});

test('never-finishes: at the deadline the action stops the deployment with a rollback through CodeDeploy', async () => {
  await seedBlueGreen('bg-never', 'never-finishes', { terminationWaitMinutes: 0 });
  const result = await deploy('bg-never', { 'timeout-minutes': '0.15' });
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('rolled-back');
  const stops = await stack.simulator.calls({ service: 'codedeploy', operation: 'StopDeployment' });
  expect(stops.map((c) => c.params)).toEqual([
    { deploymentId: result.outputs['codedeploy-deployment-id'], autoRollbackEnabled: true },
  ]);
  expect((await serving('bg-never')).taskDefinition).toBe(td('bg-never', 1));
  // The replacement task set's stopped tasks say why it never became healthy.
  expect(result.stdout).toContain(
    'ServiceSchedulerInitiated: Task failed ELB health checks in (target-group',
  );
  expect(result.summary).toContain('Why it failed: stopped tasks');
});

test('a second run while a deployment of the group is in progress is refused with the active deployment named', async () => {
  await seedBlueGreen('bg-rerun', 'never-finishes', { terminationWaitMinutes: 0 });
  const first = await deploy('bg-rerun', { wait: 'false' });
  expect(first.outputs.status).toBe('started');
  const id = first.outputs['codedeploy-deployment-id'];
  const again = await deploy('bg-rerun', { wait: 'false', image: 'registry.local/bg-rerun:3' });
  expect(again.exitCode).toBe(1);
  const [error] = again.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  // CodeDeploy runs one deployment per group: DeploymentLimitExceededException names the active one.
  expect(error).toContain(`already has an active Deployment '${id}'`);
  expect(
    (await codeDeployments()).filter((d) => d.deploymentId.length > 0 && d.status === 'InProgress'),
  ).toHaveLength(1);
});

test('cancel while following prints the CodeDeploy deployment left in flight', async () => {
  await seedBlueGreen('bg-cancel', 'never-finishes');
  const result = await runAction({
    action: 'deploy-ecs',
    inputs: { service: 'bg-cancel', 'container-name': 'model', image: 'registry.local/bg-cancel:2' },
    env: stack.env,
    workspace,
    timeoutMs: 60_000,
    cancel: { whenLine: /CodeDeploy deployment d-\w+ created/ },
  });
  expect(result.outputs.status).toBe('cancelled');
  const id = result.outputs['codedeploy-deployment-id'];
  expect(id).toMatch(/^d-/);
  expect(result.stdout).toContain(
    `CodeDeploy deployment ${id} of bg-cancel:2 on default/bg-cancel was in progress`,
  );
  expect(result.stdout).toContain(`aws deploy stop-deployment --deployment-id ${id} --auto-rollback-enabled`);
});

// Every CodeDeploy operation the simulator answers parses in the aws CLI (botocore), read back after
// a healthy deployment, and ECS lists the task set that serves.
test('the aws CLI reads the simulator’s CodeDeploy answers', async () => {
  await seedBlueGreen('bg-cli', 'healthy', { terminationWaitMinutes: 0 });
  const result = await deploy('bg-cli');
  expect(result.outputs.status).toBe('succeeded');
  const id = result.outputs['codedeploy-deployment-id'] ?? '';
  const aws = awsCli(stack.endpoints.simulator, stack.env);
  const app = ['--application-name', 'AppECS-default-bg-cli'];
  const group = [...app, '--deployment-group-name', 'DgpECS-default-bg-cli'];
  const info = await aws.json<{ deploymentInfo: { status: string; createTime: string } }>([
    'deploy',
    'get-deployment',
    '--deployment-id',
    id,
  ]);
  expect(info.deploymentInfo.status).toBe('Succeeded');
  expect(await aws.json(['deploy', 'list-deployments', ...group])).toEqual({ deployments: [id] });
  const targets = await aws.json<{ targetIds: string[] }>([
    'deploy',
    'list-deployment-targets',
    '--deployment-id',
    id,
  ]);
  expect(targets.targetIds).toEqual(['default:bg-cli']);
  const target = await aws.json<{
    deploymentTarget: { ecsTarget: { lifecycleEvents: { status: string }[] } };
  }>(['deploy', 'get-deployment-target', '--deployment-id', id, '--target-id', 'default:bg-cli']);
  expect(target.deploymentTarget.ecsTarget.lifecycleEvents.map((e) => e.status)).toEqual(
    Array(6).fill('Succeeded'),
  );
  const batch = await aws.json<{ deploymentTargets: unknown[] }>([
    'deploy',
    'batch-get-deployment-targets',
    '--deployment-id',
    id,
    '--target-ids',
    'default:bg-cli',
  ]);
  expect(batch.deploymentTargets).toHaveLength(1);
  expect(await aws.json(['deploy', 'get-deployment-group', ...group])).toMatchObject({
    deploymentGroupInfo: {
      computePlatform: 'ECS',
      ecsServices: [{ serviceName: 'bg-cli', clusterName: 'default' }],
    },
  });
  expect(await aws.json(['deploy', 'get-application', ...app])).toMatchObject({
    application: { computePlatform: 'ECS' },
  });
  const services = await aws.json<{ services: { taskDefinition: string; taskSets: { status: string }[] }[] }>(
    ['ecs', 'describe-services', '--cluster', 'default', '--services', 'bg-cli'],
  );
  expect(services.services[0]).toMatchObject({
    taskDefinition: td('bg-cli', 2),
    taskSets: [{ status: 'PRIMARY' }],
  });
  await expect(aws.json(['deploy', 'stop-deployment', '--deployment-id', id])).rejects.toThrow(
    'DeploymentAlreadyCompletedException',
  );
});

test('an AppSpec file keeps its hooks; the failed hook’s function is named in the reasons', async () => {
  await seedBlueGreen('bg-file', 'hook-fails');
  mkdirSync(join(workspace, 'deploy'), { recursive: true });
  writeFileSync(
    join(workspace, 'deploy', 'appspec.yaml'),
    [
      'version: 0.0',
      'Resources:',
      '  - TargetService:',
      '      Type: AWS::ECS::Service',
      '      Properties:',
      '        TaskDefinition: <TASK_DEFINITION>',
      '        LoadBalancerInfo:',
      '          ContainerName: model',
      '          ContainerPort: 8080',
      '        PlatformVersion: LATEST',
      'Hooks:',
      '  - AfterAllowTraffic: check-model-answers',
      '',
    ].join('\n'),
  );
  const result = await deploy('bg-file', { 'codedeploy-appspec': 'deploy/appspec.yaml' });
  expect(result.outputs.status).toBe('rolled-back');
  const [created] = await stack.simulator.calls({ service: 'codedeploy', operation: 'CreateDeployment' });
  const params = created?.params as { revision: { appSpecContent: { content: string } } };
  expect(JSON.parse(params.revision.appSpecContent.content)).toMatchObject({
    Resources: [
      { TargetService: { Properties: { TaskDefinition: td('bg-file', 2), PlatformVersion: 'LATEST' } } },
    ],
    Hooks: [{ AfterAllowTraffic: 'check-model-answers' }],
  });
  expect(result.stdout).toContain(
    'lifecycle event AfterAllowTraffic failed: ScriptFailed; check-model-answers',
  );
  expect(result.summary.split('\n')[0]).toMatch(/^## ❌ deploy-ecs rolled back: .*check-model-answers/);
});

test('a CODE_DEPLOY service without a load balancer and no AppSpec: one input error, nothing registered', async () => {
  await stack.simulator.seed('ecs', {
    serviceName: 'bg-nolb',
    deploymentController: { type: 'CODE_DEPLOY' },
    taskDefinition: {
      family: 'bg-nolb',
      containerDefinitions: [{ name: 'model', image: 'registry.local/bg-nolb:1', memory: 512 }],
    },
  });
  await stack.simulator.clearCalls();
  const result = await deploy('bg-nolb');
  expect(result.exitCode).toBe(1);
  expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
    "Input 'codedeploy-appspec' is required: bg-nolb lists no load balancer to take the container name and port from",
  ]);
  expect(await stack.simulator.calls({ service: 'ecs', operation: 'RegisterTaskDefinition' })).toEqual([]);
});

test('rollback-to: previous on a CODE_DEPLOY service returns to the recorded revision through CodeDeploy', async () => {
  await seedBlueGreen('bg-back', 'healthy', { terminationWaitMinutes: 0 });
  const first = await deploy('bg-back');
  expect(first.outputs.status).toBe('succeeded');
  expect(first.stdout).not.toContain('Could not');
  const back = await runAction({
    action: 'deploy-ecs',
    inputs: { service: 'bg-back', 'rollback-to': 'previous' },
    env: stack.env,
    workspace,
    timeoutMs: 120_000,
  });
  expect(back.exitCode).toBe(0);
  expect(back.outputs).toMatchObject({ status: 'succeeded', 'task-definition-arn': td('bg-back', 1) });
  expect(back.outputs['codedeploy-deployment-id']).not.toBe(first.outputs['codedeploy-deployment-id']);
  expect(await stack.simulator.calls({ service: 'ecs', operation: 'UpdateService' })).toEqual([]);
  expect((await serving('bg-back')).taskDefinition).toBe(td('bg-back', 1));
});

test('running the same step again after success creates no CodeDeploy deployment', async () => {
  await seedBlueGreen('bg-again', 'healthy', { terminationWaitMinutes: 0 });
  expect((await deploy('bg-again')).outputs.status).toBe('succeeded');
  await stack.simulator.clearCalls();
  const again = await deploy('bg-again');
  expect(again.exitCode).toBe(0);
  expect(again.outputs.status).toBe('succeeded');
  expect(again.stdout).toContain('Nothing to deploy: bg-again already runs bg-again:2');
  expect(await stack.simulator.calls({ service: 'codedeploy', operation: 'CreateDeployment' })).toEqual([]);
});

// Without the group's automatic rollback, CodeDeploy leaves a deployment that failed after AllowTraffic
// with its replacement task set serving. CodeDeploy's manual rollback is a new deployment of a
// previously deployed revision (CodeDeploy User Guide, "Redeploy and roll back a deployment").
test('hook-fails without the group’s auto-rollback: the action rolls back through a new CodeDeploy deployment of the previous revision', async () => {
  await seedBlueGreen('bg-manual', 'hook-fails', { autoRollback: false, terminationWaitMinutes: 0 });
  const result = await deploy('bg-manual');
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('rolled-back');
  const id = result.outputs['codedeploy-deployment-id'];
  const deployments = (await codeDeployments()).filter(
    (d) => d.deploymentGroupName === 'DgpECS-default-bg-manual',
  );
  // No rollback by CodeDeploy; one by the action, a user deployment of bg-manual:1.
  expect(deployments.filter((d) => d.creator === 'codeDeployRollback')).toEqual([]);
  const back = deployments.filter((d) => d.deploymentId !== id && d.taskDefinition === td('bg-manual', 1));
  expect(back).toHaveLength(1);
  expect(back[0]).toMatchObject({ creator: 'user', status: 'Succeeded' });
  const [error] = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(error).toContain(`CodeDeploy deployment ${id} of bg-manual:2 failed: HOOK_EXECUTION_FAILURE`);
  expect(error).toContain(
    `rolled back to bg-manual:1 through CodeDeploy deployment ${back[0]?.deploymentId}`,
  );
  const created = await stack.simulator.calls({ service: 'codedeploy', operation: 'CreateDeployment' });
  const specs = created.map(
    (c) =>
      JSON.parse(
        (c.params as { revision: { appSpecContent: { content: string } } }).revision.appSpecContent.content,
      ) as {
        Resources: { TargetService: { Properties: { TaskDefinition: string } } }[];
      },
  );
  expect(specs.map((s) => s.Resources[0]?.TargetService.Properties.TaskDefinition)).toEqual([
    td('bg-manual', 2),
    td('bg-manual', 1),
  ]);
  expect(await stack.simulator.calls({ service: 'codedeploy', operation: 'StopDeployment' })).toEqual([]);
  expect(await serving('bg-manual')).toMatchObject({
    taskDefinition: td('bg-manual', 1),
    taskSets: [{ status: 'PRIMARY', taskDefinition: td('bg-manual', 1) }],
  });
  expect(result.summary).toContain('bg-manual:1');
});

test('hook-fails without auto-rollback and rollback-on-failure false: failed, the failed revision left serving', async () => {
  await seedBlueGreen('bg-keep', 'hook-fails', { autoRollback: false, terminationWaitMinutes: 0 });
  const result = await deploy('bg-keep', { 'rollback-on-failure': 'false' });
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('failed');
  const [error] = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(error).toContain('CodeDeploy did not roll it back (rollback-on-failure is false)');
  expect(await stack.simulator.calls({ service: 'codedeploy', operation: 'CreateDeployment' })).toHaveLength(
    1,
  );
  expect((await serving('bg-keep')).taskDefinition).toBe(td('bg-keep', 2));
});

// BeforeAllowTraffic runs before the production listener reaches the replacement task set (AppSpec
// "hooks" section for Amazon ECS): a failure there leaves the original task set serving, so a
// rollback deployment would change nothing.
test('a hook that fails before traffic moves: failed, no rollback deployment, the original task set still serves', async () => {
  await seedBlueGreen('bg-early', 'hook-fails-before-traffic', {
    autoRollback: false,
    terminationWaitMinutes: 0,
  });
  const result = await deploy('bg-early');
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('failed');
  expect(result.stdout).toContain('BeforeAllowTraffic: Failed');
  const [error] = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(error).toContain('failed: HOOK_EXECUTION_FAILURE');
  expect(error).toContain('traffic never moved to it: the original task set still serves bg-early:1');
  expect(await stack.simulator.calls({ service: 'codedeploy', operation: 'CreateDeployment' })).toHaveLength(
    1,
  );
  expect((await serving('bg-early')).taskDefinition).toBe(td('bg-early', 1));
});

// At the deadline the action calls StopDeployment with autoRollbackEnabled ("whether instances that
// have been updated should be rolled back": StopDeployment, CodeDeploy API reference). When the
// deployment then ends Stopped without a rollback deployment, the action reads which task set
// serves production traffic and, if it is the replacement, deploys the previous revision again, as
// CodeDeploy documents a manual rollback ("Redeploy and roll back a deployment", CodeDeploy User
// Guide). Virtual time at SPEED: traffic shifts about 45 virtual seconds (3 s) in; the deadline is 15 s.
test('deadline, the stop does not roll back and the replacement serves: the action redeploys the previous revision', async () => {
  await seedBlueGreen('bg-stuck', 'stop-without-rollback', { terminationWaitMinutes: 0 });
  const result = await deploy('bg-stuck', { 'timeout-minutes': '0.25' });
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('rolled-back');
  const id = result.outputs['codedeploy-deployment-id'];
  const stops = await stack.simulator.calls({ service: 'codedeploy', operation: 'StopDeployment' });
  expect(stops.map((c) => c.params)).toEqual([{ deploymentId: id, autoRollbackEnabled: true }]);
  const deployments = (await codeDeployments()).filter(
    (d) => d.deploymentGroupName === 'DgpECS-default-bg-stuck',
  );
  expect(deployments.filter((d) => d.creator === 'codeDeployRollback')).toEqual([]);
  expect(deployments.find((d) => d.deploymentId === id)).toMatchObject({ status: 'Stopped' });
  const back = deployments.filter((d) => d.deploymentId !== id);
  expect(back).toEqual([
    expect.objectContaining({ creator: 'user', status: 'Succeeded', taskDefinition: td('bg-stuck', 1) }),
  ]);
  const [error] = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(error).toContain(
    'stopped it; CodeDeploy did not roll it back; bg-stuck:2 serves production traffic',
  );
  expect(error).toContain(`rolled back to bg-stuck:1 through CodeDeploy deployment ${back[0]?.deploymentId}`);
  expect(await serving('bg-stuck')).toMatchObject({
    taskDefinition: td('bg-stuck', 1),
    taskSets: [{ status: 'PRIMARY', taskDefinition: td('bg-stuck', 1) }],
  });
});

test('deadline, the stop does not roll back and traffic never moved: failed, the original task set still serves, no new deployment', async () => {
  await seedBlueGreen('bg-held', 'stop-without-rollback-before-traffic', { terminationWaitMinutes: 0 });
  const result = await deploy('bg-held', { 'timeout-minutes': '0.1' });
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('failed');
  expect(await stack.simulator.calls({ service: 'codedeploy', operation: 'StopDeployment' })).toHaveLength(1);
  const [error] = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(error).toContain(
    'stopped it; CodeDeploy did not roll it back; traffic never moved to it: the original task set still serves bg-held:1 (read after the stop)',
  );
  expect(await stack.simulator.calls({ service: 'codedeploy', operation: 'CreateDeployment' })).toHaveLength(
    1,
  );
  expect((await serving('bg-held')).taskDefinition).toBe(td('bg-held', 1));
});
