import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A numeric feature, standardised as (value - mean) / std before it reaches the network. */
export interface NumericFeature {
  readonly name: string;
  readonly kind: 'integer' | 'number';
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly std: number;
}

/**
 * A categorical feature. A two-level category becomes one 0/1 column (1 for the second level);
 * more levels become one-hot columns in the order listed.
 */
export interface CategoricalFeature {
  readonly name: string;
  readonly kind: 'category';
  readonly categories: readonly string[];
}

export type Feature = NumericFeature | CategoricalFeature;

/** What `schema.json` beside the model holds: the contract between training and serving. */
export interface FeatureSchema {
  readonly model: string;
  readonly version: string;
  readonly features: readonly Feature[];
  readonly output: { readonly name: string; readonly unit: string };
}

export type FeatureValue = number | string;
/** One validated record, keyed by feature name. */
export type FeatureRecord = Readonly<Record<string, FeatureValue>>;

export function columnsOf(feature: Feature): number {
  if (feature.kind !== 'category') return 1;
  return feature.categories.length === 2 ? 1 : feature.categories.length;
}

/** Width of the network's input: the sum of every feature's columns. */
export function encodedWidth(schema: FeatureSchema): number {
  return schema.features.reduce((sum, feature) => sum + columnsOf(feature), 0);
}

/** Writes one validated record into `target` starting at `offset`; the record must match the schema. */
export function encodeRecord(
  schema: FeatureSchema,
  record: FeatureRecord,
  target: Float32Array,
  offset = 0,
): void {
  let column = offset;
  for (const feature of schema.features) {
    const value = record[feature.name];
    if (feature.kind === 'category') {
      const level = feature.categories.indexOf(value as string);
      if (feature.categories.length === 2) {
        target[column] = level;
        column += 1;
      } else {
        for (let i = 0; i < feature.categories.length; i += 1) target[column + i] = i === level ? 1 : 0;
        column += feature.categories.length;
      }
    } else {
      target[column] = ((value as number) - feature.mean) / feature.std;
      column += 1;
    }
  }
}

/** Encodes records into one row-major [records.length, width] matrix. */
export function encodeRecords(schema: FeatureSchema, records: readonly FeatureRecord[]): Float32Array {
  const width = encodedWidth(schema);
  const matrix = new Float32Array(records.length * width);
  records.forEach((record, row) => encodeRecord(schema, record, matrix, row * width));
  return matrix;
}

export const SCHEMA_FILE = 'schema.json';

export function readSchema(modelDir: string): FeatureSchema {
  return JSON.parse(readFileSync(join(modelDir, SCHEMA_FILE), 'utf8')) as FeatureSchema;
}
