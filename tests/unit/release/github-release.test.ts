import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureGithubRelease } from '../../../scripts/release/github-release';

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  body: string;
}

/** A stand-in for the releases API: answers from a table, records what it was asked. */
async function startApi(
  answer: (req: Seen) => { status: number; body?: unknown },
): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body };
      seen.push(request);
      const { status, body: reply } = answer(request);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const request = (apiUrl: string) => ({
  apiUrl,
  token: 'tkn',
  repository: 'org/deploy-ecs',
  tag: 'v1.0.1',
  name: 'deploy-ecs v1.0.1',
  body: '### Fixes\n\n- a',
});

describe('ensureGithubRelease', () => {
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  afterEach(async () => {
    await new Promise((resolve) => api?.server.close(resolve));
    api = undefined;
  });

  test('creates the release when the tag has none', async () => {
    api = await startApi((req) =>
      req.method === 'GET' ? { status: 404, body: { message: 'Not Found' } } : { status: 201 },
    );
    await expect(ensureGithubRelease(request(api.url))).resolves.toBe('created');
    expect(api.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /repos/org/deploy-ecs/releases/tags/v1.0.1',
      'POST /repos/org/deploy-ecs/releases',
    ]);
    expect(api.seen.every((r) => r.auth === 'Bearer tkn')).toBe(true);
    expect(JSON.parse(api.seen[1]?.body ?? '{}')).toEqual({
      tag_name: 'v1.0.1',
      name: 'deploy-ecs v1.0.1',
      body: '### Fixes\n\n- a',
    });
  });

  test('leaves an existing release alone', async () => {
    api = await startApi(() => ({ status: 200, body: { id: 1 } }));
    await expect(ensureGithubRelease(request(api.url))).resolves.toBe('exists');
    expect(api.seen).toHaveLength(1);
  });

  test('fails with the status and message of the API', async () => {
    api = await startApi((req) =>
      req.method === 'GET' ? { status: 404 } : { status: 422, body: { message: 'Validation Failed' } },
    );
    await expect(ensureGithubRelease(request(api.url))).rejects.toThrow(
      'creating GitHub release org/deploy-ecs@v1.0.1: HTTP 422 Validation Failed',
    );
  });

  test('a lookup that is neither found nor missing is an error, not a reason to create', async () => {
    api = await startApi(() => ({ status: 401, body: { message: 'Bad credentials' } }));
    await expect(ensureGithubRelease(request(api.url))).rejects.toThrow('HTTP 401 Bad credentials');
    expect(api.seen).toHaveLength(1);
  });
});
