/**
 * The inputs deploy-ecs takes under the names of aws-actions/amazon-ecs-render-task-definition and
 * aws-actions/amazon-ecs-deploy-task-definition (their action.yml), through the bundled action:
 * - render-time overrides, registered in moto and read back with the aws CLI;
 * - run-task with container overrides, a public IP and a capacity provider strategy, read back
 *   with the aws CLI from the simulator's DescribeTasks, and the run-task-arn output;
 * - propagate-tags and enable-ecs-managed-tags on UpdateService, read back from DescribeServices;
 * - service-managed-ebs-volume(-name) into UpdateService volumeConfigurations, read back from the
 *   deployment with the aws CLI, and refused before any call when the task definition lacks it;
 * - run-task-managed-ebs-volume(-name) into RunTask volumeConfigurations.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../../support/harness';
import { startStack, type Stack } from '../../support/stack';

jest.setTimeout(180_000);

let stack: Stack;
const workspace = mkdtempSync(join(tmpdir(), 'deploy-ecs-anchor-'));

beforeAll(async () => {
  stack = await startStack({ simulatorSpeed: 15 });
});
afterAll(async () => {
  await stack?.stop();
});

/** The aws CLI against one endpoint of the stack: an independent reader of what the action did. */
function awsJson<T>(endpoint: string, args: string[]): T {
  return JSON.parse(
    execFileSync('aws', [...args, '--output', 'json'], {
      env: { ...process.env, ...stack.env, AWS_ENDPOINT_URL: endpoint },
      encoding: 'utf8',
    }),
  ) as T;
}

function writeJson(name: string, value: unknown): string {
  writeFileSync(join(workspace, name), JSON.stringify(value));
  return name;
}

interface Container {
  name: string;
  command?: string[];
  dockerLabels?: Record<string, string>;
  logConfiguration?: { logDriver: string; options?: Record<string, string> };
  environmentFiles?: { value: string; type: string }[];
}

test('render overrides: roles, log configuration, docker labels (an empty one kept), command and env files', async () => {
  const file = writeJson('overrides.json', {
    family: 'overrides-web',
    containerDefinitions: [
      { name: 'model', image: 'registry.local/model:1', memory: 512, dockerLabels: { team: 'ml' } },
      { name: 'log-router', image: 'registry.local/fluent-bit:2', memory: 64, essential: false },
    ],
  });
  const result = await runAction({
    action: 'deploy-ecs',
    workspace,
    env: { ...stack.env, AWS_ENDPOINT_URL: stack.endpoints.moto },
    inputs: {
      'task-definition': file,
      'container-name': 'model',
      image: `registry.local/model@sha256:${'cd'.repeat(32)}`,
      'task-role-arn': 'arn:aws:iam::123456789012:role/model-server-task',
      'execution-role-arn': 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      'log-configuration-log-driver': 'awslogs',
      'log-configuration-options': 'awslogs-group=/ecs/model\nawslogs-stream-prefix=model',
      'docker-labels': 'com.example.version=2\ncom.example.canary=',
      command: '["python","-m","server","--port","8080"]',
      'env-files': 'arn:aws:s3:::model-config/prod/model.env',
    },
  });
  expect(result.exitCode).toBe(0);
  expect(result.outputs.status).toBe('succeeded');

  const { taskDefinition } = awsJson<{
    taskDefinition: { taskRoleArn: string; executionRoleArn: string; containerDefinitions: Container[] };
  }>(stack.endpoints.moto, ['ecs', 'describe-task-definition', '--task-definition', 'overrides-web:1']);
  expect(taskDefinition.taskRoleArn).toBe('arn:aws:iam::123456789012:role/model-server-task');
  expect(taskDefinition.executionRoleArn).toBe('arn:aws:iam::123456789012:role/ecsTaskExecutionRole');
  const [model, router] = taskDefinition.containerDefinitions;
  expect(model).toMatchObject({
    command: ['python', '-m', 'server', '--port', '8080'],
    dockerLabels: { team: 'ml', 'com.example.version': '2', 'com.example.canary': '' },
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/model', 'awslogs-stream-prefix': 'model' },
    },
    environmentFiles: [{ value: 'arn:aws:s3:::model-config/prod/model.env', type: 's3' }],
  });
  // Only the named container changes.
  expect(router?.logConfiguration).toBeUndefined();
  expect(router?.dockerLabels ?? {}).toEqual({});
});

