import {
  progressLine,
  settled,
  verdictOf,
  type EndpointView,
} from '../../../actions/deploy-sagemaker/src/verdict';

const PING =
  'The primary container for production variant AllTraffic did not pass the ping health check. Please check CloudWatch logs for this endpoint.';

// EndpointStatus as the API reference's DescribeEndpoint defines it; a failed update leaves the
// endpoint InService on the previous configuration with FailureReason set.
describe('settled', () => {
  it.each<[string, EndpointView, boolean, boolean]>([
    ['Creating runs on', { EndpointStatus: 'Creating' }, true, false],
    ['Updating runs on', { EndpointStatus: 'Updating' }, true, false],
    ['SystemUpdating runs on', { EndpointStatus: 'SystemUpdating' }, true, false],
    ['RollingBack is followed to its end', { EndpointStatus: 'RollingBack' }, true, false],
    [
      'RollingBack ends the wait when the rollback is not followed',
      { EndpointStatus: 'RollingBack' },
      false,
      true,
    ],
    ['InService ends it', { EndpointStatus: 'InService' }, true, true],
    ['Failed ends it', { EndpointStatus: 'Failed' }, true, true],
    ['OutOfService ends it', { EndpointStatus: 'OutOfService' }, true, true],
  ])('%s', (_name, endpoint, followRollback, expected) => {
    expect(settled(endpoint, followRollback)).toBe(expected);
  });
});

describe('verdictOf', () => {
  it.each<[string, EndpointView, string | undefined, string, RegExp]>([
    [
      'InService on the target',
      { EndpointStatus: 'InService', EndpointConfigName: 'new' },
      'old',
      'succeeded',
      /InService on new/,
    ],
    [
      'a new endpoint InService',
      { EndpointStatus: 'InService', EndpointConfigName: 'new' },
      undefined,
      'succeeded',
      /InService on new/,
    ],
    [
      'InService on the previous configuration after a failed update',
      { EndpointStatus: 'InService', EndpointConfigName: 'old', FailureReason: PING },
      'old',
      'rolled-back',
      /update of charges to new failed: The primary container .*; old serves again$/,
    ],
    [
      'RollingBack, not followed',
      { EndpointStatus: 'RollingBack', EndpointConfigName: 'old' },
      'old',
      'failed',
      /rolling back to old \(not followed: rollback-on-failure is false\)/,
    ],
    [
      'a creation Failed',
      { EndpointStatus: 'Failed', EndpointConfigName: 'new', FailureReason: PING },
      undefined,
      'failed',
      /^charges is Failed: The primary container/,
    ],
    [
      'OutOfService',
      { EndpointStatus: 'OutOfService', EndpointConfigName: 'new' },
      undefined,
      'failed',
      /ended OutOfService on new/,
    ],
  ])('%s', (_name, endpoint, previous, status, verdict) => {
    const result = verdictOf(endpoint, 'charges', 'new', previous);
    expect(result.status).toBe(status);
    expect(result.verdict).toMatch(verdict);
  });
});

test('progressLine names the status, the pending configuration and each variant stage', () => {
  expect(
    progressLine({
      EndpointStatus: 'Updating',
      EndpointConfigName: 'old',
      PendingDeploymentSummary: {
        EndpointConfigName: 'new',
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            VariantStatus: [{ Status: 'Baking', StatusMessage: '25% of traffic', StartTime: new Date(0) }],
          },
        ],
      },
    }),
  ).toBe('Updating → new [AllTraffic Baking (25% of traffic)]');
  expect(progressLine({ EndpointStatus: 'Creating', EndpointConfigName: 'new' })).toBe('Creating');
});
