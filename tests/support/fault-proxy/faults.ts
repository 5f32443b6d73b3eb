import { randomUUID } from 'node:crypto';
import type { Prng } from './prng';
import type { AwsProtocol } from './protocol';

/**
 * throttle: the protocol's throttling error; internal-error: HTTP 500; unavailable: HTTP 503;
 * drop: socket closed before the request reaches the upstream;
 * lost-answer: the upstream gets the request and answers it in full, the client's socket is closed
 *   without that answer (the call took effect; the client cannot know);
 * never-answer: the request is read and never answered, the socket held open until the client gives
 *   up or the proxy stops.
 */
export const FAULT_KINDS = [
  'throttle',
  'internal-error',
  'unavailable',
  'drop',
  'lost-answer',
  'never-answer',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * The kinds a random `rate` picks from unless `kinds` says otherwise: the ones a client retries
 * without side effects or hangs. lost-answer and never-answer are only injected when asked for by name.
 */
export const DEFAULT_FAULT_KINDS: readonly FaultKind[] = [
  'throttle',
  'internal-error',
  'unavailable',
  'drop',
];

/** The kinds answered with an HTTP error; the others close or hold the connection. */
export type AnsweredFaultKind = Extract<FaultKind, 'throttle' | 'internal-error' | 'unavailable'>;

export function isAnsweredFault(kind: FaultKind): kind is AnsweredFaultKind {
  return kind === 'throttle' || kind === 'internal-error' || kind === 'unavailable';
}

export function isFaultKind(value: unknown): value is FaultKind {
  return typeof value === 'string' && (FAULT_KINDS as readonly string[]).includes(value);
}

/**
 * Decides whether one request gets a fault and which. Always draws twice so the sequence of decisions
 * for a given seed does not depend on the rate or the kinds enabled.
 */
export function chooseFault(prng: Prng, rate: number, kinds: readonly FaultKind[]): FaultKind | undefined {
  const roll = prng();
  const pick = prng();
  if (kinds.length === 0 || roll >= rate) return undefined;
  return kinds[Math.floor(pick * kinds.length)];
}

export interface FaultAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

interface ErrorShape {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly type: 'Sender' | 'Receiver';
}

function errorShape(kind: AnsweredFaultKind, protocol: AwsProtocol): ErrorShape {
  if (kind === 'throttle') {
    if (protocol === 'rest-xml') {
      return { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.', type: 'Sender' };
    }
    if (protocol === 'rest-json') {
      return { status: 429, code: 'ThrottlingException', message: 'Rate exceeded', type: 'Sender' };
    }
    const code = protocol === 'json' ? 'ThrottlingException' : 'Throttling';
    return { status: 400, code, message: 'Rate exceeded', type: 'Sender' };
  }
  if (kind === 'internal-error') {
    const code = protocol === 'rest-xml' ? 'InternalError' : 'InternalFailure';
    return {
      status: 500,
      code,
      message: 'We encountered an internal error. Please try again.',
      type: 'Receiver',
    };
  }
  return { status: 503, code: 'ServiceUnavailable', message: 'Service is unavailable.', type: 'Receiver' };
}

/** The answer a real endpoint of that protocol gives for the fault. */
export function faultAnswer(
  kind: AnsweredFaultKind,
  protocol: AwsProtocol,
  requestId: string = randomUUID(),
): FaultAnswer {
  const { status, code, message, type } = errorShape(kind, protocol);
  const common = { 'x-amzn-requestid': requestId };
  switch (protocol) {
    case 'json':
      return {
        status,
        headers: { ...common, 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({ __type: code, message }),
      };
    case 'rest-json':
      return {
        status,
        headers: { ...common, 'content-type': 'application/json', 'x-amzn-errortype': code },
        body: JSON.stringify({ message }),
      };
    case 'query':
      return {
        status,
        headers: { ...common, 'content-type': 'text/xml' },
        body:
          `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error>` +
          `<RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 'rest-xml':
      return {
        status,
        headers: { 'x-amz-request-id': requestId, 'content-type': 'application/xml' },
        body:
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>` +
          `<RequestId>${requestId}</RequestId></Error>`,
      };
  }
}
