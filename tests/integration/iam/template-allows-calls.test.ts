/**
 * The IAM template against real runs: the bundled actions run on the local stack as the example
 * workflows run them, every AWS call they make is recorded (tests/support/iam/observed-calls.ts), and
 * each must be allowed by the policy of the role that job assumes (examples/iam/template.yaml
 * resolved with this run's names), on its resource where the call names one. Every call made must
 * also be one tests/unit/iam derived from the bundle, so that derivation misses nothing.
 */
import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { runAction, type RunActionResult } from '../../support/harness';
import { iamActionsFor, takesNoResource } from '../../support/iam/iam-actions';
import {
  codeDeployGroupsOf,
  observedCalls,
  RequestRecorder,
  type ObservedCall,
} from '../../support/iam/observed-calls';
import { allowing, rolesOf, templateFor, type RolePolicy } from '../../support/iam/policy';
import { ACCOUNT, REGION } from '../../support/iam/roles';
import { sdkCallsOf, type ActionName } from '../../support/iam/sdk-calls';
import { startStack, type Stack } from '../../support/stack';
import { FAKE_BUILDER_SCRIPT } from '../../support/fake-builders';

jest.setTimeout(240_000);

const SPEED = 60;
let stack: Stack;
let recorder: RequestRecorder;
let s3: S3Client;

beforeAll(async () => {
  stack = await startStack({ simulatorSpeed: SPEED });
  recorder = await RequestRecorder.start(stack.env.AWS_ENDPOINT_URL ?? '');
  s3 = new S3Client({
    endpoint: stack.env.STACK_MOTO_URL ?? '',
    region: REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  s3?.destroy();
  await recorder?.close();
  await stack?.stop();
});

async function run(
  action: ActionName,
  workspace: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<RunActionResult> {
  const result = await runAction({
    action,
    workspace,
    inputs,
    env: { ...stack.env, AWS_ENDPOINT_URL: recorder.url, ...env },
    clockSpeed: SPEED,
    timeoutMs: 120_000,
  });
  if (result.exitCode !== 0) throw new Error(`${action} failed:\n${result.stdout}`);
  return result;
}

/** The calls made since the last `forget()`. */
async function callsMade(): Promise<ObservedCall[]> {
  return observedCalls(await stack.simulator.calls(), recorder.requests, {
    account: ACCOUNT,
    region: REGION,
    // CodeDeploy calls that name a deployment by id are authorized on its deployment group.
    codeDeployGroups: codeDeployGroupsOf(await stack.simulator.state('codedeploy')),
  });
}

async function forget(): Promise<void> {
  await stack.simulator.clearCalls();
  recorder.clear();
}

/** Calls the role's policy does not allow, as `operation → action on resource` lines. */
async function denied(calls: readonly ObservedCall[], role: RolePolicy): Promise<string[]> {
  const lines: string[] = [];
  for (const call of calls) {
    const resources = call.resources.length > 0 ? call.resources : [undefined];
    const actions = call.impliedAction
      ? [call.impliedAction]
      : await iamActionsFor(call.client, call.operation);
    for (const action of actions) {
      // An action without resource-level permissions is asked for on "*", whatever the call names.
      const asked = (await takesNoResource(action)) ? ['*'] : resources;
      for (const resource of asked) {
        if (allowing(role.statements, action, resource, call.context).length === 0) {
          lines.push(`${call.operation} → ${action} on ${resource ?? '(any)'}`);
        }
      }
    }
  }
  return lines;
}

function notDerived(calls: readonly ObservedCall[], actions: readonly ActionName[]): string[] {
  const known = new Set(
    actions.flatMap((action) => sdkCallsOf(action).map((c) => `${c.client} ${c.operation}`)),
  );
  const sdkCalls = calls.filter((call) => call.impliedAction === undefined);
  return [...new Set(sdkCalls.map((c) => `${c.client} ${c.operation}`))].filter((key) => !known.has(key));
}

test('sync-dags with MWAA: every call of a first sync, an update and a sync that deletes is allowed to SyncDagsRole', async () => {
  const bucket = `iam-dags-${process.pid}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  await stack.simulator.seed('mwaa', {
    Name: 'airflow-iam',
    SourceBucketArn: `arn:aws:s3:::${bucket}`,
    DagS3Path: 'dags',
  });
  const role = rolesOf(
    templateFor({
      GitHubRepository: 'octo-org/model-service',
      DagsBucket: bucket,
      MwaaEnvironmentName: 'airflow-iam',
    }),
  ).SyncDagsRole;
  if (!role) throw new Error('no SyncDagsRole');

  const workspace = mkdtempSync(join(tmpdir(), 'iam-sync-dags-'));
  mkdirSync(join(workspace, 'dags'));
  for (const name of ['a', 'b', 'c']) {
    writeFileSync(join(workspace, 'dags', `${name}.py`), `# ${name}\nVALUE = '${name}'\n`);
  }
  writeFileSync(join(workspace, 'requirements.txt'), 'apache-airflow-providers-amazon\n');
  const inputs = {
    bucket,
    'mwaa-environment': 'airflow-iam',
    requirements: 'requirements.txt',
    validate: 'none',
    delete: 'true',
  };
  await forget();
  await run('sync-dags', workspace, inputs);
  rmSync(join(workspace, 'dags', 'b.py'));
  writeFileSync(join(workspace, 'requirements.txt'), 'apache-airflow-providers-amazon\nboto3\n');
  await run('sync-dags', workspace, inputs);

  const calls = await callsMade();
  expect(calls.map((call) => call.operation)).toEqual(
    expect.arrayContaining([
      'ListObjectsV2',
      'PutObject',
      'DeleteObjects',
      'GetEnvironment',
      'UpdateEnvironment',
    ]),
  );
  expect(await denied(calls, role)).toEqual([]);
  expect(notDerived(calls, ['sync-dags'])).toEqual([]);
  // The resources are checked, not only the actions: the same calls under another prefix are not allowed.
  const elsewhere = rolesOf(
    templateFor({ GitHubRepository: 'octo-org/model-service', DagsBucket: bucket, DagsPrefix: 'other' }),
  ).SyncDagsRole;
  expect(await denied(calls, elsewhere as RolePolicy)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^PutObject → s3:PutObject on arn:aws:s3:::iam-dags-\d+\/dags\//),
    ]),
  );
  rmSync(workspace, { recursive: true, force: true });
});

