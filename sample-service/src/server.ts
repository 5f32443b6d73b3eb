import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { ServiceMetrics } from './metrics';
import { NotFound } from './routes/common';
import { type ServerIdentity, registerKserveV2Routes } from './routes/kserve-v2';
import { registerPlainRoutes } from './routes/plain';
import { registerSageMakerRoutes } from './routes/sagemaker';
import { registerTfServingRoutes } from './routes/tf-serving';
import { ModelNotReady, type ServingModel } from './serving-model';
import { InvalidInput } from './validation';

export interface ServerOptions {
  readonly model: ServingModel;
  readonly metrics: ServiceMetrics;
  readonly identity: ServerIdentity;
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
}

const LEVEL_VALUES: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

interface HttpError {
  readonly statusCode?: number;
  readonly code?: string;
  readonly message?: string;
}

/** Maps an error to a status and body. Anything the caller could cause is a 4xx; only our bugs are 500. */
export function errorResponse(error: unknown, bodyLimitBytes: number): { status: number; body: object } {
  if (error instanceof InvalidInput)
    return { status: 400, body: { error: error.message, field: error.field } };
  if (error instanceof NotFound) return { status: 404, body: { error: error.message } };
  if (error instanceof ModelNotReady) return { status: 503, body: { error: error.message } };
  const { statusCode, code, message } = (error ?? {}) as HttpError;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      status: 413,
      body: { error: `request body is larger than the limit of ${bodyLimitBytes} bytes` },
    };
  }
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY')
    return { status: 400, body: { error: 'request body is not valid JSON' } };
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return { status: 400, body: { error: 'request body is empty' } };
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, body: { error: message ?? 'bad request' } };
  }
  return { status: 500, body: { error: 'internal error' } };
}

/**
 * Counts and times one request. The labelled children are kept per route, method and status, so
 * the hot path does not rebuild label keys on every request.
 */
function requestRecorder(metrics: ServiceMetrics) {
  const children = new Map<string, { count: () => void; time: (seconds: number) => void }>();
  return (route: string, method: string, status: number, elapsedMs: number) => {
    const key = `${route} ${method} ${status}`;
    let child = children.get(key);
    if (!child) {
      const labels = { route, method, status: String(status) };
      const counter = metrics.requests.labels(labels);
      const histogram = metrics.requestDuration.labels(labels);
      child = { count: () => counter.inc(), time: (seconds) => histogram.observe(seconds) };
      children.set(key, child);
    }
    child.count();
    child.time(elapsedMs / 1000);
  };
}

export function buildServer(options: ServerOptions): FastifyInstance {
  const { model, metrics } = options;
  const app = Fastify({
    logger: {
      level: options.logLevel,
      base: { service: options.identity.name },
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
    },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    // Longer than an ALB's 60 s idle timeout, so the balancer never reuses a socket we just closed.
    keepAliveTimeout: 65_000,
    requestIdHeader: 'x-request-id',
    // No per-request child logger on the hot path; the few lines that name a request carry its id.
    childLoggerFactory: (logger) => logger,
  });

  // Every body is JSON whatever its content type says (curl -d sends form encoding by default).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = errorResponse(error, options.bodyLimitBytes);
    if (status >= 500) request.log.error({ reqId: request.id, err: error }, 'request failed');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: `no route for ${request.method} ${request.url.split('?')[0]}` }),
  );

  // While draining, answer in-flight requests with `Connection: close` so keep-alive sockets
  // do not hold the listener open after their last response.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (model.phase === 'draining') reply.header('connection', 'close');
    done(null, payload);
  });

  const recordRequest = requestRecorder(metrics);
  const threshold = LEVEL_VALUES[options.logLevel] ?? 30;
  app.addHook('onResponse', (request, reply, done) => {
    recordRequest(
      request.routeOptions.config.label ?? 'unmatched',
      request.method,
      reply.statusCode,
      reply.elapsedTime,
    );
    // Successful calls log at debug only: at thousands of requests a second, info logs would cost more than inference.
    const level = reply.statusCode >= 500 ? 'error' : reply.statusCode >= 400 ? 'info' : 'debug';
    if ((LEVEL_VALUES[level] ?? 0) >= threshold) {
      request.log[level](
        {
          reqId: request.id,
          method: request.method,
          url: request.url,
          status: reply.statusCode,
          ms: Number(reply.elapsedTime.toFixed(2)),
        },
        'request completed',
      );
    }
    done();
  });

  registerKserveV2Routes(app, model, options.identity);
  registerTfServingRoutes(app, model);
  registerPlainRoutes(app, model);
  registerSageMakerRoutes(app, model);
  app.get('/metrics', { config: { label: '/metrics' } }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  return app;
}
