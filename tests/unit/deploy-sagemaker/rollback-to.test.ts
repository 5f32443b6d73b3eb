import { readRollbackInputs, rollbackTarget } from '../../../actions/deploy-sagemaker/src/rollback-to';
import { errorOf, inputsOf } from '../../support/inputs';

// rollback-to, in deploy-ecs's and deploy-beanstalk's words: `previous` or a name of this
// endpoint's own configurations, `<endpoint>-<digest12>-<hash8>` (the endpoint cut to 41).
describe('rollbackTarget', () => {
  const long = `a${'-b'.repeat(30)}`; // 61 characters: configuration names start with its first 41, cut of trailing hyphens
  test.each([
    ['charges', 'previous', { kind: 'previous' }],
    ['charges', 'charges-111111111111-0a1b2c3d', { kind: 'config', name: 'charges-111111111111-0a1b2c3d' }],
    [
      long,
      `${long.slice(0, 41)}-111111111111-0a1b2c3d`,
      { kind: 'config', name: `${long.slice(0, 41)}-111111111111-0a1b2c3d` },
    ],
  ])('%s: %s', (endpoint, value, expected) => {
    expect(rollbackTarget(endpoint, value)).toEqual(expected);
  });

  test.each([
    ['charges', 'fraud-111111111111-0a1b2c3d'],
    ['charges', 'charges'],
    ['charges', 'charges-'],
    ['charges', 'chargesx-111111111111-0a1b2c3d'],
    ['charges', 'Previous'],
    ['charges', `charges-${'1'.repeat(60)}`],
    ['charges', 'charges-1\n::error::x'],
  ])('%s: %j is refused in one line', (endpoint, value) => {
    const error = errorOf(() => rollbackTarget(endpoint, value));
    expect(error).toMatch(
      /^InputError: Input 'rollback-to' must be previous or the name of an endpoint configuration of /,
    );
    expect(error).not.toContain('\n');
  });
});

describe('readRollbackInputs', () => {
  const base = { 'endpoint-name': 'charges', wait: 'true', 'timeout-minutes': '30' };
  test('without rollback-to: a deploy (undefined)', () => {
    expect(readRollbackInputs(inputsOf(base))).toBeUndefined();
  });

  test('rollback-to needs only the endpoint', () => {
    expect(readRollbackInputs(inputsOf({ ...base, 'rollback-to': 'previous' }))).toEqual({
      endpointName: 'charges',
      rollbackTo: { kind: 'previous' },
      wait: true,
      timeoutMs: 30 * 60_000,
      region: undefined,
    });
  });

  test.each([
    'image',
    'execution-role-arn',
    'instance-type',
    'memory-size',
    'model-data',
    'environment-variables',
    'smoke-test-payload',
  ])('%s cannot be combined with rollback-to', (input) => {
    expect(
      errorOf(() => readRollbackInputs(inputsOf({ ...base, 'rollback-to': 'previous', [input]: 'x' }))),
    ).toBe(
      `InputError: Input '${input}' cannot be combined with rollback-to, which returns the endpoint to an existing configuration as it is`,
    );
  });
});
