import type { Feature, FeatureRecord, FeatureSchema, FeatureValue } from './features';

/** Bad input from the caller: always answered with 400 and a message that names the field. */
export class InvalidInput extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(field ? `${field}: ${reason}` : reason);
    this.name = 'InvalidInput';
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  if (typeof value === 'number') return String(value);
  return `a ${typeof value}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks one value against its feature; `field` is the path used in the error message. */
export function checkFeatureValue(feature: Feature, value: unknown, field: string): FeatureValue {
  if (value === undefined) throw new InvalidInput(field, 'is required');
  if (feature.kind === 'category') {
    if (typeof value !== 'string' || !feature.categories.includes(value)) {
      throw new InvalidInput(
        field,
        `must be one of ${feature.categories.join(', ')}; got ${describe(value)}`,
      );
    }
    return value;
  }
  const wanted = feature.kind === 'integer' ? 'an integer' : 'a finite number';
  // JSON cannot carry NaN, but 1e999 parses to Infinity and clients send "NaN" or null.
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidInput(field, `must be ${wanted}; got ${describe(value)}`);
  }
  if (feature.kind === 'integer' && !Number.isInteger(value)) {
    throw new InvalidInput(field, `must be an integer; got ${value}`);
  }
  if (value < feature.min || value > feature.max) {
    throw new InvalidInput(field, `must be between ${feature.min} and ${feature.max}; got ${value}`);
  }
  return value;
}

const namesBySchema = new WeakMap<FeatureSchema, ReadonlySet<string>>();

function featureNames(schema: FeatureSchema): ReadonlySet<string> {
  let names = namesBySchema.get(schema);
  if (!names) {
    names = new Set(schema.features.map((feature) => feature.name));
    namesBySchema.set(schema, names);
  }
  return names;
}

/** Validates one record keyed by feature name: every feature present, nothing unknown. */
export function validateRecord(schema: FeatureSchema, value: unknown, path: string): FeatureRecord {
  if (!isPlainObject(value)) {
    throw new InvalidInput(path, `must be an object keyed by feature name; got ${describe(value)}`);
  }
  const prefix = path ? `${path}.` : '';
  const known = featureNames(schema);
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      throw new InvalidInput(`${prefix}${key}`, `unknown feature (expected ${[...known].join(', ')})`);
    }
  }
  const record: Record<string, FeatureValue> = {};
  for (const feature of schema.features) {
    record[feature.name] = checkFeatureValue(feature, value[feature.name], `${prefix}${feature.name}`);
  }
  return record;
}

/** A non-empty array of records; `path` names the array in messages (`instances`, ``). */
export function validateRecordList(schema: FeatureSchema, value: unknown, path: string): FeatureRecord[] {
  if (!Array.isArray(value)) {
    throw new InvalidInput(path, `must be an array of records; got ${describe(value)}`);
  }
  if (value.length === 0) throw new InvalidInput(path, 'must hold at least one record');
  return value.map((item, index) => validateRecord(schema, item, `${path}[${index}]`));
}

/**
 * Builds records from one array of values per feature (the columnar layouts of both v2 and
 * TF Serving). `fieldOf` names a feature's column in messages.
 */
export function recordsFromColumns(
  schema: FeatureSchema,
  columns: ReadonlyMap<string, readonly unknown[]>,
  fieldOf: (feature: string) => string,
): FeatureRecord[] {
  const first = schema.features[0];
  const rows = first ? (columns.get(first.name)?.length ?? 0) : 0;
  for (const feature of schema.features) {
    const column = columns.get(feature.name);
    if (!column) throw new InvalidInput(fieldOf(feature.name), 'is required');
    if (column.length !== rows) {
      throw new InvalidInput(
        fieldOf(feature.name),
        `has ${column.length} values but ${first?.name} has ${rows}; every feature needs one value per row`,
      );
    }
  }
  if (rows === 0) throw new InvalidInput(fieldOf(first?.name ?? ''), 'must hold at least one value');
  const records: Record<string, FeatureValue>[] = Array.from({ length: rows }, () => ({}));
  for (const feature of schema.features) {
    const column = columns.get(feature.name) ?? [];
    column.forEach((value, row) => {
      (records[row] as Record<string, FeatureValue>)[feature.name] = checkFeatureValue(
        feature,
        value,
        `${fieldOf(feature.name)}[${row}]`,
      );
    });
  }
  return records;
}
