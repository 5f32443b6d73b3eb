import { DeployFailed, InputError, isThrottling, reportFailure } from '@deploy-suite/kit';

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

  test('anything else is a bug and shows its stack', () => {
    const { calls, log } = recorder();
    reportFailure(new TypeError('x is undefined'), log);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/^failed: TypeError: x is undefined\n\s+at /);
  });
});