test('a bad override stops the run before any AWS call, naming the input', async () => {
  await stack.simulator.clearCalls();
  const result = await runAction({
    action: 'deploy-ecs',
    workspace,
    env: stack.env,
    inputs: {
      'task-definition': writeJson('bad-override.json', {
        family: 'bad-override',
        containerDefinitions: [{ name: 'model', image: 'registry.local/model:1', memory: 64 }],
      }),
      'log-configuration-log-driver': 'logentries',
    },
  });
  expect(result.exitCode).toBe(1);
  expect(result.stdout).toContain("Input 'log-configuration-log-driver' must be one of json-file");
  expect(await stack.simulator.calls({ service: 'ecs' })).toEqual([]);
});

interface DescribedTask {
  taskArn: string;
  startedBy: string;
  launchType: string;
  capacityProviderName?: string;
  overrides?: { containerOverrides: { name: string; command?: string[]; environment?: unknown[] }[] };
  attachments?: { type: string; details: { name: string; value: string }[] }[];
  tags?: { key: string; value: string }[];
}

test('run-task: container overrides, a public IP and a capacity provider strategy, run-task-arn', async () => {
  await stack.simulator.clearCalls();
  const file = writeJson('score-batch.json', {
    family: 'score-batch',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      { name: 'score', image: 'registry.local/score:1', command: ['python', 'score.py'] },
      { name: 'log-router', image: 'registry.local/fluent-bit:2', essential: false },
    ],
  });
  const result = await runAction({
    action: 'deploy-ecs',
    workspace,
    env: stack.env,
    timeoutMs: 120_000,
    inputs: {
      'task-definition': file,
      'run-task': 'true',
      'run-task-subnets': 'subnet-0123456789abcdef0',
      'run-task-security-groups': 'sg-0123456789abcdef0',
      'run-task-assign-public-IP': 'ENABLED',
      'run-task-capacity-provider-strategy':
        '[{"capacityProvider":"FARGATE_SPOT","weight":3},{"capacityProvider":"FARGATE","base":1,"weight":1}]',
      'run-task-container-overrides':
        '[{"name":"score","command":["python","score.py","--date","2026-12-01"],"environment":[{"name":"BATCH","value":"32"},{"name":"EMPTY","value":""}]}]',
      'run-task-started-by': 'nightly-score',
      'run-task-tags': '[{"key":"job","value":"score-batch"}]',
    },
  });
  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({ status: 'succeeded', 'run-task-exit-code': '0' });
  const arns = JSON.parse(result.outputs['run-task-arn'] ?? '[]') as string[];
  expect(arns).toHaveLength(1);
  expect(arns[0]).toMatch(/^arn:aws:ecs:us-east-1:\d{12}:task\/default\/\w+$/);

  const { tasks } = awsJson<{ tasks: DescribedTask[] }>(stack.endpoints.simulator, [
    'ecs',
    'describe-tasks',
    '--cluster',
    'default',
    '--tasks',
    arns[0] ?? '',
    '--include',
    'TAGS',
  ]);
  const [task] = tasks;
  expect(task).toMatchObject({
    taskArn: arns[0],
    startedBy: 'nightly-score',
    // The provider with a base takes the first task.
    capacityProviderName: 'FARGATE',
    launchType: 'FARGATE',
    overrides: {
      containerOverrides: [
        {
          name: 'score',
          command: ['python', 'score.py', '--date', '2026-12-01'],
          environment: [
            { name: 'BATCH', value: '32' },
            { name: 'EMPTY', value: '' },
          ],
        },
      ],
    },
    tags: [{ key: 'job', value: 'score-batch' }],
  });
  const eni = task?.attachments?.find((a) => a.type === 'ElasticNetworkInterface');
  expect(eni?.details).toContainEqual({ name: 'subnetId', value: 'subnet-0123456789abcdef0' });

  // DescribeTasks does not show whether the interface got a public IP; what RunTask was sent does.
  const [run] = await stack.simulator.calls({ service: 'ecs', operation: 'RunTask' });
  expect(run?.params).toMatchObject({
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: ['subnet-0123456789abcdef0'],
        securityGroups: ['sg-0123456789abcdef0'],
        assignPublicIp: 'ENABLED',
      },
    },
  });
  expect(run?.params).not.toHaveProperty('launchType');
});

