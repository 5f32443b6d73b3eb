import type { FastifyInstance } from 'fastify';
import type { FeatureRecord } from '../features';
import type { ServingModel } from '../serving-model';
import { validateRecord, validateRecordList } from '../validation';

/** The plain JSON body: one record, or an array of them, keyed by feature name. */
export function plainRecords(model: ServingModel, body: unknown): FeatureRecord[] {
  return Array.isArray(body)
    ? validateRecordList(model.schema, body, '')
    : [validateRecord(model.schema, body, '')];
}

/** `POST /predict`: one record, or an array of them, keyed by feature name. */
export function registerPlainRoutes(app: FastifyInstance, model: ServingModel): void {
  app.post('/predict', { config: { label: '/predict' } }, async (request) => ({
    predictions: await model.predict(plainRecords(model, request.body)),
  }));
}
