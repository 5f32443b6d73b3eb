import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../fault-proxy/forward';
import type { SimulatorCore } from './core';

/** Every control path starts with this; no AWS API path does (bucket names cannot start with `_`). */
export const CONTROL_PREFIX = '/_sim/';
export const DEFAULT_REGION = 'us-east-1';

export interface ClockAnswer {
  readonly now: string;
  readonly nowMs: number;
  readonly speed: number;
}

export interface ClockChange {
  readonly speed?: number;
  readonly advanceSeconds?: number;
}

type Body = Record<string, unknown>;
type Handler = (core: SimulatorCore, body: Body, url: URL, match: RegExpExecArray) => unknown;

export function clockAnswer(core: SimulatorCore): ClockAnswer {
  const nowMs = core.clock.now();
  return { now: new Date(nowMs).toISOString(), nowMs, speed: core.clock.speed };
}

function requireString(body: Body, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw new Error(`${name} (a non-empty string) is required`);
  return value;
}

const routes: ReadonlyArray<readonly [method: string, path: RegExp, handler: Handler]> = [
  ['GET', /^health$/, () => ({ ok: true })],
  [
    'POST',
    /^reset$/,
    (core) => {
      core.reset();
      return { ok: true };
    },
  ],
  ['GET', /^clock$/, (core) => clockAnswer(core)],
  [
    'POST',
    /^clock$/,
    (core, body) => {
      const { speed, advanceSeconds } = body as ClockChange;
      if (speed !== undefined) core.clock.setSpeed(Number(speed));
      if (advanceSeconds !== undefined) core.clock.advance(Number(advanceSeconds) * 1000);
      return clockAnswer(core);
    },
  ],
  ['GET', /^scenarios$/, (core) => core.scenarios.describe()],
  [
    'POST',
    /^scenarios$/,
    (core, body) => {
      core.scenarios.choose(
        requireString(body, 'service'),
        requireString(body, 'resource'),
        requireString(body, 'scenario'),
      );
      return core.scenarios.describe();
    },
  ],
  [
    'GET',
    /^calls$/,
    (core, _body, url) => {
      const service = url.searchParams.get('service') ?? undefined;
      const operation = url.searchParams.get('operation') ?? undefined;
      return { calls: core.calls.list({ ...(service && { service }), ...(operation && { operation }) }) };
    },
  ],
  [
    'DELETE',
    /^calls$/,
    (core) => {
      core.calls.clear();
      return { ok: true };
    },
  ],
  [
    'POST',
    /^services\/([\w-]+)\/seed$/,
    (core, body, _url, match) => {
      const { region, ...input } = body;
      return core.seed(match[1] ?? '', input, typeof region === 'string' ? region : DEFAULT_REGION);
    },
  ],
  ['GET', /^services\/([\w-]+)\/state$/, (core, _body, _url, match) => core.state(match[1] ?? '')],
];

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** Serves `/_sim/...`: scenarios, clock, reset, calls, and per-service seed and state. */
export async function handleControl(
  core: SimulatorCore,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const path = url.pathname.slice(CONTROL_PREFIX.length);
  for (const [method, pattern, handler] of routes) {
    const match = pattern.exec(path);
    if (!match || method !== req.method) continue;
    try {
      const text = (await readBody(req)).toString('utf8');
      const body = (text ? JSON.parse(text) : {}) as Body;
      sendJson(res, 200, handler(core, body, url, match) ?? {});
    } catch (error) {
      sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
    }
    return;
  }
  sendJson(res, 404, { error: `no control route ${req.method} ${url.pathname}` });
}
