import type { Deployment, Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import { viewDeployment, type TrackedDeployment } from '../../../actions/deploy-ecs/src/deployment-view';

const TD = (rev: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${rev}`;
const ours: TrackedDeployment = { id: 'ecs-svc/2', taskDefinition: TD(2), previousTaskDefinition: TD(1) };
const dep = (d: Partial<Deployment>): Deployment => ({
  desiredCount: 2,
  runningCount: 0,
  pendingCount: 2,
  failedTasks: 0,
  ...d,
});
const service = (...deployments: Deployment[]): Service => ({ deployments });

const mine = (d: Partial<Deployment>) =>
  dep({ id: 'ecs-svc/2', taskDefinition: TD(2), status: 'PRIMARY', rolloutState: 'IN_PROGRESS', ...d });
const old = (d: Partial<Deployment>) =>
  dep({
    id: 'ecs-svc/1',
    taskDefinition: TD(1),
    status: 'ACTIVE',
    rolloutState: 'COMPLETED',
    runningCount: 2,
    ...d,
  });

describe('from the deployments list', () => {
  test.each<[string, Service, string]>([
    ['starting', service(mine({}), old({})), 'in-progress'],
    [
      'completed with every task running',
      service(mine({ rolloutState: 'COMPLETED', runningCount: 2 })),
      'succeeded',
    ],
    [
      'completed but still scaling',
      service(mine({ rolloutState: 'COMPLETED', runningCount: 1 })),
      'in-progress',
    ],
    [
      'failed, no rollback',
      service(mine({ rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker' })),
      'failed',
    ],
    [
      'failed, circuit breaker rolling back',
      service(
        dep({ id: 'ecs-svc/3', taskDefinition: TD(1), status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }),
        mine({ status: 'ACTIVE', rolloutState: 'FAILED' }),
      ),
      'rolling-back',
    ],
    [
      'gone after the circuit breaker finished rolling back',
      service(
        dep({
          id: 'ecs-svc/3',
          taskDefinition: TD(1),
          status: 'PRIMARY',
          rolloutState: 'COMPLETED',
          runningCount: 2,
        }),
      ),
      'rolled-back',
    ],
    [
      'replaced by someone else’s deployment',
      service(
        dep({ id: 'ecs-svc/9', taskDefinition: TD(5), status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }),
        mine({ status: 'ACTIVE' }),
      ),
      'superseded',
    ],
    [
      'the same revision redeployed by someone else: not ours to call a success',
      service(
        dep({
          id: 'ecs-svc/9',
          taskDefinition: TD(2),
          status: 'PRIMARY',
          rolloutState: 'COMPLETED',
          runningCount: 2,
        }),
      ),
      'superseded',
    ],
  ])('%s', (_name, snapshot, phase) => {
    expect(viewDeployment(ours, snapshot).phase).toBe(phase);
  });

  test('the status names the counts, for the deadline message', () => {
    expect(
      viewDeployment(ours, service(mine({ runningCount: 1, pendingCount: 1, failedTasks: 3 }))).status,
    ).toBe('IN_PROGRESS: 1/2 running, 1 pending, 3 failed (web:2)');
  });
});

describe('from the service deployments API', () => {
  const sd = (
    status: ServiceDeployment['status'],
    extra: Partial<ServiceDeployment> = {},
  ): ServiceDeployment => ({ status, ...extra });
  const running = service(mine({ rolloutState: 'COMPLETED', runningCount: 2 }));
  const rolledBack = service(
    dep({
      id: 'ecs-svc/3',
      taskDefinition: TD(1),
      status: 'PRIMARY',
      rolloutState: 'COMPLETED',
      runningCount: 2,
    }),
  );
  test.each<[string, Service, ServiceDeployment, string]>([
    ['in progress', service(mine({})), sd('IN_PROGRESS'), 'in-progress'],
    ['successful and running', running, sd('SUCCESSFUL'), 'succeeded'],
    ['successful but another deployment is PRIMARY', rolledBack, sd('SUCCESSFUL'), 'rolled-back'],
    [
      'rollback in progress',
      rolledBack,
      sd('ROLLBACK_IN_PROGRESS', { rollback: { reason: 'circuit breaker' } }),
      'rolling-back',
    ],
    ['rolled back', rolledBack, sd('ROLLBACK_SUCCESSFUL'), 'rolled-back'],
    ['rollback failed', rolledBack, sd('ROLLBACK_FAILED'), 'failed'],
    [
      'stopped while PRIMARY',
      service(mine({ rolloutState: 'FAILED' })),
      sd('STOPPED', { statusReason: 'tasks failed to start' }),
      'failed',
    ],
  ])('%s', (_name, snapshot, serviceDeployment, phase) => {
    expect(
      viewDeployment({ ...ours, serviceDeploymentArn: 'arn:sd' }, snapshot, serviceDeployment).phase,
    ).toBe(phase);
  });

  test('the rollback reason is the one ECS gives', () => {
    const view = viewDeployment(
      ours,
      rolledBack,
      sd('ROLLBACK_SUCCESSFUL', { rollback: { reason: 'alarm latency-high in ALARM' } }),
    );
    expect(view).toMatchObject({
      phase: 'rolled-back',
      reason: 'alarm latency-high in ALARM',
      rollbackTaskDefinition: TD(1),
    });
  });
});
