import type { FastifyInstance } from 'fastify';
import type { ServingModel } from '../serving-model';
import { validateRecord, validateRecordList } from '../validation';

/** `POST /predict`: one record, or an array of them, keyed by feature name. */
export function registerPlainRoutes(app: FastifyInstance, model: ServingModel): void {
  app.post('/predict', { config: { label: '/predict' } }, async (request) => {
    const records = Array.isArray(request.body)
      ? validateRecordList(model.schema, request.body, '')
      : [validateRecord(model.schema, request.body, '')];
    return { predictions: await model.predict(records) };
  });
}