test('run-task: an override for a container the task definition lacks is refused before it runs', async () => {
  await stack.simulator.clearCalls();
  const result = await runAction({
    action: 'deploy-ecs',
    workspace,
    env: stack.env,
    inputs: {
      'task-definition': writeJson('score-typo.json', {
        family: 'score-typo',
        containerDefinitions: [{ name: 'score', image: 'registry.local/score:1', memory: 64 }],
      }),
      'run-task': 'true',
      'run-task-launch-type': 'EC2',
      'run-task-container-overrides': '[{"name":"scorer","command":["x"]}]',
    },
  });
  expect(result.exitCode).toBe(1);
  expect(result.stdout).toContain(
    "Input 'run-task-container-overrides' names 'scorer', not in the task definition; its containers are: score",
  );
  expect(await stack.simulator.calls({ service: 'ecs', operation: 'RunTask' })).toEqual([]);
  expect(await stack.simulator.calls({ service: 'ecs', operation: 'RegisterTaskDefinition' })).toEqual([]);
});

test('propagate-tags and enable-ecs-managed-tags are set on the service by UpdateService', async () => {
  await stack.simulator.choose('ecs', 'tagged-web', 'healthy');
  await stack.simulator.seed('ecs', {
    serviceName: 'tagged-web',
    taskDefinition: {
      family: 'tagged-web',
      containerDefinitions: [{ name: 'model', image: 'registry.local/tagged-web:1', memory: 512 }],
    },
  });
  const result = await runAction({
    action: 'deploy-ecs',
    workspace,
    env: stack.env,
    timeoutMs: 120_000,
    inputs: {
      service: 'tagged-web',
      'container-name': 'model',
      image: 'registry.local/tagged-web:2',
      'propagate-tags': 'SERVICE',
      'enable-ecs-managed-tags': 'true',
      'max-retries': '3',
    },
  });
  expect(result.exitCode).toBe(0);
  expect(result.outputs.status).toBe('succeeded');
  const { services } = awsJson<{ services: { propagateTags?: string; enableECSManagedTags?: boolean }[] }>(
    stack.endpoints.simulator,
    ['ecs', 'describe-services', '--cluster', 'default', '--services', 'tagged-web'],
  );
  expect(services[0]).toMatchObject({ propagateTags: 'SERVICE', enableECSManagedTags: true });
});

const EBS_ROLE = 'arn:aws:iam::123456789012:role/ecsInfrastructureRole';

/** A service whose task definition defers its `data` volume to launch (Volume.configuredAtLaunch). */
async function seedVolumeService(name: string, volumes: unknown[]): Promise<void> {
  await stack.simulator.choose('ecs', name, 'healthy');
  await stack.simulator.seed('ecs', {
    serviceName: name,
    taskDefinition: {
      family: name,
      volumes,
      containerDefinitions: [
        {
          name: 'model',
          image: `registry.local/${name}:1`,
          memory: 512,
          mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }],
        },
      ],
    },
  });
}

test('service-managed-ebs-volume: UpdateService gets volumeConfigurations, read back from the deployment with the aws CLI', async () => {
  await seedVolumeService('ebs-web', [{ name: 'data', configuredAtLaunch: true }]);
  // The anchor's README example, as a `with:` block carries it over.
  const volume = { sizeInGiB: 30, volumeType: 'gp3', encrypted: true, roleArn: EBS_ROLE };
  const result = await runAction({
    action: 'deploy-ecs',
    workspace,
    env: stack.env,
    timeoutMs: 120_000,
    inputs: {
      service: 'ebs-web',
      'container-name': 'model',
      image: 'registry.local/ebs-web:2',
      'service-managed-ebs-volume-name': 'data',
      'service-managed-ebs-volume': JSON.stringify(volume),
    },
  });
  expect(result.exitCode).toBe(0);
  expect(result.outputs.status).toBe('succeeded');
  const { services } = awsJson<{
    services: { deployments: { status: string; volumeConfigurations?: unknown[] }[] }[];
  }>(stack.endpoints.simulator, [
    'ecs',
    'describe-services',
    '--cluster',
    'default',
    '--services',
    'ebs-web',
  ]);
  const primary = services[0]?.deployments.find((d) => d.status === 'PRIMARY');
  expect(primary?.volumeConfigurations).toEqual([{ name: 'data', managedEBSVolume: volume }]);
});

