import { Cancelled, DeployFailed, InputError, isThrottling } from '@deploy-suite/kit';
import { CallTimedOut } from '../../../packages/kit/src/errors';
import { NO_CREDENTIALS, reportFailure } from '../../../packages/kit/src/run';

describe('isThrottling recognises each protocol spelling', () => {
  test.each([
    [{ name: 'ThrottlingException' }, true],
    [{ name: 'Throttling' }, true],
    [{ name: 'SlowDown' }, true],
    [{ name: 'TooManyRequestsException' }, true],
    [{ Code: 'RequestLimitExceeded' }, true],
    [{ name: 'Error', $metadata: { httpStatusCode: 429 } }, true],
    [{ name: 'AccessDeniedException' }, false],
    [{ name: 'InternalError', $metadata: { httpStatusCode: 500 } }, false],
    [null, false],
    ['ThrottlingException', false],
  ])('%p -> %p', (err, expected) => expect(isThrottling(err)).toBe(expected));
});

describe('reportFailure', () => {
  const recorder = () => {
    const calls: string[] = [];
    return {
      calls,
      log: {
        setFailed: (m: string | Error) => calls.push(`failed: ${String(m)}`),
        error: (m: string | Error) => calls.push(`error: ${String(m)}`),
        info: (m: string) => calls.push(`info: ${m}`),
      },
    };
  };

  test('an input error is one line, no stack', () => {
    const { calls, log } = recorder();
    reportFailure(new InputError('bucket', 'is required and was empty'), log);
    expect(calls).toEqual(["failed: Input 'bucket' is required and was empty"]);
  });

  test('a failed deployment says why in one line, then the evidence under it', () => {
    const { calls, log } = recorder();
    reportFailure(
      new DeployFailed('deployment failed', ['task 1 stopped: exit 137', 'CannotPullContainerError']),
      log,
    );
    expect(calls).toEqual([
      'failed: deployment failed',
      'info:   task 1 stopped: exit 137',
      'info:   CannotPullContainerError',
    ]);
  });

  test('anything else is a bug: one line, and its stack only when the run is debugged', () => {
    const quiet = recorder();
    reportFailure(new TypeError('x is undefined'), quiet.log, {});
    expect(quiet.calls).toEqual([
      'failed: x is undefined (an error in the action: re-run with debug logging for its stack)',
    ]);
    for (const env of [{ RUNNER_DEBUG: '1' }, { ACTIONS_STEP_DEBUG: 'true' }]) {
      const debugged = recorder();
      reportFailure(new TypeError('x is undefined'), debugged.log, env);
      expect(debugged.calls).toHaveLength(1);
      expect(debugged.calls[0]).toMatch(/^failed: TypeError: x is undefined\n\s+at /);
    }
  });

  test.each([
    ['a cancel', new Cancelled('SIGINT'), 'Cancelled by the runner (SIGINT)'],
    [
      'a call past its deadline',
      new CallTimedOut('ECS DescribeServices', 120),
      'ECS DescribeServices got no answer within 120 s (retries included)',
    ],
    [
      "AWS's refusal",
      Object.assign(new Error('ECS UpdateService failed after 1 attempt: AccessDenied'), { $metadata: {} }),
      'ECS UpdateService failed after 1 attempt: AccessDenied',
    ],
  ])('%s is one line, no stack', (_, err, line) => {
    const { calls, log } = recorder();
    reportFailure(err, log, {});
    expect(calls).toEqual([`failed: ${line}`]);
  });

  test('no credentials at all: one line that says how to fix it', () => {
    const { calls, log } = recorder();
    const err = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    reportFailure(err, log, {});
    expect(calls).toEqual([`failed: ${NO_CREDENTIALS}`]);
    expect(NO_CREDENTIALS).toContain('aws-actions/configure-aws-credentials');
    expect(NO_CREDENTIALS).toContain('id-token: write');
  });

  test('evidence from AWS cannot start a workflow command', () => {
    const { calls, log } = recorder();
    reportFailure(
      new DeployFailed('deployment failed', ['ok\n::set-output name=status::succeeded']),
      log,
      {},
    );
    expect(calls.some((line) => /^info: ::/m.test(line) || /\n::/.test(line))).toBe(false);
  });
});