const TASK_ROLE = `arn:aws:iam::${ACCOUNT}:role/iam-web-task`;
const EXECUTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`;

async function seedService(name: string): Promise<void> {
  await stack.simulator.choose('ecs', name, 'healthy');
  await stack.simulator.seed('ecs', {
    serviceName: name,
    taskDefinition: {
      family: name,
      containerDefinitions: [{ name: 'model', image: `registry.local/${name}:1`, memory: 512 }],
    },
  });
}

test('deploy-ecs: deploys are allowed to DeployEcsRole and rollback-to previous to RollbackRole', async () => {
  const service = 'iam-web';
  await seedService(service);
  const roles = rolesOf(
    templateFor({
      GitHubRepository: 'octo-org/model-service',
      EcsClusterName: 'default',
      EcsServiceName: service,
      EcsTaskDefinitionFamily: service,
      EcsPassRoleArns: `${TASK_ROLE},${EXECUTION_ROLE}`,
    }),
  );
  const workspace = mkdtempSync(join(tmpdir(), 'iam-deploy-ecs-'));
  // As examples/workflows/deploy-environment.yml deploys: the roles and a rollback on failure.
  const deploy = {
    service,
    'container-name': 'model',
    'task-role-arn': TASK_ROLE,
    'execution-role-arn': EXECUTION_ROLE,
    'rollback-on-failure': 'true',
  };

  await forget();
  await run('deploy-ecs', workspace, { ...deploy, image: `registry.local/${service}:2` });
  await run('deploy-ecs', workspace, { ...deploy, image: `registry.local/${service}:3` });
  const deploys = await callsMade();
  expect(deploys.map((call) => call.operation)).toEqual(
    expect.arrayContaining(['RegisterTaskDefinition', 'UpdateService', 'TagResource']),
  );
  expect(await denied(deploys, roles.DeployEcsRole as RolePolicy)).toEqual([]);
  expect(notDerived(deploys, ['deploy-ecs'])).toEqual([]);
  // The roles the task definition names were passed, and only they may be.
  expect(
    deploys.filter((call) => call.impliedAction === 'iam:PassRole').flatMap((call) => call.resources),
  ).toEqual(expect.arrayContaining([TASK_ROLE, EXECUTION_ROLE]));
  const otherRoles = rolesOf(
    templateFor({
      GitHubRepository: 'octo-org/model-service',
      EcsClusterName: 'default',
      EcsServiceName: service,
      EcsTaskDefinitionFamily: service,
      EcsPassRoleArns: `arn:aws:iam::${ACCOUNT}:role/another`,
    }),
  ).DeployEcsRole;
  expect(await denied(deploys, otherRoles as RolePolicy)).toContain(
    `RegisterTaskDefinition → iam:PassRole on ${TASK_ROLE}`,
  );

  await forget();
  const rollback = await run('deploy-ecs', workspace, { service, 'rollback-to': 'previous' });
  expect(rollback.outputs['task-definition-arn']).toMatch(new RegExp(`task-definition/${service}:2$`));
  const rollbacks = await callsMade();
  expect(rollbacks.map((call) => call.operation)).toContain('UpdateService');
  expect(await denied(rollbacks, roles.RollbackRole as RolePolicy)).toEqual([]);
  expect(notDerived(rollbacks, ['deploy-ecs'])).toEqual([]);
  rmSync(workspace, { recursive: true, force: true });
});

// deploy-ecs's rollback-to on a service whose deployment controller is CODE_DEPLOY deploys the
// revision through CodeDeploy (actions/deploy-ecs/src/rollback-to.ts): ECS refuses UpdateService of
// such a service's task definition (ECS API reference, UpdateService), so the rollback role needs
// CodeDeploy's deployment calls with EcsBlueGreen=true (CodeDeploy User Guide, "CodeDeploy
// permissions reference").
test('deploy-ecs on a CODE_DEPLOY service: the blue/green deploy is allowed to DeployEcsRole and rollback-to previous to RollbackRole', async () => {
  const service = 'iam-bg';
  await stack.simulator.seed('ecs', {
    serviceName: service,
    deploymentController: { type: 'CODE_DEPLOY' },
    loadBalancers: [
      {
        targetGroupArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${service}-blue/0123456789abcdef`,
        containerName: 'model',
        containerPort: 8080,
      },
    ],
    taskDefinition: {
      family: service,
      containerDefinitions: [
        {
          name: 'model',
          image: `registry.local/${service}:1`,
          memory: 512,
          portMappings: [{ containerPort: 8080 }],
        },
      ],
    },
  });
  await stack.simulator.seed('codedeploy', { service, terminationWaitMinutes: 0 });
  await stack.simulator.choose('codedeploy', `DgpECS-default-${service}`, 'healthy');
  const rolesWith = (blueGreen: string, serviceName = service) =>
    rolesOf(
      templateFor({
        GitHubRepository: 'octo-org/model-service',
        EcsClusterName: 'default',
        EcsServiceName: serviceName,
        EcsTaskDefinitionFamily: service,
        EcsBlueGreen: blueGreen,
      }),
    );
  const roles = rolesWith('true');
  const workspace = mkdtempSync(join(tmpdir(), 'iam-deploy-ecs-bg-'));

  await forget();
  const deployed = await run('deploy-ecs', workspace, {
    service,
    'container-name': 'model',
    image: `registry.local/${service}:2`,
  });
  expect(deployed.outputs['codedeploy-deployment-id']).toBeTruthy();
  const deploys = await callsMade();
  expect(await denied(deploys, roles.DeployEcsRole as RolePolicy)).toEqual([]);
  expect(notDerived(deploys, ['deploy-ecs'])).toEqual([]);

  await forget();
  const rollback = await run('deploy-ecs', workspace, { service, 'rollback-to': 'previous' });
  expect(rollback.outputs).toMatchObject({
    status: 'succeeded',
    'task-definition-arn': `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${service}:1`,
  });
  const rollbacks = await callsMade();
  const operations = rollbacks.map((call) => call.operation);
  expect(operations).toEqual(
    expect.arrayContaining([
      'DescribeServices',
      'ListTagsForResource',
      'GetDeploymentGroup',
      'ListDeployments',
      'CreateDeployment',
      'GetDeployment',
    ]),
  );
  expect(operations).not.toContain('UpdateService');
  expect(operations).not.toContain('RegisterTaskDefinition');
  expect(await denied(rollbacks, roles.RollbackRole as RolePolicy)).toEqual([]);
  expect(notDerived(rollbacks, ['deploy-ecs'])).toEqual([]);
  // The CodeDeploy rights are what allows it: without EcsBlueGreen, or for another service's
  // deployment group, the rollback's CreateDeployment is refused.
  const group = `arn:aws:codedeploy:${REGION}:${ACCOUNT}:deploymentgroup:AppECS-default-${service}/DgpECS-default-${service}`;
  expect(await denied(rollbacks, rolesWith('false').RollbackRole as RolePolicy)).toContain(
    `CreateDeployment → codedeploy:CreateDeployment on ${group}`,
  );
  expect(await denied(rollbacks, rolesWith('true', 'other').RollbackRole as RolePolicy)).toEqual(
    expect.arrayContaining([
      `CreateDeployment → codedeploy:CreateDeployment on ${group}`,
      `CreateDeployment → codedeploy:RegisterApplicationRevision on arn:aws:codedeploy:${REGION}:${ACCOUNT}:application:AppECS-default-${service}`,
    ]),
  );
  rmSync(workspace, { recursive: true, force: true });
});

