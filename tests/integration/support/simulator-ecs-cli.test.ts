/**
 * Every ECS operation the simulator serves, answered to the `aws` CLI on this machine: botocore
 * parses each answer against ECS's API model (types, timestamps, enums as it reads them), so an
 * answer the real service could not give fails here, independently of the SDK the actions use.
 * Successes and the errors the actions meet (ServiceNotFoundException, ClientException) both.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCli, type AwsCli } from '../../support/chain/aws-cli';
import { startStack, type Stack } from '../../support/stack';

jest.setTimeout(120_000);

let stack: Stack;
let aws: AwsCli;
const files = mkdtempSync(join(tmpdir(), 'simulator-ecs-cli-'));

beforeAll(async () => {
  stack = await startStack({ simulatorSpeed: 60 });
  aws = awsCli(stack.endpoints.simulator, stack.env);
  await stack.simulator.choose('ecs', 'cli-web', 'healthy');
  await stack.simulator.seed('ecs', {
    serviceName: 'cli-web',
    taskDefinition: {
      family: 'cli-web',
      containerDefinitions: [{ name: 'model', image: 'registry.local/cli-web:1', memory: 512 }],
    },
  });
});
afterAll(async () => {
  await stack?.stop();
});

const CLUSTER = ['--cluster', 'default'];

/** The service deployment's status as the simulator holds it (its control endpoint: no CLI start-up). */
async function statusOf(service: string, arn: string): Promise<string> {
  const state = (await stack.simulator.state('ecs')) as {
    services: {
      serviceName: string;
      deployments: { serviceDeploymentArn: string; serviceDeploymentStatus: string }[];
    }[];
  };
  const found = state.services
    .find((s) => s.serviceName === service)
    ?.deployments.find((d) => d.serviceDeploymentArn === arn);
  return found?.serviceDeploymentStatus ?? 'MISSING';
}

function file(name: string, value: unknown): string {
  const path = join(files, name);
  writeFileSync(path, JSON.stringify(value));
  return `file://${path}`;
}

test('task definitions: register-task-definition and describe-task-definition', async () => {
  const containers = file('containers.json', [
    { name: 'model', image: 'registry.local/cli-web:2', memory: 512, essential: true },
  ]);
  const registered = await aws.json<{ taskDefinition: { revision: number; taskDefinitionArn: string } }>([
    'ecs',
    'register-task-definition',
    '--family',
    'cli-web',
    '--container-definitions',
    containers,
    '--tags',
    'key=team,value=ml',
  ]);
  expect(registered.taskDefinition.revision).toBe(2);
  const described = await aws.json<{ taskDefinition: { family: string }; tags: unknown[] }>([
    'ecs',
    'describe-task-definition',
    '--task-definition',
    'cli-web:2',
    '--include',
    'TAGS',
  ]);
  expect(described.taskDefinition.family).toBe('cli-web');
  expect(described.tags).toEqual([{ key: 'team', value: 'ml' }]);
});

test('services: create-service, update-service, describe-services and the service deployments', async () => {
  const created = await aws.json<{ service: { serviceName: string } }>([
    'ecs',
    'create-service',
    ...CLUSTER,
    '--service-name',
    'cli-created',
    '--task-definition',
    'cli-web:1',
    '--desired-count',
    '1',
  ]);
  expect(created.service.serviceName).toBe('cli-created');
  const updated = await aws.json<{ service: { deployments: { status: string }[] } }>([
    'ecs',
    'update-service',
    ...CLUSTER,
    '--service',
    'cli-web',
    '--task-definition',
    'cli-web:2',
  ]);
  expect(updated.service.deployments.map((d) => d.status)).toContain('PRIMARY');
  const described = await aws.json<{ services: { events: unknown[] }[] }>([
    'ecs',
    'describe-services',
    ...CLUSTER,
    '--services',
    'cli-web',
  ]);
  expect(described.services).toHaveLength(1);
  const listed = await aws.json<{ serviceDeployments: { serviceDeploymentArn: string }[] }>([
    'ecs',
    'list-service-deployments',
    ...CLUSTER,
    '--service',
    'cli-web',
  ]);
  const arns = listed.serviceDeployments.map((d) => d.serviceDeploymentArn);
  expect(arns.length).toBeGreaterThan(0);
  const deployments = await aws.json<{ serviceDeployments: unknown[] }>([
    'ecs',
    'describe-service-deployments',
    '--service-deployment-arns',
    ...arns,
  ]);
  expect(deployments.serviceDeployments).toHaveLength(arns.length);
});

