import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListTagsForResourceCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { InputError } from '@deploy-suite/kit';
import { deployToEcs } from '../../../actions/deploy-ecs/src/deploy';
import { PREVIOUS_TAG } from '../../../actions/deploy-ecs/src/previous-record';
import {
  before,
  deployment,
  ecsMock,
  failureOf,
  inputs,
  mine,
  SERVICE_ARN,
  setUp,
  snapshot,
  TD,
  throttle,
  v1,
  v1Again,
} from './ecs-fixture';

test('healthy: registers, deploys, follows by id, records the previous revision', async () => {
  const { ports, journal, log, clock } = setUp([
    snapshot(
      TD(2),
      [mine(), v1],
      [{ id: 'e1', createdAt: new Date(5), message: '(service web) has started 1 tasks.' }],
    ),
    snapshot(
      TD(2),
      [mine({ rolloutState: 'COMPLETED', runningCount: 1 })],
      [
        { id: 'e2', createdAt: new Date(9), message: '(service web) has reached a steady state.' },
        { id: 'e1', createdAt: new Date(5), message: '(service web) has started 1 tasks.' },
      ],
    ),
  ]);
  await deployToEcs(inputs(), ports, journal);
  expect(journal).toMatchObject({
    status: 'succeeded',
    taskDefinitionArn: TD(2),
    previousTaskDefinitionArn: TD(1),
    deploymentId: 'ecs-svc/2',
  });
  expect(
    ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input.containerDefinitions?.[0]?.image,
  ).toBe('repo/model:2');
  expect(ecsMock.commandCalls(TagResourceCommand)[0]?.args[0].input).toEqual({
    resourceArn: SERVICE_ARN,
    tags: [{ key: PREVIOUS_TAG, value: TD(1) }],
  });
  expect(clock.slept).toEqual([3_000]);
  expect(log.lines.filter((l) => l.includes('event:'))).toEqual([
    '  event: (service web) has started 1 tasks.',
    '  event: (service web) has reached a steady state.',
  ]);
});

test('throttled polls back off, and the pace returns after a good answer', async () => {
  const { ports, journal, clock } = setUp([
    throttle(),
    throttle(),
    snapshot(TD(2), [mine()]),
    snapshot(TD(2), [mine({ rolloutState: 'COMPLETED', runningCount: 1 })]),
  ]);
  await deployToEcs(inputs(), ports, journal);
  expect(journal.status).toBe('succeeded');
  expect(clock.slept).toEqual([6_000, 12_000, 3_000]);
});

test('the circuit breaker’s rollback fails the step as rolled-back, with the stopped tasks as evidence', async () => {
  const back = deployment({
    id: 'ecs-svc/9',
    taskDefinition: TD(1),
    status: 'PRIMARY',
    rolloutState: 'COMPLETED',
    runningCount: 1,
  });
  const { ports, journal } = setUp([
    snapshot(TD(1), [
      deployment({ ...back, rolloutState: 'IN_PROGRESS', runningCount: 0 }),
      mine({
        status: 'ACTIVE',
        rolloutState: 'FAILED',
        rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
      }),
    ]),
    snapshot(TD(1), [back]),
  ]);
  const failure = await failureOf(deployToEcs(inputs(), ports, journal));
  expect(failure.status).toBe('rolled-back');
  expect(failure.message).toBe(
    'Deployment ecs-svc/2 of web:2 failed: ECS deployment circuit breaker: tasks failed to start; ECS rolled back to web:1',
  );
  expect(failure.reasons[0]).toBe(
    '1 task stopped: EssentialContainerExited: Essential container in task exited; model: exit 137 (OutOfMemoryError: Container killed due to memory usage)',
  );
  expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
  expect(ecsMock.commandCalls(ListTasksCommand)[0]?.args[0].input).toMatchObject({
    startedBy: 'ecs-svc/2',
    desiredStatus: 'STOPPED',
  });
  expect(ecsMock.commandCalls(TagResourceCommand)).toHaveLength(0);
});

