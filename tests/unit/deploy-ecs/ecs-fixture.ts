import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
/**
 * deploy-ecs against a mocked ECS: a service `web` running web:1, a fake clock, a recording log and
 * an in-memory GitHub. setUp takes what DescribeServices answers after the update, in order.
 */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UpdateServiceCommand,
  type Deployment,
  type Service,
} from '@aws-sdk/client-ecs';
import { DeployFailed } from '@deploy-suite/kit';
import { fakeClock, recordingGitHub, recordingLog } from '../../support/fakes';
import { mockClient } from 'aws-sdk-client-mock';
import type { deployToEcs } from '../../../actions/deploy-ecs/src/deploy';
import type { Inputs } from '../../../actions/deploy-ecs/src/inputs';
import { Journal } from '../../../actions/deploy-ecs/src/journal';
import { NO_RENDER_OVERRIDES } from '../../../actions/deploy-ecs/src/render-overrides';

export const ecsMock = mockClient(ECSClient);
export const TD = (rev: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${rev}`;
export const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/default/web';
export const throttle = () =>
  Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} });

export const inputs = (overrides: Partial<Inputs> = {}): Inputs => ({
  cluster: 'default',
  service: 'web',
  taskDefinition: undefined,
  containerNames: ['model'],
  image: 'repo/model:2',
  images: new Map(),
  environment: new Map(),
  secrets: new Map(),
  codeDeploy: {
    appSpec: undefined,
    application: undefined,
    deploymentGroup: undefined,
    deploymentConfig: undefined,
    description: undefined,
  },
  overrides: NO_RENDER_OVERRIDES,
  desiredCount: undefined,
  propagateTags: undefined,
  enableEcsManagedTags: undefined,
  maxAttempts: undefined,
  serviceVolume: undefined,
  forceNewDeployment: false,
  wait: true,
  timeoutMs: 10 * 60_000,
  rollbackOnFailure: true,
  rollbackTo: undefined,
  runTask: undefined,
  region: 'us-east-1',
  github: { token: '', environment: 'web' },
  environmentUrl: undefined,
  ...overrides,
});

export const deployment = (d: Partial<Deployment>): Deployment => ({
  desiredCount: 1,
  runningCount: 0,
  pendingCount: 1,
  failedTasks: 0,
  ...d,
});
export const v1 = deployment({
  id: 'ecs-svc/1',
  taskDefinition: TD(1),
  status: 'PRIMARY',
  rolloutState: 'COMPLETED',
  runningCount: 1,
});
/** The service back on web:1 after a rollback: a new deployment of the old revision, complete. */
export const v1Again = deployment({
  id: 'ecs-svc/3',
  taskDefinition: TD(1),
  status: 'PRIMARY',
  rolloutState: 'COMPLETED',
  runningCount: 1,
});
export const mine = (d: Partial<Deployment> = {}) =>
  deployment({
    id: 'ecs-svc/2',
    taskDefinition: TD(2),
    status: 'PRIMARY',
    rolloutState: 'IN_PROGRESS',
    ...d,
  });
export const snapshot = (
  taskDefinition: string,
  deployments: Deployment[],
  events: Service['events'] = [],
): Service => ({
  serviceArn: SERVICE_ARN,
  serviceName: 'web',
  status: 'ACTIVE',
  desiredCount: 1,
  taskDefinition,
  deployments,
  events,
});
export const before = snapshot(TD(1), [v1], [{ id: 'old', createdAt: new Date(0), message: 'old news' }]);

export function setUp(afterUpdate: Array<Service | Error>): {
  ports: Parameters<typeof deployToEcs>[1];
  journal: Journal;
  log: ReturnType<typeof recordingLog>;
  clock: ReturnType<typeof fakeClock>;
  github: ReturnType<typeof recordingGitHub>;
} {
  ecsMock.reset();
  let updated = false;
  const queue = [...afterUpdate];
  ecsMock.on(DescribeServicesCommand).callsFake(() => {
    if (!updated) return { services: [before] };
    const next = queue.length > 1 ? queue.shift() : queue[0];
    if (next instanceof Error) throw next;
    return { services: [next] };
  });
  ecsMock.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => {
    const rev = Number(input.taskDefinition.split(':').pop());
    return {
      taskDefinition: {
        taskDefinitionArn: TD(rev),
        family: 'web',
        revision: rev,
        status: 'ACTIVE',
        containerDefinitions: [{ name: 'model', image: `repo/model:${rev}`, cpu: 0, essential: true }],
      },
      tags: [],
    };
  });
  ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: TD(2) } });
  ecsMock.on(UpdateServiceCommand).callsFake((input: { taskDefinition: string }) => {
    updated = true;
    const id = input.taskDefinition === TD(2) ? 'ecs-svc/2' : 'ecs-svc/3';
    return {
      service: snapshot(input.taskDefinition, [
        deployment({
          id,
          taskDefinition: input.taskDefinition,
          status: 'PRIMARY',
          rolloutState: 'IN_PROGRESS',
        }),
      ]),
    };
  });
  ecsMock.on(TagResourceCommand).resolves({});
  ecsMock.on(ListTasksCommand).resolves({ taskArns: ['arn:aws:ecs:us-east-1:123456789012:task/default/t1'] });
  ecsMock.on(DescribeTasksCommand).resolves({
    tasks: [
      {
        taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/default/t1',
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        stoppedAt: new Date(1000),
        containers: [
          { name: 'model', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
        ],
      },
    ],
  });
  const clock = fakeClock();
  const log = recordingLog();
  const github = recordingGitHub();
  return {
    ports: {
      ecs: new ECSClient({ region: 'us-east-1' }),
      codedeploy: new CodeDeployClient({ region: 'us-east-1' }),
      clock,
      log,
      random: () => 0.5,
      github,
    },
    journal: new Journal(clock, 'default/web'),
    log,
    clock,
    github,
  };
}

export async function failureOf(work: Promise<void>): Promise<DeployFailed> {
  try {
    await work;
  } catch (err) {
    if (err instanceof DeployFailed) return err;
    throw err;
  }
  throw new Error('expected the deployment to fail');
}
