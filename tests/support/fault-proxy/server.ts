import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { faultAnswer, isAnsweredFault, type FaultKind } from './faults';
import { forwardAndDiscardAnswer, forwardRequest, readBody, type ForwardOptions } from './forward';
import { FaultInjector, type FaultSettings, type FaultStats } from './injector';
import { closeServer, listenOnLoopback } from './listen';
import { detectProtocol, operationName, signingName } from './protocol';
import type { RequestFacts } from './rules';

/**
 * Control endpoint: GET reads settings and counts; POST JSON `{ rate?, kinds?, seed?, rules?,
 * resetStats? }` changes them (see README.md).
 */
export const FAULT_CONTROL_PATH = '/_fault';

export interface FaultProxyOptions {
  readonly upstream: string;
  readonly rate?: number;
  readonly seed?: number;
  readonly kinds?: readonly FaultKind[];
  readonly rules?: FaultSettings['rules'];
  /** 0 (default) picks a free port. */
  readonly port?: number;
}

export interface FaultProxy {
  readonly url: string;
  setRate(rate: number): void;
  configure(changes: Partial<FaultSettings>): FaultSettings;
  stats(): FaultStats;
  resetStats(): void;
  /** Stops listening and closes every connection, held never-answer ones included. */
  close(): Promise<void>;
}

export interface FaultControlAnswer extends FaultSettings {
  readonly stats: FaultStats;
}

const CONTROL_FIELDS = ['rate', 'kinds', 'seed', 'rules', 'resetStats'];

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  injector: FaultInjector,
): Promise<void> {
  if (req.method === 'POST') {
    const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Partial<FaultSettings> & {
      resetStats?: boolean;
    };
    const unknown = Object.keys(body).filter((key) => !CONTROL_FIELDS.includes(key));
    if (unknown.length > 0)
      throw new RangeError(`unknown field ${unknown.join(', ')}; known: ${CONTROL_FIELDS.join(', ')}`);
    const { resetStats, ...changes } = body;
    injector.configure(changes);
    if (resetStats) injector.resetStats();
  } else if (req.method !== 'GET') {
    sendJson(res, 405, { error: `${req.method} not allowed on ${FAULT_CONTROL_PATH}` });
    return;
  }
  const answer: FaultControlAnswer = { ...injector.current(), stats: injector.stats() };
  sendJson(res, 200, answer);
}

interface ProxyContext {
  readonly injector: FaultInjector;
  readonly upstream: URL;
  /** Sockets of never-answer requests, closed by close(). */
  readonly held: Set<Socket>;
}

function answerWithError(req: IncomingMessage, res: ServerResponse, fault: FaultKind): void {
  if (!isAnsweredFault(fault)) throw new Error(`${fault} has no answer`);
  const answer = faultAnswer(fault, detectProtocol(req.headers));
  // The request body is left unread; closing afterwards keeps a half-sent upload off the next request.
  res.writeHead(answer.status, { ...answer.headers, connection: 'close' });
  res.end(answer.body);
}

function holdForever(req: IncomingMessage, held: Set<Socket>): void {
  const socket = req.socket;
  held.add(socket);
  socket.once('close', () => held.delete(socket));
  // Reading the body lets the client finish sending and wait for an answer that never comes.
  req.resume();
}

async function applyFault(
  req: IncomingMessage,
  res: ServerResponse,
  fault: FaultKind,
  context: ProxyContext,
  forward: ForwardOptions,
): Promise<void> {
  switch (fault) {
    case 'drop':
      req.socket.destroy();
      return;
    case 'lost-answer':
      await forwardAndDiscardAnswer(req, context.upstream, forward);
      req.socket.destroy();
      return;
    case 'never-answer':
      holdForever(req, context.held);
      return;
    default:
      answerWithError(req, res, fault);
  }
}

async function handleApi(req: IncomingMessage, res: ServerResponse, context: ProxyContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://proxy');
  // A form body is read (it is small) only when a rule needs its Action; otherwise bodies stay streamed.
  const body =
    detectProtocol(req.headers) === 'query' && context.injector.wantsOperation()
      ? await readBody(req)
      : undefined;
  const service = signingName(req.headers);
  const operation = operationName(req.headers, url, body);
  const facts: RequestFacts = {
    method: req.method ?? 'GET',
    path: url.pathname,
    ...(service !== undefined && { service }),
    ...(operation !== undefined && { operation }),
  };
  const fault = context.injector.next(facts);
  const forward = body ? { body } : {};
  if (fault) await applyFault(req, res, fault, context, forward);
  else forwardRequest(req, res, context.upstream, forward);
}

/** An HTTP proxy in front of `upstream` that answers a seeded share of requests with AWS-shaped faults. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  const injector = new FaultInjector({
    ...(options.rate !== undefined && { rate: options.rate }),
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.kinds !== undefined && { kinds: options.kinds }),
    ...(options.rules !== undefined && { rules: options.rules }),
  });
  const context: ProxyContext = { injector, upstream, held: new Set() };
  const server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] === FAULT_CONTROL_PATH) {
      handleControl(req, res, injector).catch((error: unknown) =>
        sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) }),
      );
      return;
    }
    handleApi(req, res, context).catch(() => req.socket.destroy());
  });
  const url = await listenOnLoopback(server, options.port ?? 0);
  return {
    url,
    setRate: (rate) => void injector.configure({ rate }),
    configure: (changes) => injector.configure(changes),
    stats: () => injector.stats(),
    resetStats: () => injector.resetStats(),
    close: () => {
      for (const socket of context.held) socket.destroy();
      return closeServer(server);
    },
  };
}
