import type { DeploymentRolloutState, Service } from '@aws-sdk/client-ecs';
import { planRollback, planServiceDeployment, primaryDeployment } from '../../../actions/deploy-ecs/src/plan';

const td = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;

/** A service on revision 1, its PRIMARY deployment in `rolloutState`. */
function service(rolloutState: DeploymentRolloutState = 'COMPLETED', extra: Partial<Service> = {}): Service {
  return {
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
    taskDefinition: td(1),
    desiredCount: 2,
    propagateTags: 'NONE',
    enableECSManagedTags: false,
    deployments: [
      { id: 'ecs-svc/2', status: 'ACTIVE', taskDefinition: td(0), rolloutState: 'COMPLETED' },
      { id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: td(1), rolloutState },
    ],
    ...extra,
  };
}

const inputs = {
  forceNewDeployment: false,
  desiredCount: undefined,
  propagateTags: undefined,
  enableEcsManagedTags: undefined,
  wait: true,
  rollbackOnFailure: true,
};

describe('planServiceDeployment', () => {
  test.each([
    ['a new revision', {}, true, true],
    ['the same revision', {}, false, false],
    ['the same revision, forced', { forceNewDeployment: true }, false, true],
    ['the same revision, a new desired count', { desiredCount: 3 }, false, true],
    ['the same revision, the desired count it has', { desiredCount: 2 }, false, false],
    [
      'the same revision, tags propagated from the service',
      { propagateTags: 'SERVICE' as const },
      false,
      true,
    ],
    ['the same revision, the propagation it has', { propagateTags: 'NONE' as const }, false, false],
    ['the same revision, managed tags turned on', { enableEcsManagedTags: true }, false, true],
  ])('%s: UpdateService is called: %s', (_, change, registered, updates) => {
    const plan = planServiceDeployment({ ...inputs, ...change }, service(), registered);
    expect(plan.update !== undefined).toBe(updates);
  });

  test('UpdateService gets the inputs that change the service', () => {
    const plan = planServiceDeployment(
      { ...inputs, desiredCount: 3, propagateTags: 'SERVICE' },
      service(),
      true,
    );
    expect(plan.update).toEqual({
      forceNewDeployment: false,
      desiredCount: 3,
      propagateTags: 'SERVICE',
      enableEcsManagedTags: undefined,
    });
  });

  test.each([
    ['a new revision over a completed one records it', 'COMPLETED', true, td(1)],
    ['a new revision over one still rolling out records nothing', 'IN_PROGRESS', true, undefined],
    ['a new revision over a failed one records nothing', 'FAILED', true, undefined],
    ['a redeploy of the revision the service runs records nothing', 'COMPLETED', false, undefined],
  ] as const)('%s', (_, rolloutState, registered, recorded) => {
    expect(planServiceDeployment(inputs, service(rolloutState), registered).recordPrevious).toBe(recorded);
  });

  test.each([
    ['a new revision returns to the one the service ran', true, true, td(1)],
    ['rollback-on-failure false does not return', false, true, undefined],
    ['the revision the service runs has nothing to return to', true, false, undefined],
  ])('%s', (_, rollbackOnFailure, registered, target) => {
    expect(planServiceDeployment({ ...inputs, rollbackOnFailure }, service(), registered).rollBackTo).toBe(
      target,
    );
  });

  test('wait false: started, not followed', () => {
    expect(planServiceDeployment({ ...inputs, wait: false }, service(), true).follow).toBe(false);
  });
});

describe('planRollback', () => {
  test.each([
    ['already on it, fully rolled out: nothing', td(1), 'COMPLETED', false, false],
    ['already on it, forced: redeployed', td(1), 'COMPLETED', true, true],
    ['on it but still rolling out: redeployed', td(1), 'IN_PROGRESS', false, true],
    ['on another revision: deployed', td(0), 'COMPLETED', false, true],
  ] as const)('%s', (_, arn, rolloutState, forceNewDeployment, updates) => {
    const plan = planRollback({ forceNewDeployment, wait: true }, service(rolloutState), arn);
    expect(plan.update !== undefined).toBe(updates);
    // A rollback is never itself rolled back, nor recorded as a previous revision.
    expect(plan.rollBackTo).toBeUndefined();
    expect(plan.recordPrevious).toBeUndefined();
  });
});

test('primaryDeployment finds the PRIMARY entry wherever it is listed', () => {
  expect(primaryDeployment(service())?.id).toBe('ecs-svc/1');
  expect(primaryDeployment({ deployments: [] })).toBeUndefined();
  expect(primaryDeployment(undefined)).toBeUndefined();
});
