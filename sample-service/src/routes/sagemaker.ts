import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServingModel } from '../serving-model';
import { plainRecords } from './plain';

/**
 * SageMaker's container contract for hosting services ("Custom Inference Code with Hosting
 * Services", docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html):
 * - `GET /ping`: 200 (empty body is enough) once the container is healthy; anything else fails the
 *   endpoint's health check, so 503 while the model loads or drains.
 * - `POST /invocations`: the InvokeEndpoint body as sent, its `ContentType` as `Content-Type` and its
 *   `Accept` as `Accept`; the answer's `Content-Type` becomes InvokeEndpoint's `ContentType`.
 * The body is the plain `/predict` body, so the one image answers the same JSON everywhere.
 */
export const SAGEMAKER_CONTENT_TYPE = 'application/json';

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Whether an Accept header lets us answer JSON; absent or a wildcard does. */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept
    .split(',')
    .map(mediaType)
    .some((type) => type === SAGEMAKER_CONTENT_TYPE || type === '*/*' || type === 'application/*');
}

/** Checked before the body is parsed, so a CSV body gets 415 rather than "not valid JSON". */
async function negotiate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const contentType = mediaType(request.headers['content-type']);
  if (contentType !== SAGEMAKER_CONTENT_TYPE) {
    await reply.code(415).send({
      error: `ContentType ${contentType || '(none)'} is not supported; send ${SAGEMAKER_CONTENT_TYPE}`,
    });
    return;
  }
  if (!acceptsJson(request.headers.accept)) {
    await reply.code(406).send({
      error: `Accept ${request.headers.accept} is not supported; this model answers ${SAGEMAKER_CONTENT_TYPE}`,
    });
  }
}

export function registerSageMakerRoutes(app: FastifyInstance, model: ServingModel): void {
  app.get('/ping', { config: { label: '/ping' } }, (_request, reply) =>
    reply.code(model.ready ? 200 : 503).send(),
  );
  app.post(
    '/invocations',
    { config: { label: '/invocations' }, onRequest: negotiate },
    async (request, reply) =>
      reply
        .type(SAGEMAKER_CONTENT_TYPE)
        .send({ predictions: await model.predict(plainRecords(model, request.body)) }),
  );
}
