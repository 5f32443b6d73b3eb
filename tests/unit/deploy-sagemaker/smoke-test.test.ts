import { Cancelled } from '@deploy-suite/kit';
import {
  readSmokeTest,
  responseText,
  runSmokeTest,
  RESPONSE_CHARACTERS,
} from '../../../actions/deploy-sagemaker/src/smoke-test';
import { errorOf, inputsOf } from '../../support/inputs';

const read = (inputs: Record<string, string>) =>
  readSmokeTest(inputsOf({ 'smoke-test-content-type': 'application/json', ...inputs }));

describe('readSmokeTest', () => {
  test.each([
    [{}, undefined],
    [
      { 'smoke-test-payload': '{"instances": [[1, 2]]}' },
      { payload: '{"instances": [[1, 2]]}', contentType: 'application/json' },
    ],
    [
      { 'smoke-test-payload': '1,2,3', 'smoke-test-content-type': 'text/csv; charset=utf-8' },
      { payload: '1,2,3', contentType: 'text/csv; charset=utf-8' },
    ],
  ])('%j reads as %j', (inputs, expected) => {
    expect(read(inputs)).toEqual(expected);
  });

  // BodyBlob: at most 6291456 bytes (botocore sagemaker-runtime/2017-05-13).
  test.each([
    [
      { 'smoke-test-payload': 'x'.repeat(6_291_457) },
      "Input 'smoke-test-payload' takes at most 6291456 bytes",
    ],
    [
      { 'smoke-test-payload': '{}', 'smoke-test-content-type': 'json' },
      "Input 'smoke-test-content-type' must be a MIME type",
    ],
    [
      { 'smoke-test-payload': '{}', 'smoke-test-content-type': 'application/json\n::error::x' },
      "Input 'smoke-test-content-type' must be a MIME type",
    ],
  ])('%#: refused in one line', (inputs, message) => {
    const error = errorOf(() => read(inputs));
    expect(error).toContain(`InputError: ${message}`);
    expect(error).not.toContain('\n');
  });
});

test('responseText puts an answer on one line and cuts it', () => {
  expect(responseText('a\nb\r\n\tc')).toBe('a b c');
  expect(responseText('y'.repeat(RESPONSE_CHARACTERS + 5))).toBe(`${'y'.repeat(RESPONSE_CHARACTERS)}…`);
});

describe('runSmokeTest', () => {
  const test1 = { payload: '{"instances": [[1]]}', contentType: 'application/json' };
  const runtime = (send: (command: { input: unknown }) => Promise<unknown>) => ({ send }) as never;

  test('an answer passes, and the request is the payload with its content type', async () => {
    const sent: unknown[] = [];
    const result = await runSmokeTest(
      runtime(async (command) => {
        sent.push(command.input);
        return { Body: new TextEncoder().encode('{"predictions": [0.7]}'), ContentType: 'application/json' };
      }),
      'charges',
      test1,
    );
    expect(result).toMatchObject({ passed: true, response: '{"predictions": [0.7]}' });
    expect(sent).toEqual([
      {
        EndpointName: 'charges',
        ContentType: 'application/json',
        Body: new TextEncoder().encode(test1.payload),
      },
    ]);
  });

  // ModelError: "Model (owned by the customer in the container) returned 4xx or 5xx error code",
  // HTTP 424 (botocore sagemaker-runtime/2017-05-13).
  test.each([
    [
      Object.assign(new Error('Received server error (500) from primary with message "boom"'), {
        name: 'ModelError',
        OriginalStatusCode: 500,
        OriginalMessage: 'boom\nTraceback',
      }),
      { cause: 'the container answered 500', response: 'boom Traceback' },
    ],
    [
      Object.assign(new Error('SageMakerRuntime InvokeEndpoint got no answer within 75 s'), {
        name: 'CallTimedOut',
      }),
      { cause: 'no answer in time', response: '' },
    ],
    [
      Object.assign(new Error('Endpoint charges of account 123456789012 not found.'), {
        name: 'ValidationError',
      }),
      { cause: 'ValidationError', response: '' },
    ],
  ])('%s fails the smoke test', async (error, expected) => {
    const result = await runSmokeTest(
      runtime(() => Promise.reject(error)),
      'charges',
      test1,
    );
    expect(result).toMatchObject({ passed: false, ...expected });
    expect(result.line).not.toContain('\n');
  });

  test('a cancelled run is passed on, not counted as a failed smoke test', async () => {
    await expect(
      runSmokeTest(
        runtime(() => Promise.reject(new Cancelled('SIGINT'))),
        'charges',
        test1,
      ),
    ).rejects.toBeInstanceOf(Cancelled);
  });
});
