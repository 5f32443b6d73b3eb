import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { startFaultProxy, type FaultKind, type FaultProxy } from '../../support/fault-proxy';
import { closeServer, listenOnLoopback } from '../../support/fault-proxy/listen';

interface Seen {
  method: string;
  url: string;
  host: string;
  bytes: number;
}

// The upstream echoes what reached it; `/stream` sends its first chunk and holds the rest until released.
let upstream: Server;
let upstreamUrl: string;
let proxy: FaultProxy;
const seen: Seen[] = [];
let releaseStream: () => void = () => {};

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', host: req.headers.host ?? '', bytes });
      if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first;');
        releaseStream = () => res.end('rest');
        return;
      }
      res.writeHead(201, { 'content-type': 'text/plain', 'x-upstream': 'echo' });
      res.end(`${req.method} ${req.url} ${bytes}`);
    });
  });
  upstreamUrl = await listenOnLoopback(upstream);
  proxy = await startFaultProxy({ upstream: upstreamUrl, rate: 0, seed: 3 });
});

afterAll(async () => {
  await proxy.close();
  await closeServer(upstream);
});

beforeEach(() => {
  proxy.configure({ rate: 0 });
  proxy.resetStats();
  seen.length = 0;
});

/** A plain node request: unlike fetch it may set Host, as SDK clients do. */
function send(
  url: string,
  method: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

function faultOnly(kind: FaultKind): void {
  proxy.configure({ rate: 1, kinds: [kind] });
}

describe('fault proxy', () => {
  it('forwards method, path, Host and body unchanged and passes the answer back', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    const answer = await send(`${proxy.url}/bucket/key?x=1`, 'PUT', body, { host: 'bucket.example.test' });
    expect(answer.status).toBe(201);
    expect(answer.headers['x-upstream']).toBe('echo');
    expect(answer.body).toBe(`PUT /bucket/key?x=1 ${body.length}`);
    expect(seen).toEqual([
      { method: 'PUT', url: '/bucket/key?x=1', host: 'bucket.example.test', bytes: body.length },
    ]);
    expect(proxy.stats()).toMatchObject({ requests: 1, forwarded: 1 });
  });

  it('streams the answer instead of waiting for all of it', async () => {
    const firstChunk = await new Promise<string>((resolve, reject) => {
      const req = request(`${proxy.url}/stream`, (res: IncomingMessage) => {
        res.once('data', (chunk: Buffer) => resolve(chunk.toString()));
        res.resume();
      });
      req.on('error', reject);
      req.end();
    });
    expect(firstChunk).toBe('first;');
    releaseStream();
  });

  it('throttles JSON-protocol requests with ThrottlingException', async () => {
    faultOnly('throttle');
    const response = await fetch(proxy.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeServices' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'ThrottlingException', message: 'Rate exceeded' });
  });

  it('throttles query-protocol requests with an XML Throttling error', async () => {
    faultOnly('throttle');
    const response = await fetch(proxy.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toMatch(
      /^<ErrorResponse><Error><Type>Sender<\/Type><Code>Throttling<\/Code><Message>Rate exceeded<\/Message><\/Error><RequestId>[\w-]+<\/RequestId><\/ErrorResponse>$/,
    );
  });

  it('throttles S3 requests with 503 SlowDown', async () => {
    faultOnly('throttle');
    const response = await fetch(`${proxy.url}/bucket?list-type=2`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain(
      '<Code>SlowDown</Code><Message>Please reduce your request rate.</Message>',
    );
  });

  it.each([
    ['internal-error', 500],
    ['unavailable', 503],
  ] as const)('answers %s with HTTP %d', async (kind, status) => {
    faultOnly(kind);
    const response = await fetch(`${proxy.url}/bucket`);
    expect(response.status).toBe(status);
    await response.text();
  });

  it('drops the connection without an answer', async () => {
    faultOnly('drop');
    await expect(send(`${proxy.url}/bucket`, 'PUT', Buffer.from('x'), {})).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
    expect(proxy.stats().faults.drop).toBe(1);
  });

  it('never lets a faulted request reach the upstream', async () => {
    faultOnly('unavailable');
    for (let i = 0; i < 5; i++) await (await fetch(`${proxy.url}/bucket`, { method: 'DELETE' })).text();
    expect(seen).toEqual([]);
    expect(proxy.stats()).toMatchObject({
      requests: 5,
      forwarded: 0,
      faults: {
        throttle: 0,
        'internal-error': 0,
        unavailable: 5,
        drop: 0,
        'lost-answer': 0,
        'never-answer': 0,
      },
    });
  });

  it('changes rate and kinds at run time through the control endpoint, and reports counts', async () => {
    const post = await fetch(`${proxy.url}/_fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rate: 1, kinds: ['internal-error'] }),
    });
    expect(await post.json()).toMatchObject({ rate: 1, kinds: ['internal-error'] });
    expect((await fetch(`${proxy.url}/bucket`)).status).toBe(500);
    const read = await (await fetch(`${proxy.url}/_fault`)).json();
    expect(read).toMatchObject({ stats: { requests: 1, faults: { 'internal-error': 1 } } });
  });

  it('rejects invalid settings on the control endpoint', async () => {
    const response = await fetch(`${proxy.url}/_fault`, {
      method: 'POST',
      body: JSON.stringify({ rate: 2 }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'fault rate must be a number from 0 to 1, got 2' });
  });

  it('injects the same faults in the same order for the same seed', async () => {
    async function run(): Promise<number[]> {
      proxy.configure({ rate: 0.5, kinds: ['internal-error', 'unavailable'], seed: 99 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const response = await fetch(`${proxy.url}/bucket`);
        statuses.push(response.status);
        await response.text();
      }
      return statuses;
    }
    const first = await run();
    expect(new Set(first)).toEqual(new Set([201, 500, 503]));
    expect(await run()).toEqual(first);
  });
});
