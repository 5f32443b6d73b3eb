import type { FeatureRecord, FeatureSchema } from '../features';
import { InvalidInput, describe, isPlainObject, recordsFromColumns, validateRecordList } from '../validation';

/**
 * TensorFlow Serving REST predict API. The signature has one [-1, 1] input per feature, so a
 * value may be sent as a scalar or as a one-element list. Row format (`instances`) answers
 * `{"predictions": [[charges], ...]}`; columnar format (`inputs`) answers `{"outputs": [[charges], ...]}`,
 * the single output's name omitted as TF Serving does.
 */
export const SIGNATURE = 'serving_default';

export type PredictFormat = 'row' | 'columnar';

export interface PredictRequest {
  readonly format: PredictFormat;
  readonly records: FeatureRecord[];
}

/** `[x]` stands for `x`: the tensors are [N, 1]. */
function unwrap(value: unknown): unknown {
  return Array.isArray(value) && value.length === 1 ? value[0] : value;
}

export function parsePredictRequest(schema: FeatureSchema, body: unknown): PredictRequest {
  if (!isPlainObject(body))
    throw new InvalidInput('', `request body must be a JSON object; got ${describe(body)}`);
  const { signature_name: signature, instances, inputs } = body;
  if (signature !== undefined && signature !== SIGNATURE) {
    throw new InvalidInput('signature_name', `must be ${SIGNATURE}; got ${describe(signature)}`);
  }
  const unknown = Object.keys(body).filter((key) => !['signature_name', 'instances', 'inputs'].includes(key));
  if (unknown.length > 0) throw new InvalidInput(unknown[0] as string, 'unknown request field');
  if ((instances === undefined) === (inputs === undefined)) {
    throw new InvalidInput(
      'instances',
      'send exactly one of "instances" (row format) or "inputs" (columnar format)',
    );
  }
  if (instances !== undefined) {
    if (Array.isArray(instances)) {
      const unwrapped = instances.map((instance: unknown) =>
        isPlainObject(instance)
          ? Object.fromEntries(Object.entries(instance).map(([key, value]) => [key, unwrap(value)]))
          : instance,
      );
      return { format: 'row', records: validateRecordList(schema, unwrapped, 'instances') };
    }
    return { format: 'row', records: validateRecordList(schema, instances, 'instances') };
  }
  if (!isPlainObject(inputs)) {
    throw new InvalidInput('inputs', `must be an object of named input lists; got ${describe(inputs)}`);
  }
  const columns = new Map<string, unknown[]>();
  for (const [name, values] of Object.entries(inputs)) {
    if (!schema.features.some((feature) => feature.name === name)) {
      throw new InvalidInput(
        `inputs.${name}`,
        `unknown input (expected ${schema.features.map((f) => f.name).join(', ')})`,
      );
    }
    if (!Array.isArray(values))
      throw new InvalidInput(`inputs.${name}`, `must be a list; got ${describe(values)}`);
    columns.set(name, values.map(unwrap));
  }
  return { format: 'columnar', records: recordsFromColumns(schema, columns, (name) => `inputs.${name}`) };
}

export function predictResponse(format: PredictFormat, predictions: readonly number[]) {
  const tensor = predictions.map((value) => [value]);
  return format === 'row' ? { predictions: tensor } : { outputs: tensor };
}

export type ModelState = 'LOADING' | 'AVAILABLE' | 'UNLOADING' | 'END';

export function statusResponse(version: string, state: ModelState, errorMessage = '') {
  return {
    model_version_status: [
      {
        version,
        state,
        status: { error_code: errorMessage ? 'UNKNOWN' : 'OK', error_message: errorMessage },
      },
    ],
  };
}

function tensorInfo(name: string, dtype: string) {
  return {
    dtype,
    tensor_shape: {
      dim: [
        { size: '-1', name: '' },
        { size: '1', name: '' },
      ],
      unknown_rank: false,
    },
    name: `${name}:0`,
  };
}

/** `GET /v1/models/{name}/metadata`: the serving signature in TF Serving's JSON form. */
export function metadataResponse(
  schema: FeatureSchema,
  model: { readonly name: string; readonly version: string },
) {
  const inputs = Object.fromEntries(
    schema.features.map((feature) => [
      feature.name,
      tensorInfo(
        feature.name,
        feature.kind === 'category' ? 'DT_STRING' : feature.kind === 'integer' ? 'DT_INT64' : 'DT_FLOAT',
      ),
    ]),
  );
  return {
    model_spec: { name: model.name, signature_name: '', version: model.version },
    metadata: {
      signature_def: {
        signature_def: {
          [SIGNATURE]: {
            inputs,
            outputs: { [schema.output.name]: tensorInfo(schema.output.name, 'DT_FLOAT') },
            method_name: 'tensorflow/serving/predict',
          },
        },
      },
    },
  };
}
