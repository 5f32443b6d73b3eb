import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { forwardRequest, readBody } from '../fault-proxy/forward';
import { closeServer, listenOnLoopback } from '../fault-proxy/listen';
import { detectProtocol, signingName, signingRegion } from '../fault-proxy/protocol';
import type { Call, CallFilter } from './calls';
import { VirtualClock } from './clock';
import { CONTROL_PREFIX, DEFAULT_REGION, handleControl } from './control';
import { SimulatorCore } from './core';
import { ServiceError } from './errors';
import type { RoutedOperation } from './routing';
import type { ScenarioRegistry } from './scenarios';
import type { ServiceModule } from './service';
import { ALL_SERVICES } from './services';
import { encodeError, encodeResult, type AnswerProtocol, type WireAnswer } from './wire';

export interface SimulatorOptions {
  /** Where requests the simulator does not model go (moto, or a fault proxy in front of it). */
  readonly upstream: string;
  /** Virtual seconds per real second; default 1. */
  readonly speed?: number;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly services?: readonly ServiceModule[];
  /** Account in the ARNs the simulated services make; moto's default. */
  readonly accountId?: string;
}

export interface Simulator {
  readonly url: string;
  readonly clock: VirtualClock;
  readonly scenarios: ScenarioRegistry;
  calls(filter?: CallFilter): Call[];
  clearCalls(): void;
  seed(service: string, input: Readonly<Record<string, unknown>>, region?: string): unknown;
  state(service: string): unknown;
  reset(): void;
  close(): Promise<void>;
}

interface Dispatch {
  readonly protocol: AnswerProtocol;
  readonly routed: RoutedOperation;
  readonly input: Record<string, unknown>;
}

function parseJsonObject(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8').trim();
  if (!text) return {};
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ServiceError('SerializationException', 'request body is not a JSON object');
  }
  return value as Record<string, unknown>;
}

function send(res: ServerResponse, answer: WireAnswer): void {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

/**
 * Finds the modelled operation for a request, reading the body only when the request is one.
 * Returns the body it had to read to decide (form bodies) so a forwarded request still carries it.
 */
async function route(
  core: SimulatorCore,
  req: IncomingMessage,
  url: URL,
): Promise<{
  dispatch?: Dispatch;
  readBodyForRouting?: Buffer;
  forwardedParams?: Record<string, unknown>;
  operationName: string;
}> {
  const protocol = detectProtocol(req.headers);
  const signer = signingName(req.headers);
  const method = req.method ?? 'GET';
  if (protocol === 'json') {
    const target = String(req.headers['x-amz-target']);
    const routed = core.router.byTarget(target);
    const operationName = target.split('.').pop() ?? target;
    if (!routed) return { operationName };
    return { operationName, dispatch: { protocol, routed, input: parseJsonObject(await readBody(req)) } };
  }
  if (protocol === 'query') {
    // Query bodies are small form posts; reading them names the action even for forwarded calls.
    const body = await readBody(req);
    const form = new URLSearchParams(body.toString('utf8'));
    const action = form.get('Action') ?? '';
    const routed = core.router.byAction(action, signer);
    form.delete('Action');
    form.delete('Version');
    const input = Object.fromEntries(form);
    if (!routed) return { operationName: action, readBodyForRouting: body, forwardedParams: input };
    return { operationName: action, dispatch: { protocol, routed, input } };
  }
  const match = core.router.byPath(method, url.pathname, signer);
  if (!match) return { operationName: `${method} ${url.pathname}` };
  const { route: matched } = match.operation;
  const payload = matched.protocol === 'rest-json' ? matched.payload : undefined;
  const body = await readBody(req);
  const input = {
    ...Object.fromEntries(url.searchParams),
    ...(payload === undefined ? parseJsonObject(body) : { [payload]: body.toString('utf8') }),
    ...match.pathParams,
  };
  return { operationName: match.operation.name, dispatch: { protocol: 'rest-json', routed: match, input } };
}

async function answer(dispatch: Dispatch, region: string): Promise<WireAnswer> {
  const { protocol, routed, input } = dispatch;
  const requestId = randomUUID();
  try {
    const output = await routed.operation.handle({ input, region });
    return encodeResult(protocol, routed.operation.name, output, requestId, routed.module.xmlNamespace);
  } catch (error) {
    if (error instanceof ServiceError) return encodeError(protocol, error, requestId);
    console.error(`simulator: ${routed.module.service} ${routed.operation.name} failed:`, error);
    const message = error instanceof Error ? error.message : String(error);
    return encodeError(protocol, new ServiceError('InternalFailure', message, 500), requestId);
  }
}

async function handleApi(
  core: SimulatorCore,
  upstream: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const time = new Date(core.clock.now()).toISOString();
  let routing: Awaited<ReturnType<typeof route>>;
  try {
    routing = await route(core, req, url);
  } catch (error) {
    const protocol = detectProtocol(req.headers);
    const reason = error instanceof Error ? error.message : String(error);
    const failure =
      error instanceof ServiceError ? error : new ServiceError('SerializationException', reason);
    send(res, encodeError(protocol === 'rest-xml' ? 'rest-json' : protocol, failure, randomUUID()));
    return;
  }
  const { dispatch, readBodyForRouting, forwardedParams = {}, operationName } = routing;
  if (!dispatch) {
    const service = signingName(req.headers) ?? 'unknown';
    core.calls.record({ service, operation: operationName, params: forwardedParams, time, forwarded: true });
    forwardRequest(req, res, upstream, readBodyForRouting ? { body: readBodyForRouting } : {});
    return;
  }
  const service = dispatch.routed.module.service;
  core.calls.record({
    service,
    operation: dispatch.routed.operation.name,
    params: dispatch.input,
    time,
    forwarded: false,
  });
  send(res, await answer(dispatch, signingRegion(req.headers) ?? DEFAULT_REGION));
}

/** One HTTP server for every simulated service; what it does not model goes to `upstream` unchanged. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const upstream = new URL(options.upstream);
  const core = new SimulatorCore({
    services: options.services ?? ALL_SERVICES,
    clock: new VirtualClock({ speed: options.speed ?? 1 }),
    accountId: options.accountId ?? '123456789012',
  });
  const server = createServer((req, res) => {
    const handled = (req.url ?? '').startsWith(CONTROL_PREFIX)
      ? handleControl(core, req, res)
      : handleApi(core, upstream, req, res);
    handled.catch((error: unknown) => {
      console.error('simulator: request failed:', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  const url = await listenOnLoopback(server, options.port ?? 0);
  return {
    url,
    clock: core.clock,
    scenarios: core.scenarios,
    calls: (filter) => core.calls.list(filter),
    clearCalls: () => core.calls.clear(),
    seed: (service, input, region = DEFAULT_REGION) => core.seed(service, input, region),
    state: (service) => core.state(service),
    reset: () => core.reset(),
    close: () => closeServer(server),
  };
}
