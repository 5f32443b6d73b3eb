import { readTimeout, readWait } from '@deploy-suite/kit';
import { DEFAULT_MAX_ATTEMPTS, maxAttemptsOf } from '../../../packages/kit/src/aws';
import { errorOf, inputsOf } from '../../support/inputs';

describe('readWait: one name in every action, the former one still honoured', () => {
  test.each([
    [{ wait: 'true' }, undefined, true],
    [{ wait: 'false' }, undefined, false],
    // The runner fills `wait` from its action.yml default; the former name has none, so it is set
    // only when the workflow sets it, and then it decides.
    [{ wait: 'true', 'wait-for-environment': 'false' }, 'wait-for-environment', false],
    [{ wait: 'false', 'wait-for-environment': 'true' }, 'wait-for-environment', true],
    [{ wait: 'false', 'wait-for-environment': '' }, 'wait-for-environment', false],
  ])('%p (former name %p) -> %p', (inputs, former, expected) => {
    expect(readWait(inputsOf(inputs), former)).toBe(expected);
  });

  test('a bad value names the input the user wrote', () => {
    expect(
      errorOf(() =>
        readWait(inputsOf({ wait: 'true', 'wait-for-environment': 'yes' }), 'wait-for-environment'),
      ),
    ).toBe("InputError: Input 'wait-for-environment' must be true or false; got 'yes'");
  });
});

test.each([
  ['0.1', 6_000],
  ['30', 1_800_000],
  ['360', 21_600_000],
])('timeout-minutes %s is %d ms', (value, ms) => {
  expect(readTimeout(inputsOf({ 'timeout-minutes': value }))).toBe(ms);
});

test.each(['0', '0.05', '361', 'soon'])('timeout-minutes %s is refused in one line', (value) => {
  expect(errorOf(() => readTimeout(inputsOf({ 'timeout-minutes': value })))).toMatch(
    /^InputError: Input 'timeout-minutes' must be (a number )?from 0\.1 to 360/,
  );
});

test.each([
  [{}, DEFAULT_MAX_ATTEMPTS],
  [{ 'INPUT_AWS-MAX-ATTEMPTS': '' }, DEFAULT_MAX_ATTEMPTS],
  [{ 'INPUT_AWS-MAX-ATTEMPTS': '3' }, 3],
])('aws-max-attempts from %p is %d', (env, attempts) => {
  expect(maxAttemptsOf(env)).toBe(attempts);
});

test.each(['0', '21', 'many'])('aws-max-attempts %s is refused, naming the input', (value) => {
  expect(errorOf(() => maxAttemptsOf({ 'INPUT_AWS-MAX-ATTEMPTS': value }))).toMatch(
    /^InputError: Input 'aws-max-attempts' must be (a whole number )?from 1 to 20/,
  );
});
