import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Counts {
  requests: number;
  /** Request body bytes sent towards S3. */
  bytesSent: number;
  byMethod: Record<string, number>;
  /** process.hrtime.bigint() when the first request since the last reset arrived. */
  firstAt: bigint | undefined;
}

export interface CountingProxy {
  url: string;
  counts(): Counts;
  reset(): void;
  close(): Promise<void>;
}

/** Forwards to `upstream` on loopback and counts what clients send: the same yardstick for every client. */
export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const target = new URL(upstream);
  let counts: Counts = { requests: 0, bytesSent: 0, byMethod: {}, firstAt: undefined };
  const server: Server = createServer((req, res) => {
    counts.firstAt ??= process.hrtime.bigint();
    counts.requests++;
    const method = req.method ?? 'GET';
    counts.byMethod[method] = (counts.byMethod[method] ?? 0) + 1;
    const forward = request(
      { host: target.hostname, port: target.port, method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.on('data', (chunk: Buffer) => (counts.bytesSent += chunk.length));
    req.pipe(forward);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts, byMethod: { ...counts.byMethod } }),
    reset: () => (counts = { requests: 0, bytesSent: 0, byMethod: {}, firstAt: undefined }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
