import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { faultAnswer, type FaultKind } from './faults';
import { forwardRequest, readBody } from './forward';
import { FaultInjector, type FaultSettings, type FaultStats } from './injector';
import { closeServer, listenOnLoopback } from './listen';
import { detectProtocol } from './protocol';

/** Control endpoint: GET reads settings and counts; POST JSON `{ rate?, kinds?, seed?, resetStats? }` changes them. */
export const FAULT_CONTROL_PATH = '/_fault';

export interface FaultProxyOptions {
  readonly upstream: string;
  readonly rate?: number;
  readonly seed?: number;
  readonly kinds?: readonly FaultKind[];
  /** 0 (default) picks a free port. */
  readonly port?: number;
}

export interface FaultProxy {
  readonly url: string;
  setRate(rate: number): void;
  configure(changes: Partial<FaultSettings>): FaultSettings;
  stats(): FaultStats;
  resetStats(): void;
  close(): Promise<void>;
}

export interface FaultControlAnswer extends FaultSettings {
  readonly stats: FaultStats;
}

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

function answerWithFault(req: IncomingMessage, res: ServerResponse, fault: FaultKind): void {
  if (fault === 'drop') {
    req.socket.destroy();
    return;
  }
  const answer = faultAnswer(fault, detectProtocol(req.headers));
  // The request body is left unread; closing afterwards keeps a half-sent upload off the next request.
  res.writeHead(answer.status, { ...answer.headers, connection: 'close' });
  res.end(answer.body);
}

/** An HTTP proxy in front of `upstream` that answers a seeded share of requests with AWS-shaped faults. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  const injector = new FaultInjector({
    ...(options.rate !== undefined && { rate: options.rate }),
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.kinds !== undefined && { kinds: options.kinds }),
  });
  const server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] === FAULT_CONTROL_PATH) {
      handleControl(req, res, injector).catch((error: unknown) =>
        sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) }),
      );
      return;
    }
    const fault = injector.next();
    if (fault) answerWithFault(req, res, fault);
    else forwardRequest(req, res, upstream);
  });
  const url = await listenOnLoopback(server, options.port ?? 0);
  return {
    url,
    setRate: (rate) => void injector.configure({ rate }),
    configure: (changes) => injector.configure(changes),
    stats: () => injector.stats(),
    resetStats: () => injector.resetStats(),
    close: () => closeServer(server),
  };
}
