import type { FeatureSchema } from '../../../sample-service/src/features';

/** A schema shaped like the shipped one, with round numbers so encodings are easy to check. */
export const schema: FeatureSchema = {
  model: 'insurance-charges',
  version: '1',
  features: [
    { name: 'age', kind: 'integer', min: 0, max: 120, mean: 40, std: 10 },
    { name: 'sex', kind: 'category', categories: ['female', 'male'] },
    { name: 'bmi', kind: 'number', min: 10, max: 80, mean: 30, std: 5 },
    { name: 'children', kind: 'integer', min: 0, max: 20, mean: 1, std: 1 },
    { name: 'smoker', kind: 'category', categories: ['no', 'yes'] },
    { name: 'region', kind: 'category', categories: ['northeast', 'northwest', 'southeast', 'southwest'] },
  ],
  output: { name: 'charges', unit: 'USD per year' },
};

export const record = { age: 50, sex: 'male', bmi: 27.5, children: 3, smoker: 'yes', region: 'southeast' };
