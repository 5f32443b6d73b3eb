/**
 * deploy-ecs on a BLUE_GREEN service against a mocked ECS: the service deployment is found with
 * ListServiceDeployments when UpdateService's answer does not name it, followed by that ARN, and at
 * the deadline a rollback ECS is still making is left to ECS.
 */
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type Service,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { deployToEcs } from '../../../actions/deploy-ecs/src/deploy';
import { before, ecsMock, failureOf, inputs, mine, setUp, snapshot, TD } from './ecs-fixture';

const NATIVE = { strategy: 'BLUE_GREEN' as const, bakeTimeInMinutes: 0 };
const SD = (n: number) => `arn:aws:ecs:us-east-1:123456789012:service-deployment/default/web/${n}`;

function nativeService(answers: ServiceDeployment[]) {
  const setup = setUp([snapshot(TD(2), [mine()])]);
  const service = (s: Service): Service => ({ ...s, deploymentConfiguration: NATIVE });
  let updated = false;
  ecsMock.on(DescribeServicesCommand).callsFake(() => ({
    services: [service(updated ? snapshot(TD(2), [mine()]) : { ...before, currentServiceDeployment: SD(1) })],
  }));
  ecsMock.on(UpdateServiceCommand).callsFake(() => {
    updated = true;
    // No currentServiceDeployment in the answer: the run lists the service deployments.
    return { service: service(snapshot(TD(2), [mine()])) };
  });
  ecsMock.on(ListServiceDeploymentsCommand).resolves({
    serviceDeployments: [
      { serviceDeploymentArn: SD(1), createdAt: new Date(0), status: 'SUCCESSFUL' },
      { serviceDeploymentArn: SD(2), createdAt: new Date(setup.clock.now()), status: 'PENDING' },
    ],
  });
  const queue = [...answers];
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(() => ({
    serviceDeployments: [{ serviceDeploymentArn: SD(2), ...(queue.length > 1 ? queue.shift() : queue[0]) }],
  }));
  return setup;
}

test('the service deployment UpdateService started is found by ListServiceDeployments and followed by its ARN', async () => {
  const { ports, journal } = nativeService([
    { status: 'PENDING' },
    { status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' },
    { status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' },
    { status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' },
  ]);
  await deployToEcs(inputs(), ports, journal);
  expect(journal.status).toBe('succeeded');
  const asked = ecsMock
    .commandCalls(DescribeServiceDeploymentsCommand)
    .map((c) => c.args[0].input.serviceDeploymentArns);
  expect(new Set(asked.map((a) => a?.join()))).toEqual(new Set([SD(2)]));
  expect(journal.timeline.map((e) => e.text).filter((t) => t.startsWith('stage:'))).toEqual([
    'stage: PENDING',
    'stage: IN_PROGRESS SCALE_UP',
    'stage: IN_PROGRESS BAKE_TIME',
    'stage: SUCCESSFUL CLEAN_UP',
  ]);
});

test('at the deadline, a rollback ECS is making is left to ECS: failed, no second UpdateService', async () => {
  const { ports, journal } = nativeService([
    { status: 'ROLLBACK_IN_PROGRESS', alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['web-5xx'] } },
  ]);
  const failure = await failureOf(deployToEcs(inputs({ timeoutMs: 10_000 }), ports, journal));
  expect(failure.status).toBe('failed');
  expect(failure.message).toContain('ECS is still rolling it back');
  expect(failure.reasons).toContain('CloudWatch alarm web-5xx in ALARM');
  expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
});

test('at the deadline, still going: StopServiceDeployment with ROLLBACK, and ECS’s rollback is followed to rolled-back', async () => {
  const { ports, journal } = nativeService([{ status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' }]);
  let stopped = false;
  ecsMock.on(StopServiceDeploymentCommand).callsFake((input: { serviceDeploymentArn: string }) => {
    stopped = true;
    return { serviceDeploymentArn: input.serviceDeploymentArn };
  });
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(() => ({
    serviceDeployments: [
      stopped
        ? {
            serviceDeploymentArn: SD(2),
            status: 'ROLLBACK_SUCCESSFUL',
            rollback: { reason: 'Stopped by request.' },
          }
        : { serviceDeploymentArn: SD(2), status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' },
    ],
  }));
  const failure = await failureOf(deployToEcs(inputs({ timeoutMs: 10_000 }), ports, journal));
  expect(failure.status).toBe('rolled-back');
  expect(failure.message).toContain('stopped it, and ECS rolled back to web:1');
  expect(ecsMock.commandCalls(StopServiceDeploymentCommand)[0]?.args[0].input).toEqual({
    serviceDeploymentArn: SD(2),
    stopType: 'ROLLBACK',
  });
  expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
});
