import {
  inferResponse,
  inputMetadata,
  parseInferRequest,
} from '../../../sample-service/src/protocols/kserve-v2';
import { parsePredictRequest, predictResponse } from '../../../sample-service/src/protocols/tf-serving';
import { InvalidInput } from '../../../sample-service/src/validation';
import { record, schema } from './fixtures';

type Tensor = { name: string; datatype: string; shape: number[]; data: unknown[] };

function v2Inputs(rows: Record<string, unknown>[]): Tensor[] {
  return inputMetadata(schema).map(({ name, datatype }) => ({
    name,
    datatype,
    shape: [rows.length, 1],
    data: rows.map((row) => row[name]),
  }));
}

function replace(inputs: Tensor[], name: string, change: Partial<Tensor>): Tensor[] {
  return inputs.map((input) => (input.name === name ? { ...input, ...change } : input));
}

function fieldOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInput) return error.field;
    throw error;
  }
  throw new Error('expected InvalidInput');
}

describe('KServe v2 mapping', () => {
  it('declares one [-1, 1] input per feature: INT64 integers, FP32 bmi, BYTES categories', () => {
    expect(inputMetadata(schema)).toEqual([
      { name: 'age', datatype: 'INT64', shape: [-1, 1] },
      { name: 'sex', datatype: 'BYTES', shape: [-1, 1] },
      { name: 'bmi', datatype: 'FP32', shape: [-1, 1] },
      { name: 'children', datatype: 'INT64', shape: [-1, 1] },
      { name: 'smoker', datatype: 'BYTES', shape: [-1, 1] },
      { name: 'region', datatype: 'BYTES', shape: [-1, 1] },
    ]);
  });

  it('turns tensors into records row by row, in any input order, flat or nested, [N,1] or [N]', () => {
    const second = { ...record, age: 30, region: 'northwest' };
    const inputs = v2Inputs([record, second]).reverse();
    const nested = replace(inputs, 'age', { data: [[50], [30]] });
    const rank1 = replace(nested, 'bmi', { shape: [2] });
    expect(parseInferRequest(schema, { id: 'r1', inputs: rank1 })).toEqual({
      id: 'r1',
      records: [record, second],
    });
  });

  it('accepts INT32 for integers and FP64 for numbers', () => {
    const inputs = replace(replace(v2Inputs([record]), 'age', { datatype: 'INT32' }), 'bmi', {
      datatype: 'FP64',
    });
    expect(parseInferRequest(schema, { inputs }).records).toEqual([record]);
  });

  const good = v2Inputs([record, record]);
  it.each([
    ['no inputs', { inputs: [] }, 'inputs'],
    ['inputs not an array', { inputs: { age: [1] } }, 'inputs'],
    ['a missing input', { inputs: good.slice(1) }, 'inputs'],
    ['an unknown input', { inputs: [...good, { ...good[0], name: 'weight' }] }, 'inputs[6].name'],
    ['a duplicated input', { inputs: [...good, good[0]] }, 'inputs[6].name'],
    ['a wrong datatype', { inputs: replace(good, 'age', { datatype: 'FP32' }) }, 'age.datatype'],
    ['BYTES declared for a number', { inputs: replace(good, 'bmi', { datatype: 'BYTES' }) }, 'bmi.datatype'],
    ['a shape of rank 3', { inputs: replace(good, 'bmi', { shape: [2, 1, 1] }) }, 'bmi.shape'],
    ['a shape [N, 2]', { inputs: replace(good, 'bmi', { shape: [1, 2] }) }, 'bmi.shape'],
    ['a negative dimension', { inputs: replace(good, 'bmi', { shape: [-1, 1] }) }, 'bmi.shape'],
    ['row counts that disagree', { inputs: replace(good, 'sex', { shape: [3, 1] }) }, 'sex.shape'],
    ['data shorter than the shape', { inputs: replace(good, 'bmi', { data: [30] }) }, 'bmi.data'],
    ['a string in a numeric tensor', { inputs: replace(good, 'bmi', { data: [30, 'NaN'] }) }, 'bmi.data[1]'],
    [
      'an unknown category',
      { inputs: replace(good, 'region', { data: ['mars', 'northeast'] }) },
      'region.data[0]',
    ],
    ['an unknown requested output', { inputs: good, outputs: [{ name: 'cost' }] }, 'outputs[0].name'],
    ['a numeric id', { id: 7, inputs: good }, 'id'],
  ])('rejects %s, naming %s', (_case, body, field) => {
    expect(fieldOf(() => parseInferRequest(schema, body))).toBe(field);
  });

  it('answers FP32 [N, 1] named after the output, echoing the request id', () => {
    expect(inferResponse(schema, { name: 'm', version: '1' }, 'r1', [1.5, 2.5])).toEqual({
      model_name: 'm',
      model_version: '1',
      id: 'r1',
      outputs: [{ name: 'charges', datatype: 'FP32', shape: [2, 1], data: [1.5, 2.5] }],
    });
  });
});

describe('TF Serving mapping', () => {
  const columns = Object.fromEntries(Object.entries(record).map(([key, value]) => [key, [value]]));

  it('reads row format, with values as scalars or one-element lists', () => {
    const wrapped = Object.fromEntries(Object.entries(record).map(([key, value]) => [key, [value]]));
    expect(parsePredictRequest(schema, { instances: [record, wrapped] })).toEqual({
      format: 'row',
      records: [record, record],
    });
  });

  it('reads columnar format', () => {
    const inputs = Object.fromEntries(Object.entries(record).map(([key, value]) => [key, [value, value]]));
    expect(parsePredictRequest(schema, { signature_name: 'serving_default', inputs })).toEqual({
      format: 'columnar',
      records: [record, record],
    });
  });

  it.each([
    ['both formats', { instances: [record], inputs: {} }, 'instances'],
    ['neither format', {}, 'instances'],
    ['another signature', { signature_name: 'classify', instances: [record] }, 'signature_name'],
    ['an unknown top-level field', { instances: [record], extra: 1 }, 'extra'],
    ['instances not a list', { instances: record }, 'instances'],
    ['a bad value in an instance', { instances: [record, { ...record, age: -1 }] }, 'instances[1].age'],
    ['an unknown column', { inputs: { ...columns, weight: [1] } }, 'inputs.weight'],
    ['a column that is not a list', { inputs: { ...columns, age: 50 } }, 'inputs.age'],
    ['a missing column', { inputs: { ...columns, smoker: undefined } }, 'inputs.smoker'],
    ['columns of different lengths', { inputs: { ...columns, bmi: [27.5, 30] } }, 'inputs.bmi'],
  ])('rejects %s, naming %s', (_case, body, field) => {
    expect(fieldOf(() => parsePredictRequest(schema, body))).toBe(field);
  });

  it('answers [[value], ...] under predictions for rows and outputs for columns', () => {
    expect(predictResponse('row', [1, 2])).toEqual({ predictions: [[1], [2]] });
    expect(predictResponse('columnar', [1, 2])).toEqual({ outputs: [[1], [2]] });
  });
});
