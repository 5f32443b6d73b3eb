import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { Cancelled, hasControlCharacter, InputError, messageOf, type InputReader } from '@deploy-suite/kit';
import { loadRuntimeSdk } from './runtime-sdk';
import { SHOWN_CHARACTERS, shownText } from './text';

/** `smoke-test-payload`: one InvokeEndpoint once the endpoint serves the new configuration. */
export interface SmokeTest {
  /** The request body, as given (inline text). */
  readonly payload: string;
  readonly contentType: string;
}

/** BodyBlob: at most 6291456 bytes (botocore sagemaker-runtime/2017-05-13). */
const MAX_PAYLOAD_BYTES = 6_291_456;
/** A MIME type, `type/subtype` with optional parameters; Header is at most 1024 characters. */
const CONTENT_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;\s*[\w!#$&^.+-]+=("[^"]*"|[\w!#$&^.+-]+))*$/;
/** How much of an answer the log and the summary show. */
export const RESPONSE_CHARACTERS = SHOWN_CHARACTERS;

export function readSmokeTest(read: InputReader): SmokeTest | undefined {
  const payload = read.optional('smoke-test-payload');
  const contentType = read.optional('smoke-test-content-type') ?? 'application/json';
  if (contentType.length > 1024 || hasControlCharacter(contentType) || !CONTENT_TYPE.test(contentType))
    throw new InputError(
      'smoke-test-content-type',
      `must be a MIME type such as application/json or text/csv; got '${responseText(contentType).slice(0, 100)}'`,
    );
  if (payload === undefined) return undefined;
  const bytes = Buffer.byteLength(payload, 'utf8');
  if (bytes > MAX_PAYLOAD_BYTES)
    throw new InputError(
      'smoke-test-payload',
      `takes at most ${MAX_PAYLOAD_BYTES} bytes (InvokeEndpoint's limit); got ${bytes}`,
    );
  return { payload, contentType };
}

export interface SmokeResult {
  readonly passed: boolean;
  /** One line: what answered, or why the test failed. */
  readonly line: string;
  /** Why it failed, in a few words (`the container answered 500`); empty when it passed. */
  readonly cause: string;
  /** The error as the runtime gave it, on one line and cut; empty when it passed. */
  readonly error: string;
  /** The answer or the container's message, on one line and cut to RESPONSE_CHARACTERS. */
  readonly response: string;
}

/** An answer or error on one line, cut for the log and the summary. */
export function responseText(text: string): string {
  return shownText(text, RESPONSE_CHARACTERS);
}

interface ModelErrorShape {
  readonly name?: string;
  readonly OriginalStatusCode?: number;
  readonly OriginalMessage?: string;
}

/**
 * Invokes the endpoint once. Any error counts as a failed smoke test: ModelError (the container
 * answered 4xx or 5xx; the runtime returns it as HTTP 424), a ValidationError, a 5xx or the call's
 * deadline. Only a cancellation of the run is passed on.
 */
export async function runSmokeTest(
  runtime: Pick<SageMakerRuntimeClient, 'send'>,
  endpoint: string,
  test: SmokeTest,
): Promise<SmokeResult> {
  const { InvokeEndpointCommand } = await loadRuntimeSdk();
  try {
    const answer = await runtime.send(
      new InvokeEndpointCommand({
        EndpointName: endpoint,
        ContentType: test.contentType,
        Body: new TextEncoder().encode(test.payload),
      }),
    );
    const body = answer.Body ? new TextDecoder().decode(answer.Body) : '';
    const variant = answer.InvokedProductionVariant ? ` from variant ${answer.InvokedProductionVariant}` : '';
    return {
      passed: true,
      cause: '',
      error: '',
      line: `the smoke test passed: InvokeEndpoint answered ${answer.ContentType ?? 'a body'} of ${body.length} characters${variant}`,
      response: responseText(body),
    };
  } catch (err) {
    if (err instanceof Cancelled) throw err;
    const model = err as ModelErrorShape;
    const cause =
      model.name === 'ModelError' && model.OriginalStatusCode
        ? `the container answered ${model.OriginalStatusCode}`
        : model.name === 'CallTimedOut'
          ? 'no answer in time'
          : (model.name ?? 'error');
    const error = responseText(messageOf(err));
    return {
      passed: false,
      cause,
      error,
      line: `the smoke test failed (${cause}): ${error}`,
      response: responseText(model.OriginalMessage ?? ''),
    };
  }
}