/**
 * A native blue/green service deployment (deploymentConfiguration.strategy BLUE_GREEN) at each of its
 * statuses the scenarios reach: every answer of list-service-deployments and
 * describe-service-deployments parses as the model's ServiceDeployment (lifecycleStage, traffic
 * weights, alarms, lifecycle hook details, rollback).
 */
test.each([
  ['healthy', ['PENDING', 'IN_PROGRESS', 'SUCCESSFUL']],
  ['alarm-rollback', ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL']],
  ['hook-fails', ['ROLLBACK_SUCCESSFUL']],
  ['rollback-fails', ['ROLLBACK_FAILED']],
  ['image-pull-failure', ['STOPPED']],
])('native blue/green service deployments (%s) parse at every status', async (scenario, wanted) => {
  const name = `cli-bg-${scenario}`;
  await stack.simulator.clock({ speed: 0.001 });
  try {
    await stack.simulator.choose('ecs', name, scenario);
    await stack.simulator.seed('ecs', {
      serviceName: name,
      desiredCount: 2,
      deploymentConfiguration: {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 1,
        alarms: { enable: true, rollback: true, alarmNames: [`${name}-5xx`] },
        lifecycleHooks: [
          {
            hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:smoke',
            roleArn: 'arn:aws:iam::123456789012:role/hooks',
            lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
          },
        ],
      },
      taskDefinition: {
        family: name,
        containerDefinitions: [{ name: 'model', image: `registry.local/${name}:1`, memory: 512 }],
      },
    });
    const revision = await aws.json<{ taskDefinition: { taskDefinitionArn: string } }>([
      'ecs',
      'register-task-definition',
      '--family',
      name,
      '--container-definitions',
      file(`${name}.json`, [{ name: 'model', image: `registry.local/${name}:2`, memory: 512 }]),
    ]);
    const updated = await aws.json<{ service: { currentServiceDeployment: string } }>([
      'ecs',
      'update-service',
      ...CLUSTER,
      '--service',
      name,
      '--task-definition',
      revision.taskDefinition.taskDefinitionArn,
    ]);
    const arn = updated.service.currentServiceDeployment;
    const seen = new Set<string>();
    // Virtual time moves only when asked, a second at a time; the CLI reads each new status once.
    for (let step = 0; step < 200 && !wanted.every((w) => seen.has(w)); step++) {
      const status = await statusOf(name, arn);
      if (!seen.has(status)) {
        seen.add(status);
        const described = await aws.json<{ serviceDeployments: { status: string }[] }>([
          'ecs',
          'describe-service-deployments',
          '--service-deployment-arns',
          arn,
        ]);
        expect(described.serviceDeployments[0]?.status).toBe(status);
        const listed = await aws.json<{
          serviceDeployments: { serviceDeploymentArn: string; status: string }[];
        }>(['ecs', 'list-service-deployments', ...CLUSTER, '--service', name]);
        expect(listed.serviceDeployments.find((d) => d.serviceDeploymentArn === arn)?.status).toBe(status);
      }
      await stack.simulator.clock({ advanceSeconds: 1 });
    }
    expect([...seen]).toEqual(expect.arrayContaining(wanted));
  } finally {
    await stack.simulator.clock({ speed: 60 });
  }
});

test('stop-service-deployment of a native deployment, and its ROLLBACK_REQUESTED answer', async () => {
  const name = 'cli-bg-stop';
  await stack.simulator.clock({ speed: 0.001 });
  try {
    await stack.simulator.choose('ecs', name, 'never-stable');
    await stack.simulator.seed('ecs', {
      serviceName: name,
      deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 },
      taskDefinition: {
        family: name,
        containerDefinitions: [{ name: 'model', image: `registry.local/${name}:1`, memory: 512 }],
      },
    });
    const updated = await aws.json<{ service: { currentServiceDeployment: string } }>([
      'ecs',
      'update-service',
      ...CLUSTER,
      '--service',
      name,
      '--force-new-deployment',
    ]);
    const arn = updated.service.currentServiceDeployment;
    const stopped = await aws.json<{ serviceDeploymentArn: string }>([
      'ecs',
      'stop-service-deployment',
      '--service-deployment-arn',
      arn,
      '--stop-type',
      'ROLLBACK',
    ]);
    expect(stopped.serviceDeploymentArn).toBe(arn);
    const described = await aws.json<{ serviceDeployments: { status: string }[] }>([
      'ecs',
      'describe-service-deployments',
      '--service-deployment-arns',
      arn,
    ]);
    expect(described.serviceDeployments[0]?.status).toBe('ROLLBACK_REQUESTED');
  } finally {
    await stack.simulator.clock({ speed: 60 });
  }
});

