import type { Feature, FeatureRecord, FeatureSchema } from '../features';
import { InvalidInput, describe, isPlainObject, recordsFromColumns } from '../validation';

/**
 * KServe Open Inference Protocol v2 mapping. Each feature is its own input tensor of shape
 * [N, 1] (a request may also send [N]): integers as INT64, bmi as FP32, categories as BYTES
 * (JSON strings). The output `charges` is FP32 [N, 1]. INT32 and FP64 are accepted as well,
 * since clients often send them for the same columns.
 */
export type V2Datatype = 'BYTES' | 'INT64' | 'INT32' | 'FP32' | 'FP64';

export interface V2TensorMetadata {
  readonly name: string;
  readonly datatype: V2Datatype;
  readonly shape: readonly number[];
}

export interface V2Output {
  readonly name: string;
  readonly datatype: 'FP32';
  readonly shape: readonly [number, 1];
  readonly data: readonly number[];
}

export function declaredDatatype(feature: Feature): V2Datatype {
  if (feature.kind === 'category') return 'BYTES';
  return feature.kind === 'integer' ? 'INT64' : 'FP32';
}

function acceptedDatatypes(feature: Feature): readonly V2Datatype[] {
  if (feature.kind === 'category') return ['BYTES'];
  return feature.kind === 'integer' ? ['INT64', 'INT32'] : ['FP32', 'FP64'];
}

export function inputMetadata(schema: FeatureSchema): V2TensorMetadata[] {
  return schema.features.map((feature) => ({
    name: feature.name,
    datatype: declaredDatatype(feature),
    shape: [-1, 1],
  }));
}

export function outputMetadata(schema: FeatureSchema): V2TensorMetadata[] {
  return [{ name: schema.output.name, datatype: 'FP32', shape: [-1, 1] }];
}

/** Row-major data may arrive flat or nested; either way it is flattened before counting. */
function flatten(data: readonly unknown[]): unknown[] {
  return data.some(Array.isArray) ? (data.flat(Infinity) as unknown[]) : [...data];
}

function readShape(value: unknown, field: string): number[] {
  if (
    !Array.isArray(value) ||
    !value.every((dim): dim is number => typeof dim === 'number' && Number.isInteger(dim) && dim >= 0)
  ) {
    throw new InvalidInput(field, `must be an array of non-negative integers; got ${describe(value)}`);
  }
  if (!(value.length === 1 || (value.length === 2 && value[1] === 1))) {
    throw new InvalidInput(field, `must be [N, 1] or [N]; got [${value.join(', ')}]`);
  }
  return value;
}

export interface V2Request {
  readonly id: string | undefined;
  readonly records: FeatureRecord[];
}

/** Validates a v2 inference request body and turns its tensors into records. */
export function parseInferRequest(schema: FeatureSchema, body: unknown): V2Request {
  if (!isPlainObject(body))
    throw new InvalidInput('', `request body must be a JSON object; got ${describe(body)}`);
  const { id, inputs, outputs } = body;
  if (id !== undefined && typeof id !== 'string')
    throw new InvalidInput('id', `must be a string; got ${describe(id)}`);
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new InvalidInput('inputs', `must be a non-empty array of tensors; got ${describe(inputs)}`);
  }
  if (outputs !== undefined) checkRequestedOutputs(schema, outputs);

  const columns = new Map<string, unknown[]>();
  let rows: number | undefined;
  inputs.forEach((input: unknown, index) => {
    const at = `inputs[${index}]`;
    if (!isPlainObject(input)) throw new InvalidInput(at, `must be a tensor object; got ${describe(input)}`);
    const { name, datatype, shape, data } = input;
    const feature = schema.features.find((f) => f.name === name);
    if (typeof name !== 'string' || !feature) {
      throw new InvalidInput(
        `${at}.name`,
        `unknown input ${describe(name)} (expected ${schema.features.map((f) => f.name).join(', ')})`,
      );
    }
    if (columns.has(name)) throw new InvalidInput(`${at}.name`, `input ${name} is given more than once`);
    const accepted = acceptedDatatypes(feature);
    if (typeof datatype !== 'string' || !(accepted as readonly string[]).includes(datatype)) {
      throw new InvalidInput(
        `${name}.datatype`,
        `must be ${accepted.join(' or ')}; got ${describe(datatype)}`,
      );
    }
    const dims = readShape(shape, `${name}.shape`);
    const count = dims[0] as number;
    if (rows !== undefined && count !== rows) {
      throw new InvalidInput(`${name}.shape`, `has ${count} rows but earlier inputs have ${rows}`);
    }
    rows = count;
    if (!Array.isArray(data))
      throw new InvalidInput(`${name}.data`, `must be an array; got ${describe(data)}`);
    const values = flatten(data);
    if (values.length !== count) {
      throw new InvalidInput(
        `${name}.data`,
        `holds ${values.length} values but shape [${dims.join(', ')}] needs ${count}`,
      );
    }
    columns.set(name, values);
  });
  const missing = schema.features.filter((f) => !columns.has(f.name)).map((f) => f.name);
  if (missing.length > 0) throw new InvalidInput('inputs', `missing input(s): ${missing.join(', ')}`);
  return { id, records: recordsFromColumns(schema, columns, (name) => `${name}.data`) };
}

function checkRequestedOutputs(schema: FeatureSchema, outputs: unknown): void {
  if (!Array.isArray(outputs))
    throw new InvalidInput('outputs', `must be an array; got ${describe(outputs)}`);
  outputs.forEach((output: unknown, index) => {
    const name = isPlainObject(output) ? output['name'] : undefined;
    if (name !== schema.output.name) {
      throw new InvalidInput(
        `outputs[${index}].name`,
        `unknown output ${describe(name)} (expected ${schema.output.name})`,
      );
    }
  });
}

export function inferResponse(
  schema: FeatureSchema,
  model: { readonly name: string; readonly version: string },
  id: string | undefined,
  predictions: readonly number[],
) {
  const output: V2Output = {
    name: schema.output.name,
    datatype: 'FP32',
    shape: [predictions.length, 1],
    data: predictions,
  };
  return {
    model_name: model.name,
    model_version: model.version,
    ...(id === undefined ? {} : { id }),
    outputs: [output],
  };
}
