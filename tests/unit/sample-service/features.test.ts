import { encodeRecords, encodedWidth } from '../../../sample-service/src/features';
import { record, schema } from './fixtures';

describe('feature encoding', () => {
  it('is 9 columns wide: 3 numbers, 2 binary categories, 4 one-hot regions', () => {
    expect(encodedWidth(schema)).toBe(9);
  });

  it('standardises numbers, maps two-level categories to 0/1 and one-hots the rest, in schema order', () => {
    const encoded = encodeRecords(schema, [
      record,
      { ...record, age: 40, sex: 'female', smoker: 'no', region: 'northeast' },
    ]);
    expect(Array.from(encoded.subarray(0, 9))).toEqual([1, 1, -0.5, 2, 1, 0, 0, 1, 0]);
    expect(Array.from(encoded.subarray(9, 18))).toEqual([0, 0, -0.5, 2, 0, 1, 0, 0, 0]);
  });
});