test('deploy-ecs run-task: a one-off task is allowed to DeployEcsRole with EcsRunTask', async () => {
  const family = 'iam-batch';
  const roles = (runTask: string) =>
    rolesOf(
      templateFor({
        GitHubRepository: 'octo-org/model-service',
        EcsClusterName: 'default',
        EcsServiceName: 'iam-web',
        EcsTaskDefinitionFamily: family,
        EcsRunTask: runTask,
      }),
    ).DeployEcsRole as RolePolicy;
  const workspace = mkdtempSync(join(tmpdir(), 'iam-run-task-'));
  writeFileSync(
    join(workspace, 'batch.json'),
    JSON.stringify({
      family,
      containerDefinitions: [{ name: 'score', image: 'registry.local/score:1', memory: 256 }],
    }),
  );
  await forget();
  await run('deploy-ecs', workspace, {
    'task-definition': 'batch.json',
    'run-task': 'true',
    'run-task-launch-type': 'EC2',
  });
  const calls = await callsMade();
  expect(calls.map((call) => call.operation)).toEqual(
    expect.arrayContaining(['RegisterTaskDefinition', 'RunTask']),
  );
  expect(calls.find((call) => call.operation === 'RunTask')?.resources).toEqual([
    expect.stringMatching(new RegExp(`:task-definition/${family}:\\d+$`)),
  ]);
  expect(await denied(calls, roles('true'))).toEqual([]);
  expect(notDerived(calls, ['deploy-ecs'])).toEqual([]);
  // Without EcsRunTask the same run is refused its RunTask.
  expect(await denied(calls, roles('false'))).toEqual([expect.stringMatching(/^RunTask → ecs:RunTask on /)]);
  rmSync(workspace, { recursive: true, force: true });
});

