import type { FastifyInstance } from 'fastify';
import {
  metadataResponse,
  parsePredictRequest,
  predictResponse,
  statusResponse,
} from '../protocols/tf-serving';
import type { ServingModel } from '../serving-model';
import { NotFound, findModel } from './common';

const STATE = { loading: 'LOADING', ready: 'AVAILABLE', draining: 'UNLOADING', failed: 'END' } as const;

/**
 * `{name}:predict` is one path segment, so the route captures the segment and splits the verb off.
 */
function splitVerb(segment: string): { target: string; verb: string } {
  const colon = segment.lastIndexOf(':');
  return colon < 0
    ? { target: segment, verb: '' }
    : { target: segment.slice(0, colon), verb: segment.slice(colon + 1) };
}

export function registerTfServingRoutes(app: FastifyInstance, model: ServingModel): void {
  const status = async (request: { params: { name: string; version?: string } }) => {
    const served = findModel(model, request.params.name, request.params.version);
    return statusResponse(
      served.version,
      STATE[served.phase],
      served.phase === 'failed' ? 'model failed to load' : '',
    );
  };
  const statusLabel = '/v1/models/{name}';
  app.get<{ Params: { name: string } }>('/v1/models/:name', { config: { label: statusLabel } }, status);
  app.get<{ Params: { name: string; version: string } }>(
    '/v1/models/:name/versions/:version',
    { config: { label: statusLabel } },
    status,
  );
  app.get<{ Params: { name: string } }>(
    '/v1/models/:name/metadata',
    { config: { label: '/v1/models/{name}/metadata' } },
    async (request) => metadataResponse(model.schema, findModel(model, request.params.name)),
  );

  const predict = async (name: string, version: string | undefined, body: unknown) => {
    const { target, verb } = splitVerb(version ?? name);
    const served = version === undefined ? findModel(model, target) : findModel(model, name, target);
    if (verb !== 'predict') {
      throw new NotFound(`${served.name} serves only :predict; got ${verb ? `:${verb}` : 'no method'}`);
    }
    const { format, records } = parsePredictRequest(served.schema, body);
    return predictResponse(format, await served.predict(records));
  };
  const predictLabel = '/v1/models/{name}:predict';
  // Same parameter names as the GET routes on these paths: the router shares one tree per path.
  app.post<{ Params: { name: string } }>('/v1/models/:name', { config: { label: predictLabel } }, (request) =>
    predict(request.params.name, undefined, request.body),
  );
  app.post<{ Params: { name: string; version: string } }>(
    '/v1/models/:name/versions/:version',
    { config: { label: predictLabel } },
    (request) => predict(request.params.name, request.params.version, request.body),
  );
}