test('tasks: run-task, list-tasks, describe-tasks and stop-task', async () => {
  // Virtual time all but stops, so the task is still running when each CLI call (a Python start
  // each) reaches it, however loaded the machine is.
  await stack.simulator.clock({ speed: 0.001 });
  try {
    await runListDescribeStop();
  } finally {
    await stack.simulator.clock({ speed: 60 });
  }
});

async function runListDescribeStop(): Promise<void> {
  const ran = await aws.json<{ tasks: { taskArn: string }[] }>([
    'ecs',
    'run-task',
    ...CLUSTER,
    '--task-definition',
    'cli-web:1',
    '--started-by',
    'cli-test',
  ]);
  const taskArn = ran.tasks[0]?.taskArn ?? '';
  expect(taskArn).toContain(':task/');
  const listed = await aws.json<{ taskArns: string[] }>([
    'ecs',
    'list-tasks',
    ...CLUSTER,
    '--started-by',
    'cli-test',
  ]);
  expect(listed.taskArns).toContain(taskArn);
  const described = await aws.json<{ tasks: { taskArn: string }[] }>([
    'ecs',
    'describe-tasks',
    ...CLUSTER,
    '--tasks',
    taskArn,
  ]);
  expect(described.tasks.map((t) => t.taskArn)).toEqual([taskArn]);
  const stopped = await aws.json<{ task: { desiredStatus: string } }>([
    'ecs',
    'stop-task',
    ...CLUSTER,
    '--task',
    taskArn,
    '--reason',
    'cli test',
  ]);
  expect(stopped.task.desiredStatus).toBe('STOPPED');
}

test('tags: tag-resource, list-tags-for-resource and untag-resource', async () => {
  const { services } = await aws.json<{ services: { serviceArn: string }[] }>([
    'ecs',
    'describe-services',
    ...CLUSTER,
    '--services',
    'cli-web',
  ]);
  const arn = services[0]?.serviceArn ?? '';
  await aws.json(['ecs', 'tag-resource', '--resource-arn', arn, '--tags', 'key=stage,value=prod']);
  const tags = await aws.json<{ tags: { key: string; value: string }[] }>([
    'ecs',
    'list-tags-for-resource',
    '--resource-arn',
    arn,
  ]);
  expect(tags.tags).toContainEqual({ key: 'stage', value: 'prod' });
  await aws.json(['ecs', 'untag-resource', '--resource-arn', arn, '--tag-keys', 'stage']);
  const after = await aws.json<{ tags: { key: string }[] }>([
    'ecs',
    'list-tags-for-resource',
    '--resource-arn',
    arn,
  ]);
  expect(after.tags.map((t) => t.key)).not.toContain('stage');
});

test('errors the actions meet parse as ECS names them', async () => {
  await expect(
    aws.json(['ecs', 'update-service', ...CLUSTER, '--service', 'no-such-service', '--force-new-deployment']),
  ).rejects.toThrow('ServiceNotFoundException');
  await expect(
    aws.json(['ecs', 'describe-task-definition', '--task-definition', 'no-such-family:9']),
  ).rejects.toThrow('ClientException');
});