const STORAGE_BUCKET = `elasticbeanstalk-${REGION}-${ACCOUNT}`;
const IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/model`;

/** The bucket CreateStorageLocation names, made in moto once as the real call would make it. */
async function storageBucket(): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: STORAGE_BUCKET }));
  } catch (error) {
    if ((error as Error).name !== 'BucketAlreadyOwnedByYou') throw error;
  }
}

test('deploy-beanstalk: deploys are allowed to DeployBeanstalkRole and rollback-to previous to RollbackRole', async () => {
  const application = 'iam-app';
  const environment = 'iam-app-prod';
  await storageBucket();
  await stack.simulator.choose('elasticbeanstalk', environment, 'healthy');
  await stack.simulator.seed('elasticbeanstalk', {
    ApplicationName: application,
    VersionLabel: 'v0',
    EnvironmentName: environment,
    CreatedSecondsAgo: 3600,
  });
  const roles = rolesOf(
    templateFor({
      GitHubRepository: 'octo-org/model-service',
      BeanstalkApplication: application,
      BeanstalkEnvironment: environment,
    }),
  );
  const workspace = mkdtempSync(join(tmpdir(), 'iam-deploy-beanstalk-'));
  const names = { 'application-name': application, 'environment-name': environment };

  await forget();
  // As examples/workflows/deploy-environment.yml deploys: an image, its port, pruned versions.
  const example = { 'container-port': '8080', 'keep-versions': '1', 'rollback-on-failure': 'true' };
  await run('deploy-beanstalk', workspace, {
    ...names,
    ...example,
    image: `${IMAGE}:1`,
    'version-label': 'v1',
  });
  await run('deploy-beanstalk', workspace, {
    ...names,
    ...example,
    image: `${IMAGE}:2`,
    'version-label': 'v2',
  });
  await run('deploy-beanstalk', workspace, {
    ...names,
    ...example,
    image: `${IMAGE}:3`,
    'version-label': 'v3',
  });
  const deploys = await callsMade();
  expect(deploys.map((call) => call.operation)).toEqual(
    expect.arrayContaining([
      'CreateStorageLocation',
      'PutObject',
      'CreateApplicationVersion',
      'UpdateEnvironment',
      'UpdateTagsForResource',
    ]),
  );
  expect(await denied(deploys, roles.DeployBeanstalkRole as RolePolicy)).toEqual([]);
  expect(notDerived(deploys, ['deploy-beanstalk'])).toEqual([]);

  await forget();
  const rollback = await run('deploy-beanstalk', workspace, { ...names, 'rollback-to': 'previous' });
  expect(rollback.outputs['version-label']).toBe('v2');
  const rollbacks = await callsMade();
  expect(rollbacks.map((call) => call.operation)).toContain('UpdateEnvironment');
  expect(await denied(rollbacks, roles.RollbackRole as RolePolicy)).toEqual([]);
  expect(notDerived(rollbacks, ['deploy-beanstalk'])).toEqual([]);
  rmSync(workspace, { recursive: true, force: true });
});

// build-push's own test builder: it stands in for buildah and plays the registry's part of a push
// through moto directly, so only the action's own calls pass the recorder.

test('build-push: every call of a push that creates the repository and gates on the scan is allowed to BuildPushRole', async () => {
  const repository = 'ml/iam-model';
  const builder = builderWorkspace();
  const role = rolesOf(
    templateFor({
      GitHubRepository: 'octo-org/model-service',
      EcrRepositoryArns: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${repository}`,
      EcrCreateRepository: 'true',
    }),
  ).BuildPushRole;

  await forget();
  await run(
    'build-push',
    join(builder.dir, 'ws'),
    // As examples/workflows/deploy.yml builds: reuse an existing image, gate on the scan.
    {
      repository,
      tags: 'v1\nmain',
      'create-repository': 'true',
      engine: 'buildah',
      'skip-if-exists': 'true',
      'fail-on-severity': 'CRITICAL',
    },
    builder.env,
  );
  const calls = await callsMade();
  expect(calls.map((call) => call.operation)).toEqual(
    expect.arrayContaining([
      'GetAuthorizationToken',
      'DescribeRepositories',
      'CreateRepository',
      'DescribeImages',
      'StartImageScan',
      'DescribeImageScanFindings',
    ]),
  );
  expect(calls.filter((call) => call.operation === 'CreateRepository')[0]?.resources).toEqual([
    `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${repository}`,
  ]);
  expect(await denied(calls, role as RolePolicy)).toEqual([]);
  expect(notDerived(calls, ['build-push'])).toEqual([]);
  rmSync(builder.dir, { recursive: true, force: true });
});

