import { InvalidInput, validateRecord, validateRecordList } from '../../../sample-service/src/validation';
import { record, schema } from './fixtures';

function failure(run: () => unknown): InvalidInput {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInput) return error;
    throw error;
  }
  throw new Error('expected InvalidInput');
}

describe('validateRecord', () => {
  it('accepts a complete record and returns exactly the schema features', () => {
    expect(validateRecord(schema, record, '')).toEqual(record);
  });

  it.each([
    ['a missing feature', { ...record, bmi: undefined }, 'bmi', 'is required'],
    ['an unknown feature', { ...record, weight: 80 }, 'weight', 'unknown feature'],
    ['a number sent as a string', { ...record, age: '50' }, 'age', 'must be an integer'],
    ['a fractional integer', { ...record, children: 1.5 }, 'children', 'must be an integer; got 1.5'],
    ['"NaN"', { ...record, bmi: 'NaN' }, 'bmi', 'must be a finite number'],
    ['null', { ...record, bmi: null }, 'bmi', 'got null'],
    ['Infinity (what 1e999 parses to)', { ...record, bmi: Infinity }, 'bmi', 'must be a finite number'],
    ['a value out of range', { ...record, age: 300 }, 'age', 'between 0 and 120'],
    ['an unknown category', { ...record, region: 'north' }, 'region', 'must be one of northeast'],
    ['a category with the wrong case', { ...record, smoker: 'Yes' }, 'smoker', 'must be one of no, yes'],
    ['a category sent as a number', { ...record, sex: 1 }, 'sex', 'must be one of female, male'],
  ])('rejects %s, naming the field', (_case, input, field, message) => {
    const error = failure(() => validateRecord(schema, input, ''));
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
  });

  it('prefixes the field with the path of the record', () => {
    const error = failure(() => validateRecordList(schema, [record, { ...record, bmi: 'x' }], 'instances'));
    expect(error.field).toBe('instances[1].bmi');
  });

  it.each([
    ['an array', [record]],
    ['a string', 'age=50'],
    ['null', null],
  ])('rejects %s where a record is expected', (_case, input) => {
    expect(failure(() => validateRecord(schema, input, '')).message).toContain(
      'must be an object keyed by feature name',
    );
  });

  it('rejects an empty list', () => {
    expect(failure(() => validateRecordList(schema, [], 'instances')).message).toContain(
      'at least one record',
    );
  });
});
