import {
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';

// Hop-by-hop headers belong to one connection; `expect` is answered by this server already.
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'expect',
  'upgrade',
]);

export interface ForwardOptions {
  /** The request body when it was already read (to route it); otherwise the request is piped as it arrives. */
  readonly body?: Buffer;
}

const NOT_FORWARDED_WITH_NEW_BODY = new Set([...NOT_FORWARDED, 'content-length']);

function forwardableRawHeaders(raw: readonly string[], skip: ReadonlySet<string> = NOT_FORWARDED): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (!skip.has(name.toLowerCase())) kept.push(name, raw[i + 1] as string);
  }
  return kept;
}

function joinPath(base: URL, requestPath: string): string {
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${prefix}${requestPath.startsWith('/') ? '' : '/'}${requestPath}`;
}

/** Opens the upstream request with the client's method, path, headers (Host included) and body. */
function sendUpstream(req: IncomingMessage, upstream: URL, options: ForwardOptions): ClientRequest {
  const headers = options.body
    ? [
        ...forwardableRawHeaders(req.rawHeaders, NOT_FORWARDED_WITH_NEW_BODY),
        'content-length',
        String(options.body.length),
      ]
    : forwardableRawHeaders(req.rawHeaders);
  const outgoing = httpRequest({
    protocol: upstream.protocol,
    hostname: upstream.hostname,
    port: upstream.port,
    method: req.method,
    path: joinPath(upstream, req.url ?? '/'),
    headers,
  });
  if (options.body) {
    outgoing.end(options.body);
  } else {
    req.pipe(outgoing);
  }
  return outgoing;
}

/**
 * Sends the request on to `upstream` unchanged (same method, path, headers including Host, body) and
 * streams the answer back. If the upstream drops the connection, so does this hop, so the client sees
 * what it would have seen without the hop.
 */
export function forwardRequest(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: URL,
  options: ForwardOptions = {},
): void {
  const outgoing = sendUpstream(req, upstream, options);
  outgoing.on('response', (answer: IncomingMessage) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, forwardableRawHeaders(answer.rawHeaders));
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  outgoing.on('error', (error: NodeJS.ErrnoException) => {
    if (res.headersSent) {
      res.destroy();
    } else if (error.code === 'ECONNREFUSED') {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`upstream ${upstream.origin} refused the connection\n`);
    } else {
      req.socket.destroy();
    }
  });
  res.on('close', () => {
    if (!res.writableFinished) outgoing.destroy();
  });
}

/**
 * Sends the request on to `upstream` as forwardRequest does and reads the whole answer, which the
 * client never sees; resolves with its status once the upstream is done (or on its failure, with
 * undefined), so the call has taken effect before the caller closes the client's connection.
 */
export function forwardAndDiscardAnswer(
  req: IncomingMessage,
  upstream: URL,
  options: ForwardOptions = {},
): Promise<number | undefined> {
  return new Promise((resolve) => {
    const outgoing = sendUpstream(req, upstream, options);
    outgoing.on('response', (answer: IncomingMessage) => {
      answer.resume();
      answer.on('end', () => resolve(answer.statusCode));
      answer.on('error', () => resolve(undefined));
    });
    outgoing.on('error', () => resolve(undefined));
  });
}

/** Reads a whole (small) request body; only for requests that must be looked into to be routed. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
