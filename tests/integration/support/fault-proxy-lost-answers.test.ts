/**
 * The fault proxy's lost-answer and never-answer faults and its targeted rules, against a tiny
 * upstream that records what reached it and when it finished answering.
 */
import { DescribeEnvironmentsCommand, ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import { createServer, request, type Server } from 'node:http';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { closeServer, listenOnLoopback } from '../../support/fault-proxy/listen';

interface Seen {
  method: string;
  url: string;
  body: string;
  /** When the upstream had sent its whole answer. */
  answeredAt?: number;
}

let upstream: Server;
let proxy: FaultProxy;
const seen: Seen[] = [];
// Answers after this many milliseconds, to show the proxy waits for the upstream before closing.
let upstreamDelayMs = 0;

const DESCRIBE_ENVIRONMENTS_ANSWER =
  '<DescribeEnvironmentsResponse xmlns="http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/">' +
  '<DescribeEnvironmentsResult><Environments/></DescribeEnvironmentsResult>' +
  '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></DescribeEnvironmentsResponse>';

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(entry);
      res.on('finish', () => (entry.answeredAt = Date.now()));
      setTimeout(() => {
        const query = req.headers['content-type']?.startsWith('application/x-www-form-urlencoded');
        res.writeHead(200, { 'content-type': query ? 'text/xml' : 'text/plain' });
        res.end(query ? DESCRIBE_ENVIRONMENTS_ANSWER : `answer to ${req.method} ${req.url}`);
      }, upstreamDelayMs);
    });
  });
  const upstreamUrl = await listenOnLoopback(upstream);
  proxy = await startFaultProxy({ upstream: upstreamUrl, seed: 16 });
});

afterAll(async () => {
  await proxy.close();
  await closeServer(upstream);
});

beforeEach(() => {
  proxy.configure({ rate: 0, rules: [] });
  proxy.resetStats();
  seen.length = 0;
  upstreamDelayMs = 0;
});

interface Outcome {
  status?: number | undefined;
  body?: string;
  error?: NodeJS.ErrnoException;
  /** When the client got its answer or its error. */
  at: number;
}

/** One request on its own connection; `timeoutMs` is the client giving up on a silent server. */
function send(
  path: string,
  body: string,
  headers: Record<string, string> = {},
  timeoutMs = 0,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(`${proxy.url}${path}`, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString(), at: Date.now() }),
      );
    });
    if (timeoutMs > 0) {
      req.setTimeout(timeoutMs, () =>
        req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })),
      );
    }
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error, at: Date.now() }));
    req.end(body);
  });
}

const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

describe('lost-answer', () => {
  it('lets the upstream complete the request, then closes the client connection without an answer', async () => {
    proxy.configure({ rules: [{ kind: 'lost-answer' }] });
    upstreamDelayMs = 200;
    const outcome = await send('/apply', 'payload');
    expect(outcome.error?.code).toBe('ECONNRESET');
    expect(seen).toEqual([expect.objectContaining({ method: 'POST', url: '/apply', body: 'payload' })]);
    // The effect happened before the client learnt anything.
    expect(seen[0]?.answeredAt).toBeLessThanOrEqual(outcome.at);
    expect(proxy.stats()).toMatchObject({ requests: 1, forwarded: 0, faults: { 'lost-answer': 1 } });
  });

  it('loses the answer of the first UpdateEnvironment only, by its Action, and forwards the form unchanged', async () => {
    proxy.configure({
      rules: [{ kind: 'lost-answer', match: { operation: 'UpdateEnvironment' }, count: 1 }],
    });
    const describe = 'Action=DescribeEnvironments&Version=2010-12-01';
    const update = 'Action=UpdateEnvironment&Version=2010-12-01&EnvironmentName=web-prod&VersionLabel=v2';
    const outcomes = [
      await send('/', describe, form),
      await send('/', update, form),
      await send('/', update, form),
    ];
    expect(outcomes.map((o) => o.status ?? o.error?.code)).toEqual([200, 'ECONNRESET', 200]);
    expect(seen.map((s) => s.body)).toEqual([describe, update, update]);
    expect(proxy.stats().rules).toEqual([{ matched: 1, injected: 1 }]);
  });

  it('is retried by the SDK, whose call then succeeds although the upstream did it twice', async () => {
    proxy.configure({
      rules: [
        {
          kind: 'lost-answer',
          match: { service: 'elasticbeanstalk', operation: 'DescribeEnvironments' },
          count: 1,
        },
      ],
    });
    const client = new ElasticBeanstalkClient({
      endpoint: proxy.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 3,
    });
    const answer = await client.send(new DescribeEnvironmentsCommand({}));
    expect(answer.$metadata.attempts).toBe(2);
    expect(seen).toHaveLength(2);
    client.destroy();
  });
});

describe('never-answer', () => {
  it('reads the request and never answers, so the client’s own timeout ends the call', async () => {
    proxy.configure({ rules: [{ kind: 'never-answer', count: 1 }] });
    const started = Date.now();
    const outcome = await send('/wait', 'x'.repeat(100_000), {}, 400);
    expect(outcome.error?.code).toBe('CLIENT_TIMEOUT');
    expect(outcome.at - started).toBeGreaterThanOrEqual(390);
    expect(seen).toEqual([]);
    expect(proxy.stats()).toMatchObject({ requests: 1, forwarded: 0, faults: { 'never-answer': 1 } });
    // The rule is spent: the next call goes through.
    expect((await send('/wait', 'y')).status).toBe(200);
  });

  it('has its held connections closed by the proxy’s close(), so nothing waits for ever', async () => {
    const own = await startFaultProxy({ upstream: proxy.url, rules: [{ kind: 'never-answer' }] });
    const held = new Promise<Outcome>((resolve) => {
      const req = request(`${own.url}/held`, { method: 'POST', agent: false });
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ error, at: Date.now() }));
      req.on('response', (res) => resolve({ status: res.statusCode, at: Date.now() }));
      req.end('x');
    });
    // Wait until the proxy has taken the request in.
    while (own.stats().requests === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const closing = Date.now();
    await own.close();
    const outcome = await held;
    expect(outcome.error?.code).toBe('ECONNRESET');
    expect(outcome.at - closing).toBeLessThan(1000);
  });
});

describe('control endpoint', () => {
  it('sets rules over HTTP and reports how far each got', async () => {
    const post = await fetch(`${proxy.url}/_fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ kind: 'never-answer', match: { method: 'DELETE' }, count: 0 }] }),
    });
    expect(post.status).toBe(200);
    expect(await post.json()).toMatchObject({
      rules: [{ kind: 'never-answer', match: { method: 'DELETE' }, count: 0 }],
      stats: { rules: [{ matched: 0, injected: 0 }] },
    });
    expect((await send('/x', '')).status).toBe(200);
  });

  it.each([
    [{ rule: [] }, 'unknown field rule; known: rate, kinds, seed, rules, resetStats'],
    [
      { rules: [{ kind: 'lost-answer', match: { operaton: 'UpdateService' } }] },
      'fault rule 0.match has unknown field operaton',
    ],
  ])('rejects %j with one line saying why', async (body, message) => {
    const response = await fetch(`${proxy.url}/_fault`, { method: 'POST', body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain(message);
  });
});