/** A workspace for build-push whose buildah is the test builder. */
function builderWorkspace(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'iam-build-push-'));
  for (const sub of ['ws', 'state', 'docker', 'bin']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'ws', 'Dockerfile'), 'FROM scratch\nCOPY model.txt /model.txt\n');
  writeFileSync(join(dir, 'ws', 'model.txt'), 'weights\n');
  const wrapper = join(dir, 'bin', 'buildah');
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec node '${FAKE_BUILDER_SCRIPT}' '${join(dir, 'fake.json')}' buildah "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  writeFileSync(
    join(dir, 'fake.json'),
    JSON.stringify({
      log: join(dir, 'calls.jsonl'),
      state: join(dir, 'state'),
      password: `${ACCOUNT}-auth-token`,
      moto: stack.env.STACK_MOTO_URL,
    }),
  );
  return {
    dir,
    env: { PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`, DOCKER_CONFIG: join(dir, 'docker') },
  };
}

test('pull requests: a build without push and a DAG sync plan are allowed to the read-only PlanRole', async () => {
  const bucket = `iam-plan-${process.pid}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // Written by another tool, without the checksum metadata: the plan has to read it to compare.
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dags/a.py', Body: 'A = 0\n' }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dags/gone.py', Body: 'G = 0\n' }));
  const repository = 'ml/iam-plan';
  const role = rolesOf(
    templateFor({
      GitHubRepository: 'octo-org/model-service',
      EcrRepositoryArns: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${repository}`,
      DagsBucket: bucket,
      CreatePlanRole: 'true',
    }),
  ).PlanRole as RolePolicy;

  const workspace = mkdtempSync(join(tmpdir(), 'iam-plan-'));
  mkdirSync(join(workspace, 'dags'));
  writeFileSync(join(workspace, 'dags', 'a.py'), 'A = 1\n');
  const builder = builderWorkspace();

  await forget();
  // As examples/workflows/pull-request.yml runs them.
  await run('sync-dags', workspace, {
    bucket,
    source: 'dags',
    delete: 'true',
    validate: 'none',
    'dry-run': 'true',
  });
  await run(
    'build-push',
    join(builder.dir, 'ws'),
    { repository, push: 'false', engine: 'buildah' },
    builder.env,
  );

  const calls = await callsMade();
  expect(calls.map((call) => call.operation)).toEqual(
    expect.arrayContaining(['ListObjectsV2', 'GetAuthorizationToken']),
  );
  expect(await denied(calls, role)).toEqual([]);
  expect(notDerived(calls, ['sync-dags', 'build-push'])).toEqual([]);
  rmSync(workspace, { recursive: true, force: true });
  rmSync(builder.dir, { recursive: true, force: true });
});

test('deploy-beanstalk create-application and create-environment are allowed to DeployBeanstalkRole with BeanstalkCreateEnvironment', async () => {
  const application = 'iam-new-app';
  const environment = 'iam-new-app-prod';
  await storageBucket();
  await stack.simulator.choose('elasticbeanstalk', environment, 'healthy');
  const roles = (create: string) =>
    rolesOf(
      templateFor({
        GitHubRepository: 'octo-org/model-service',
        BeanstalkApplication: application,
        BeanstalkEnvironment: environment,
        BeanstalkCreateEnvironment: create,
      }),
    ).DeployBeanstalkRole as RolePolicy;
  const workspace = mkdtempSync(join(tmpdir(), 'iam-create-beanstalk-'));
  await forget();
  await run('deploy-beanstalk', workspace, {
    'application-name': application,
    'environment-name': environment,
    image: `${IMAGE}:1`,
    'version-label': 'v1',
    'create-application': 'true',
    'create-environment': 'true',
    'solution-stack-name': '64bit Amazon Linux 2023 v4.3.0 running Docker',
    'cname-prefix': 'iam-new-app-7',
  });
  const calls = await callsMade();
  expect(calls.map((call) => call.operation)).toEqual(
    expect.arrayContaining(['CreateApplication', 'CheckDNSAvailability', 'CreateEnvironment']),
  );
  expect(await denied(calls, roles('true'))).toEqual([]);
  expect(notDerived(calls, ['deploy-beanstalk'])).toEqual([]);
  expect(await denied(calls, roles('false'))).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^CreateApplication → /),
      expect.stringMatching(/^CheckDNSAvailability → /),
      expect.stringMatching(/^CreateEnvironment → /),
    ]),
  );
  rmSync(workspace, { recursive: true, force: true });
});

test('deploy-sagemaker: a create, updates with a canary and pruning, and a failed update are allowed to DeploySageMakerRole', async () => {
  const endpoint = 'iam-model';
  const executionRole = `arn:aws:iam::${ACCOUNT}:role/sagemaker-execution`;
  const image = (digit: string) =>
    `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/model@sha256:${digit.repeat(64)}`;
  const roles = (executionRoles: string) =>
    rolesOf(
      templateFor({
        GitHubRepository: 'octo-org/model-service',
        SageMakerEndpointName: endpoint,
        SageMakerExecutionRoleArns: executionRoles,
      }),
    ).DeploySageMakerRole as RolePolicy;
  await stack.simulator.choose('sagemaker', endpoint, 'healthy');
  const workspace = mkdtempSync(join(tmpdir(), 'iam-deploy-sagemaker-'));
  // As examples/workflows/deploy-environment.yml deploys: the image by digest, a canary with alarms.
  const deploy = {
    'endpoint-name': endpoint,
    'execution-role-arn': executionRole,
    'instance-type': 'ml.m5.large',
    'instance-count': '2',
    deployment: 'canary',
    'canary-size': '50%',
    'wait-interval': '60',
    alarms: `${endpoint}-5xx`,
    // The third deploy prunes the first version: List*, DescribeEndpoint of every endpoint, Delete*.
    'keep-versions': '1',
  };

  await forget();
  await run('deploy-sagemaker', workspace, { ...deploy, image: image('1') });
  await run('deploy-sagemaker', workspace, { ...deploy, image: image('2') });
  await run('deploy-sagemaker', workspace, { ...deploy, image: image('4') });
  // A failed update: SageMaker's FailureReason, then the endpoint's log lines (CloudWatch Logs,
  // from the chunk the bundle loads on demand).
  await stack.simulator.choose('sagemaker', endpoint, 'ping-fails');
  const failed = await runAction({
    action: 'deploy-sagemaker',
    workspace,
    inputs: { ...deploy, image: image('3') },
    env: { ...stack.env, AWS_ENDPOINT_URL: recorder.url },
    clockSpeed: SPEED,
    timeoutMs: 120_000,
  });
  expect(failed.outputs.status).toBe('rolled-back');
  const calls = await callsMade();
  expect(calls.map((call) => call.operation)).toEqual(
    expect.arrayContaining([
      'CreateModel',
      'CreateEndpointConfig',
      'CreateEndpoint',
      'UpdateEndpoint',
      'DescribeEndpoint',
      'ListEndpoints',
      'ListModels',
      'ListEndpointConfigs',
      'DeleteModel',
      'DeleteEndpointConfig',
      'FilterLogEvents',
    ]),
  );
  expect(await denied(calls, roles(executionRole))).toEqual([]);
  expect(notDerived(calls, ['deploy-sagemaker'])).toEqual([]);
  // The resources are checked: another endpoint's role allows none of these, and a role that may
  // pass another execution role is refused this one.
  const elsewhere = rolesOf(
    templateFor({ GitHubRepository: 'octo-org/model-service', SageMakerEndpointName: 'other-model' }),
  ).DeploySageMakerRole as RolePolicy;
  expect(await denied(calls, elsewhere)).toEqual(
    expect.arrayContaining([
      `CreateEndpoint → sagemaker:CreateEndpoint on arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${endpoint}`,
      expect.stringMatching(
        new RegExp(`^CreateModel → sagemaker:CreateModel on .*:model/${endpoint}-1{12}-`),
      ),
    ]),
  );
  expect(await denied(calls, roles(`arn:aws:iam::${ACCOUNT}:role/another`))).toContain(
    `CreateModel → iam:PassRole on ${executionRole}`,
  );
  rmSync(workspace, { recursive: true, force: true });
});

// deploy-sagemaker's rollback-to returns the endpoint to an existing configuration
// (actions/deploy-sagemaker/src/rollback-to.ts): the recorded previous one read from the endpoint's
// tag, UpdateEndpoint, and keep-versions' pruning after it. Nothing is created and no role passed.
test('deploy-sagemaker: rollback-to previous with keep-versions is allowed to RollbackRole, which creates nothing', async () => {
  const endpoint = 'iam-rollback-model';
  const executionRole = `arn:aws:iam::${ACCOUNT}:role/sagemaker-execution`;
  const image = (digit: string) =>
    `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/model@sha256:${digit.repeat(64)}`;
  const rolesFor = (name: string) =>
    rolesOf(
      templateFor({
        GitHubRepository: 'octo-org/model-service',
        SageMakerEndpointName: name,
        SageMakerExecutionRoleArns: executionRole,
      }),
    );
  const roles = rolesFor(endpoint);
  const other = 'iam-other-model';
  await stack.simulator.choose('sagemaker', endpoint, 'healthy');
  await stack.simulator.choose('sagemaker', other, 'healthy');
  const workspace = mkdtempSync(join(tmpdir(), 'iam-rollback-sagemaker-'));
  const deploy = {
    'endpoint-name': endpoint,
    'execution-role-arn': executionRole,
    'instance-type': 'ml.m5.large',
  };
  // Another endpoint of the account: keep-versions reads what it serves (DescribeEndpoint,
  // DescribeEndpointConfig of its configuration), so that nothing it serves or names is deleted.
  await run('deploy-sagemaker', workspace, { ...deploy, 'endpoint-name': other, image: image('9') });
  // Three versions; the second is recorded as the previous one when the third serves.
  await run('deploy-sagemaker', workspace, { ...deploy, image: image('1') });
  await run('deploy-sagemaker', workspace, { ...deploy, image: image('2') });
  const third = await run('deploy-sagemaker', workspace, { ...deploy, image: image('3') });
  const serving = third.outputs['endpoint-config-name'];

  await forget();
  // As examples/workflows/rollback.yml runs it: keep-versions 10 there; 1 here, so that the first
  // version is pruned under this role.
  const rollback = await run('deploy-sagemaker', workspace, {
    'endpoint-name': endpoint,
    'rollback-to': 'previous',
    'keep-versions': '1',
  });
  expect(rollback.outputs.status).toBe('succeeded');
  expect(rollback.outputs['endpoint-config-name']).not.toBe(serving);
  const calls = await callsMade();
  const operations = calls.map((call) => call.operation);
  expect(operations).toEqual(
    expect.arrayContaining([
      'DescribeEndpoint',
      'ListTags',
      'DescribeEndpointConfig',
      'UpdateEndpoint',
      'ListEndpointConfigs',
      'ListModels',
      'ListEndpoints',
      'DeleteEndpointConfig',
      'DeleteModel',
    ]),
  );
  expect(calls.flatMap((call) => call.resources)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(new RegExp(`:endpoint/${other}$`)),
      expect.stringMatching(new RegExp(`:endpoint-config/${other}-`)),
    ]),
  );
  for (const creates of ['CreateModel', 'CreateEndpointConfig', 'CreateEndpoint'])
    expect(operations).not.toContain(creates);
  expect(await denied(calls, roles.RollbackRole as RolePolicy)).toEqual([]);
  expect(notDerived(calls, ['deploy-sagemaker'])).toEqual([]);
  // The resources are checked: another endpoint's rollback role allows none of the writes.
  expect(await denied(calls, rolesFor('other-model').RollbackRole as RolePolicy)).toEqual(
    expect.arrayContaining([
      `UpdateEndpoint → sagemaker:UpdateEndpoint on arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${endpoint}`,
      expect.stringMatching(new RegExp(`^DeleteModel → sagemaker:DeleteModel on .*:model/${endpoint}-`)),
    ]),
  );

  // A deploy's keep-versions reads the other endpoint the same way, under DeploySageMakerRole.
  await forget();
  await run('deploy-sagemaker', workspace, { ...deploy, image: image('4'), 'keep-versions': '1' });
  const pruning = await callsMade();
  expect(pruning.map((call) => call.operation)).toEqual(
    expect.arrayContaining(['ListEndpoints', 'DeleteEndpointConfig']),
  );
  expect(pruning.flatMap((call) => call.resources)).toEqual(
    expect.arrayContaining([expect.stringMatching(new RegExp(`:endpoint-config/${other}-`))]),
  );
  expect(await denied(pruning, roles.DeploySageMakerRole as RolePolicy)).toEqual([]);
  rmSync(workspace, { recursive: true, force: true });
});

test('a call outside the role is reported: the deploy role is not the rollback role', async () => {
  // The check above could pass by allowing everything: the ECS deploy's calls are not all allowed to
  // the sync role.
  const role = rolesOf(
    templateFor({ GitHubRepository: 'octo-org/model-service', DagsBucket: 'b' }),
  ).SyncDagsRole;
  const calls: ObservedCall[] = [
    { client: '@aws-sdk/client-ecs', operation: 'UpdateService', resources: [], context: {} },
  ];
  expect(await denied(calls, role as RolePolicy)).toEqual(['UpdateService → ecs:UpdateService on (any)']);
});

// An endpoint made by hand (or by IaC) before the action's first run: its configuration and model
// are not named <endpoint>-*, and carry tags. The first deploy reads them whole (DescribeEndpointConfig,
// DescribeModel, ListTags of each) and creates the new model and configuration with those tags,
// which SageMaker authorizes as AddTags with sagemaker:TaggingAction.
test('deploy-sagemaker: the first deploy to an endpoint made by hand is allowed to DeploySageMakerRole', async () => {
  const endpoint = 'iam-hand-made';
  const executionRole = `arn:aws:iam::${ACCOUNT}:role/sagemaker-execution`;
  const image = (digit: string) =>
    `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/model@sha256:${digit.repeat(64)}`;
  await stack.simulator.choose('sagemaker', endpoint, 'healthy');
  const sagemaker = new SageMakerClient({
    endpoint: stack.env.AWS_ENDPOINT_URL ?? '',
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const tags = [{ Key: 'team', Value: 'fraud' }];
  try {
    await sagemaker.send(
      new CreateModelCommand({
        ModelName: 'fraud-model',
        ExecutionRoleArn: executionRole,
        PrimaryContainer: { Image: image('1') },
        Tags: tags,
      }),
    );
    await sagemaker.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'fraud-config',
        Tags: tags,
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: 'fraud-model',
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 1,
          },
        ],
      }),
    );
    await sagemaker.send(
      new CreateEndpointCommand({ EndpointName: endpoint, EndpointConfigName: 'fraud-config' }),
    );
  } finally {
    sagemaker.destroy();
  }
  // Held InService before the action looks (the simulator's creation takes virtual minutes).
  await stack.simulator.clock({ advanceSeconds: 3_600 });
  const workspace = mkdtempSync(join(tmpdir(), 'iam-hand-made-'));

  await forget();
  await run('deploy-sagemaker', workspace, {
    'endpoint-name': endpoint,
    'execution-role-arn': executionRole,
    'instance-type': 'ml.m5.large',
    image: image('2'),
  });
  const calls = await callsMade();
  expect(calls).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        operation: 'DescribeEndpointConfig',
        resources: [expect.stringMatching(/:endpoint-config\/fraud-config$/)],
      }),
      expect.objectContaining({
        operation: 'DescribeModel',
        resources: [expect.stringMatching(/:model\/fraud-model$/)],
      }),
      expect.objectContaining({
        operation: 'ListTags',
        resources: [expect.stringMatching(/:model\/fraud-model$/)],
      }),
      expect.objectContaining({ impliedAction: 'sagemaker:AddTags', operation: 'CreateModel' }),
      expect.objectContaining({ impliedAction: 'sagemaker:AddTags', operation: 'CreateEndpointConfig' }),
    ]),
  );
  const roles = rolesOf(
    templateFor({
      GitHubRepository: 'octo-org/model-service',
      SageMakerEndpointName: endpoint,
      SageMakerExecutionRoleArns: executionRole,
    }),
  );
  expect(await denied(calls, roles.DeploySageMakerRole as RolePolicy)).toEqual([]);
  expect(notDerived(calls, ['deploy-sagemaker'])).toEqual([]);
});
