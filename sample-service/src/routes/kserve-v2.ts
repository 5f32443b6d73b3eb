import type { FastifyInstance, FastifyReply } from 'fastify';
import { inferResponse, inputMetadata, outputMetadata, parseInferRequest } from '../protocols/kserve-v2';
import type { ServingModel } from '../serving-model';
import { findModel } from './common';

interface ModelParams {
  name: string;
  version?: string;
}

export interface ServerIdentity {
  readonly name: string;
  readonly version: string;
}

/** Health answers follow the protocol: 200 means true, a 4xx status means false. */
function health(reply: FastifyReply, key: 'live' | 'ready', value: boolean) {
  return reply.code(value ? 200 : 400).send({ [key]: value });
}

export function registerKserveV2Routes(
  app: FastifyInstance,
  model: ServingModel,
  server: ServerIdentity,
): void {
  app.get('/v2/health/live', { config: { label: '/v2/health/live' } }, (_request, reply) =>
    health(reply, 'live', true),
  );
  app.get('/v2/health/ready', { config: { label: '/v2/health/ready' } }, (_request, reply) =>
    health(reply, 'ready', model.ready),
  );
  app.get('/v2', { config: { label: '/v2' } }, async () => ({
    name: server.name,
    version: server.version,
    extensions: [],
  }));

  const metadata = async (request: { params: ModelParams }) => {
    const served = findModel(model, request.params.name, request.params.version);
    return {
      name: served.name,
      versions: [served.version],
      platform: 'tensorflowjs_layers',
      inputs: inputMetadata(served.schema),
      outputs: outputMetadata(served.schema),
      // Not in the protocol's required fields: which TensorFlow.js backend runs the model.
      parameters: {
        backend: served.backend?.name ?? 'loading',
        backend_package: served.backend?.package ?? '',
      },
    };
  };
  const label = '/v2/models/{name}';
  app.get<{ Params: ModelParams }>('/v2/models/:name', { config: { label } }, metadata);
  app.get<{ Params: ModelParams }>('/v2/models/:name/versions/:version', { config: { label } }, metadata);

  const ready = async (request: { params: ModelParams }, reply: FastifyReply) => {
    const served = findModel(model, request.params.name, request.params.version);
    return reply.code(served.ready ? 200 : 400).send({ name: served.name, ready: served.ready });
  };
  const readyLabel = '/v2/models/{name}/ready';
  app.get<{ Params: ModelParams }>('/v2/models/:name/ready', { config: { label: readyLabel } }, ready);
  app.get<{ Params: ModelParams }>(
    '/v2/models/:name/versions/:version/ready',
    { config: { label: readyLabel } },
    ready,
  );

  const infer = async (request: { params: ModelParams; body: unknown }) => {
    const served = findModel(model, request.params.name, request.params.version);
    const { id, records } = parseInferRequest(served.schema, request.body);
    return inferResponse(served.schema, served, id, await served.predict(records));
  };
  const inferLabel = '/v2/models/{name}/infer';
  app.post<{ Params: ModelParams }>('/v2/models/:name/infer', { config: { label: inferLabel } }, infer);
  app.post<{ Params: ModelParams }>(
    '/v2/models/:name/versions/:version/infer',
    { config: { label: inferLabel } },
    infer,
  );
}