test('a failed deployment the circuit breaker left alone is rolled back by the action', async () => {
  const { ports, journal } = setUp([
    snapshot(TD(2), [mine({ rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' })]),
    snapshot(TD(1), [v1Again]),
  ]);
  const failure = await failureOf(deployToEcs(inputs(), ports, journal));
  expect(failure.status).toBe('rolled-back');
  expect(failure.message).toBe(
    'Deployment ecs-svc/2 of web:2 failed: tasks failed to start; rolled back to web:1',
  );
  expect(ecsMock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input.taskDefinition)).toEqual([
    TD(2),
    TD(1),
  ]);
  expect(journal.rolledBackTo).toBe(TD(1));
});

test('a deployment another run replaced: superseded, named, and not rolled back', async () => {
  const theirs = deployment({
    id: 'ecs-svc/3',
    taskDefinition: TD(3),
    status: 'PRIMARY',
    rolloutState: 'IN_PROGRESS',
  });
  const { ports, journal } = setUp([snapshot(TD(3), [theirs, mine({ status: 'ACTIVE' })])]);
  const failure = await failureOf(deployToEcs(inputs(), ports, journal));
  expect(failure.status).toBe('failed');
  expect(failure.message).toBe(
    'Deployment ecs-svc/2 of web:2 was superseded: deployment ecs-svc/2 was replaced by deployment ecs-svc/3 of web:3; not rolling back',
  );
  expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
});

test('rollback-on-failure false leaves it failed', async () => {
  const { ports, journal } = setUp([
    snapshot(TD(2), [mine({ rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' })]),
  ]);
  const failure = await failureOf(deployToEcs(inputs({ rollbackOnFailure: false }), ports, journal));
  expect(failure.status).toBe('failed');
  expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
});

test('the deadline fails with what the deployment was doing, then rolls back with a deadline of its own', async () => {
  const { ports, journal, clock } = setUp([snapshot(TD(2), [mine({ failedTasks: 4 })])]);
  ecsMock.on(UpdateServiceCommand, { taskDefinition: TD(1) }).callsFake(() => {
    // From here on the service reports the rollback, complete.
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [snapshot(TD(1), [v1Again])],
    });
    return {
      service: snapshot(TD(1), [
        deployment({
          id: 'ecs-svc/3',
          taskDefinition: TD(1),
          status: 'PRIMARY',
          rolloutState: 'IN_PROGRESS',
        }),
      ]),
    };
  });
  const failure = await failureOf(deployToEcs(inputs({ timeoutMs: 60_000 }), ports, journal));
  expect(failure.message).toBe(
    'Timed out after 1 minute waiting for deployment ecs-svc/2 to complete; last seen: IN_PROGRESS: 0/1 running, 1 pending, 4 failed (web:2); rolled back to web:1',
  );
  expect(failure.status).toBe('rolled-back');
  expect(clock.now()).toBe(60_000);
});

test('an unchanged task definition registers nothing and deploys nothing', async () => {
  const { ports, journal, log } = setUp([before]);
  await deployToEcs(inputs({ image: 'repo/model:1' }), ports, journal);
  expect(journal).toMatchObject({ status: 'succeeded', taskDefinitionArn: TD(1), deploymentId: 'ecs-svc/1' });
  expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  expect(log.lines.join('\n')).toContain('nothing new registered');
});

test('wait false starts the deployment and reports started', async () => {
  const { ports, journal } = setUp([snapshot(TD(2), [mine()])]);
  await deployToEcs(inputs({ wait: false }), ports, journal);
  expect(journal).toMatchObject({ status: 'started', deploymentId: 'ecs-svc/2' });
});

test('a service deployment the role may not describe falls back to the deployments list', async () => {
  const { ports, journal, log } = setUp([
    snapshot(TD(2), [mine({ rolloutState: 'COMPLETED', runningCount: 1 })]),
  ]);
  ecsMock.on(UpdateServiceCommand).resolves({
    service: {
      ...snapshot(TD(2), [mine()]),
      currentServiceDeployment: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/default/web/2',
    },
  });
  ecsMock
    .on(DescribeServiceDeploymentsCommand)
    .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: {} }));
  // The initial read must still see v1; UpdateService's answer above does not flip the fake, so do it here.
  ecsMock
    .on(DescribeServicesCommand)
    .resolvesOnce({ services: [before] })
    .resolves({ services: [snapshot(TD(2), [mine({ rolloutState: 'COMPLETED', runningCount: 1 })])] });
  await deployToEcs(inputs(), ports, journal);
  expect(journal.status).toBe('succeeded');
  expect(log.lines.join('\n')).toContain(
    'DescribeServiceDeployments is not available (AccessDeniedException)',
  );
});

describe('rollback-to', () => {
  test('previous redeploys the recorded revision and nothing else', async () => {
    const { ports, journal } = setUp([snapshot(TD(1), [v1Again])]);
    const current = snapshot(TD(2), [mine({ rolloutState: 'COMPLETED', runningCount: 1 })]);
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [current] })
      .resolves({
        services: [snapshot(TD(1), [v1Again])],
      });
    ecsMock.on(ListTagsForResourceCommand).resolves({ tags: [{ key: PREVIOUS_TAG, value: TD(1) }] });
    await deployToEcs(
      inputs({ image: undefined, containerNames: [], rollbackTo: { kind: 'previous' } }),
      ports,
      journal,
    );
    expect(journal).toMatchObject({
      status: 'succeeded',
      taskDefinitionArn: TD(1),
      previousTaskDefinitionArn: TD(2),
    });
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)[0]?.args[0].input.taskDefinition).toBe(TD(1));
  });

  test('previous with nothing recorded fails saying what to do instead', async () => {
    const { ports, journal } = setUp([before]);
    ecsMock.on(ListTagsForResourceCommand).resolves({ tags: [] });
    const failure = await failureOf(
      deployToEcs(inputs({ image: undefined, rollbackTo: { kind: 'previous' } }), ports, journal),
    );
    expect(failure.message).toContain(
      `No previous task definition is recorded on service web (tag ${PREVIOUS_TAG}`,
    );
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });
});

test('a task definition file ECS would refuse fails before any call to ECS', async () => {
  const { ports, journal } = setUp([before]);
  const document = {
    family: 'web',
    containerDefinitions: [{ name: 'model', image: 'repo/model:1', healthcheck: { command: ['true'] } }],
  };
  await expect(
    deployToEcs(inputs({ taskDefinition: { path: 'td.json', document } }), ports, journal),
  ).rejects.toThrow(InputError);
  expect(ecsMock.calls()).toHaveLength(0);
});

test('the service’s current revision carries its tags over, but not the ones AWS reserves, and says so', async () => {
  const { ports, journal, log } = setUp([
    snapshot(TD(2), [mine({ rolloutState: 'COMPLETED', runningCount: 1 })]),
  ]);
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      taskDefinitionArn: TD(1),
      family: 'web',
      revision: 1,
      containerDefinitions: [{ name: 'model', image: 'repo/model:1' }],
    },
    tags: [
      { key: 'aws:cloudformation:stack-name', value: 'ml' },
      { key: 'team', value: 'ml' },
    ],
  });
  await deployToEcs(inputs(), ports, journal);
  expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input.tags).toEqual([
    { key: 'team', value: 'ml' },
  ]);
  expect(log.lines.join('\n')).toContain(
    'Left out tags AWS reserves (aws: prefix): aws:cloudformation:stack-name',
  );
});
