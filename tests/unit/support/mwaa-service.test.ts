import {
  MWAA_SCENARIOS,
  mwaaService,
  ScenarioRegistry,
  ServiceError,
  updatePhase,
} from '../../support/simulator';
import type { MwaaScenario, ServiceInstance } from '../../support/simulator';

describe('updatePhase', () => {
  const fails = MWAA_SCENARIOS['update-fails'];
  const rollsBack = MWAA_SCENARIOS['update-fails-rollback'];
  it.each([
    ['healthy', MWAA_SCENARIOS.healthy, 59, 'UPDATING', 'PENDING'],
    ['healthy', MWAA_SCENARIOS.healthy, 60, 'AVAILABLE', 'SUCCESS'],
    ['slow', MWAA_SCENARIOS.slow, 1499, 'UPDATING', 'PENDING'],
    ['update-fails', fails, 89, 'UPDATING', 'PENDING'],
    ['update-fails', fails, 90, 'UPDATE_FAILED', 'FAILED'],
    ['update-fails-rollback', rollsBack, 100, 'ROLLING_BACK', 'PENDING'],
    ['update-fails-rollback', rollsBack, 150, 'AVAILABLE', 'FAILED'],
  ])(
    '%s after %d s: Status %s, LastUpdate %s',
    (_name, scenario: MwaaScenario, seconds, status, updateStatus) => {
      expect(updatePhase(scenario, seconds)).toMatchObject({ status, updateStatus });
    },
  );
});

describe('MWAA service module', () => {
  let now: number;
  let scenarios: ScenarioRegistry;
  let mwaa: ServiceInstance;

  beforeEach(() => {
    now = 1_700_000_000_000;
    scenarios = new ScenarioRegistry();
    scenarios.define(mwaaService.service, mwaaService.scenarios, mwaaService.defaultScenario);
    mwaa = mwaaService.create({
      clock: { now: () => now },
      accountId: '123456789012',
      scenarioFor: (resource) => scenarios.resolve(mwaaService.service, resource),
    });
    mwaa.seed?.({ Name: 'airflow-prod', RequirementsS3ObjectVersion: 'v1' }, 'us-east-1');
  });

  function call(name: string, input: Record<string, unknown>): Record<string, unknown> {
    const operation = mwaa.operations.find((o) => o.name === name);
    if (!operation) throw new Error(`no operation ${name}`);
    return operation.handle({ input, region: 'us-east-1' }) as Record<string, unknown>;
  }
  const environment = (): Record<string, unknown> =>
    call('GetEnvironment', { Name: 'airflow-prod' }).Environment as Record<string, unknown>;

  it('updates through UPDATING to AVAILABLE with the new object versions', () => {
    expect(call('UpdateEnvironment', { Name: 'airflow-prod', RequirementsS3ObjectVersion: 'v2' })).toEqual({
      Arn: 'arn:aws:airflow:us-east-1:123456789012:environment/airflow-prod',
    });
    expect(environment()).toMatchObject({ Status: 'UPDATING', LastUpdate: { Status: 'PENDING' } });
    now += 60_000;
    expect(environment()).toMatchObject({
      Status: 'AVAILABLE',
      RequirementsS3ObjectVersion: 'v2',
      LastUpdate: { Status: 'SUCCESS', CreatedAt: new Date(1_700_000_000_000) },
    });
  });

  it('restores the previous configuration after a failed update and says why', () => {
    scenarios.choose('mwaa', 'airflow-prod', 'update-fails');
    call('UpdateEnvironment', { Name: 'airflow-prod', RequirementsS3ObjectVersion: 'v2' });
    now += 90_000;
    const failed = environment();
    expect(failed).toMatchObject({ Status: 'UPDATE_FAILED', RequirementsS3ObjectVersion: 'v1' });
    expect(failed.LastUpdate).toMatchObject({
      Status: 'FAILED',
      Error: { ErrorCode: 'INCORRECT_CONFIGURATION' },
    });
    expect(mwaa.state?.()).toMatchObject({
      environments: [
        {
          Updates: [
            { scenario: 'update-fails', requested: { RequirementsS3ObjectVersion: 'v2' }, outcome: 'FAILED' },
          ],
        },
      ],
    });
  });

  it('can be updated again after a failed update', () => {
    scenarios.choose('mwaa', 'airflow-prod', 'update-fails');
    call('UpdateEnvironment', { Name: 'airflow-prod', PluginsS3ObjectVersion: 'p2' });
    now += 90_000;
    scenarios.choose('mwaa', 'airflow-prod', 'healthy');
    call('UpdateEnvironment', { Name: 'airflow-prod', PluginsS3ObjectVersion: 'p3' });
    now += 60_000;
    expect(environment()).toMatchObject({ Status: 'AVAILABLE', PluginsS3ObjectVersion: 'p3' });
  });

  it('refuses an update while one is running, as MWAA does (ValidationException naming the status)', () => {
    call('UpdateEnvironment', { Name: 'airflow-prod' });
    expect(() => call('UpdateEnvironment', { Name: 'airflow-prod' })).toThrow(
      expect.objectContaining({
        code: 'ValidationException',
        message: 'Environments with UPDATING status cannot be updated.',
      }),
    );
  });

  it('answers unknown environments with ResourceNotFoundException 404', () => {
    let error: unknown;
    try {
      call('GetEnvironment', { Name: 'nope' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: 'ResourceNotFoundException', status: 404 });
  });

  it('creates environments that stay CREATING for the scenario time', () => {
    call('CreateEnvironment', { Name: 'airflow-new', DagS3Path: 'dags/' });
    expect(call('GetEnvironment', { Name: 'airflow-new' }).Environment).toMatchObject({ Status: 'CREATING' });
    now += 30_000;
    expect(call('GetEnvironment', { Name: 'airflow-new' }).Environment).toMatchObject({
      Status: 'AVAILABLE',
      DagS3Path: 'dags/',
    });
    expect(call('ListEnvironments', {})).toEqual({ Environments: ['airflow-new', 'airflow-prod'] });
  });
});