test('service-managed-ebs-volume: a volume the task definition does not configure at launch is refused before anything is registered', async () => {
  await seedVolumeService('ebs-plain', [{ name: 'data', host: { sourcePath: '/mnt/data' } }]);
  await stack.simulator.clearCalls();
  const result = await runAction({
    action: 'deploy-ecs',
    workspace,
    env: stack.env,
    inputs: {
      service: 'ebs-plain',
      'container-name': 'model',
      image: 'registry.local/ebs-plain:2',
      'service-managed-ebs-volume-name': 'data',
      'service-managed-ebs-volume': JSON.stringify({ sizeInGiB: 30, roleArn: EBS_ROLE }),
    },
  });
  expect(result.exitCode).toBe(1);
  expect(result.stdout).toContain(
    "Input 'service-managed-ebs-volume-name' names volume 'data', which the task definition does not mark configuredAtLaunch: true",
  );
  expect(await stack.simulator.calls({ service: 'ecs', operation: 'RegisterTaskDefinition' })).toEqual([]);
  expect(await stack.simulator.calls({ service: 'ecs', operation: 'UpdateService' })).toEqual([]);
});

test('service-managed-ebs-volume: a size outside the volume type’s range is one line before any AWS call', async () => {
  await stack.simulator.clearCalls();
  const result = await runAction({
    action: 'deploy-ecs',
    workspace,
    env: stack.env,
    inputs: {
      service: 'ebs-web',
      'service-managed-ebs-volume-name': 'data',
      'service-managed-ebs-volume': JSON.stringify({
        sizeInGiB: 2,
        volumeType: 'io2',
        iops: 1000,
        roleArn: EBS_ROLE,
      }),
    },
  });
  expect(result.exitCode).toBe(1);
  expect(result.stdout).toContain(
    "Input 'service-managed-ebs-volume' is not a volume configuration ECS takes: sizeInGiB: must be 4–65,536 GiB for io2; got 2",
  );
  expect(await stack.simulator.calls({ service: 'ecs' })).toEqual([]);
});

test('run-task-managed-ebs-volume: RunTask gets volumeConfigurations for the task definition’s volume configured at launch', async () => {
  await stack.simulator.clearCalls();
  const volume = {
    filesystemType: 'xfs',
    roleArn: EBS_ROLE,
    sizeInGiB: 30,
    terminationPolicy: { deleteOnTermination: true },
  };
  const result = await runAction({
    action: 'deploy-ecs',
    workspace,
    env: stack.env,
    timeoutMs: 120_000,
    inputs: {
      'task-definition': writeJson('score-ebs.json', {
        family: 'score-ebs',
        volumes: [{ name: 'scratch', configuredAtLaunch: true }],
        containerDefinitions: [
          {
            name: 'score',
            image: 'registry.local/score:1',
            memory: 512,
            mountPoints: [{ sourceVolume: 'scratch', containerPath: '/scratch' }],
          },
        ],
      }),
      'run-task': 'true',
      'run-task-launch-type': 'EC2',
      'run-task-managed-ebs-volume-name': 'scratch',
      'run-task-managed-ebs-volume': JSON.stringify(volume),
    },
  });
  expect(result.exitCode).toBe(0);
  expect(result.outputs.status).toBe('succeeded');
  const [run] = await stack.simulator.calls({ service: 'ecs', operation: 'RunTask' });
  expect(run?.params).toMatchObject({
    volumeConfigurations: [{ name: 'scratch', managedEBSVolume: volume }],
  });
});
