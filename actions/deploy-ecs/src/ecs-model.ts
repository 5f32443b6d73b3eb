/**
 * Checks a value against AWS's API model of ECS (register-task-definition-model.generated.ts), the
 * way the AWS CLI's own parameter validation does (botocore's validate.py: types, lists against
 * objects, required and unknown members, minimum lengths), plus the model's enums and maximum
 * lengths. The JavaScript SDK would drop an unknown member without a word, so it is refused here.
 * Each problem names its JSON path.
 */

export type Shape =
  | { type: 'structure'; members: Record<string, string>; required?: string[] }
  | { type: 'list'; member: string; min?: number; max?: number }
  | { type: 'map'; key: string; value: string; min?: number; max?: number }
  | { type: 'string'; enum?: string[]; min?: number; max?: number }
  | { type: 'integer' | 'long' | 'float' | 'double'; min?: number; max?: number }
  | { type: 'boolean' | 'timestamp' | 'blob' };

export interface EcsModel {
  /** Which AWS-published model, and which version of it, the shapes come from. */
  source: string;
  root: string;
  /** Returned by DescribeTaskDefinition, not taken by RegisterTaskDefinition (RegisterTaskDefinition's model only). */
  readOnlyTaskDefinitionFields?: string[];
  shapes: Record<string, Shape>;
}

export interface ShapeProblem {
  path: string;
  why: string;
}

// Integers in the ECS model are 32-bit (Java Integer in the service, Int32 in the SDKs).
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/** Every place where `value` is not what the shape `name` takes; empty when it is. Nulls count as absent. */
export function shapeProblems(model: EcsModel, name: string, value: unknown, path = ''): ShapeProblem[] {
  const shape = model.shapes[name];
  if (shape === undefined) throw new Error(`ECS model has no shape ${name}`);
  const problem = (why: string): ShapeProblem[] => [{ path: path || '(top level)', why }];
  switch (shape.type) {
    case 'structure': {
      if (!isObject(value)) return problem(`expected an object (got ${describe(value)})`);
      const out: ShapeProblem[] = [];
      for (const [key, child] of Object.entries(value)) {
        // Own members only: a key such as '__proto__' or 'constructor' is an unknown field, not Object's.
        const member = Object.hasOwn(shape.members, key) ? shape.members[key] : undefined;
        const childPath = path ? `${path}.${key}` : key;
        if (member === undefined) {
          const near = closest(key, Object.keys(shape.members));
          out.push({ path: childPath, why: `unknown field${near ? ` (did you mean ${near}?)` : ''}` });
        } else if (child !== null && child !== undefined) {
          out.push(...shapeProblems(model, member, child, childPath));
        }
      }
      for (const key of shape.required ?? []) {
        if (value[key] === null || value[key] === undefined) {
          out.push({ path: path ? `${path}.${key}` : key, why: 'is required' });
        }
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) return problem(`expected a list (got ${describe(value)})`);
      const out = lengthProblems(value.length, shape, 'items').flatMap(problem);
      value.forEach((item, index) => {
        if (item !== null) out.push(...shapeProblems(model, shape.member, item, `${path}[${index}]`));
      });
      return out;
    }
    case 'map': {
      if (!isObject(value)) return problem(`expected an object of names to values (got ${describe(value)})`);
      const entries = Object.entries(value);
      const out = lengthProblems(entries.length, shape, 'entries').flatMap(problem);
      for (const [key, child] of entries) {
        const childPath = `${path}[${JSON.stringify(key)}]`;
        out.push(...shapeProblems(model, shape.key, key, `${childPath} (the name)`));
        if (child !== null) out.push(...shapeProblems(model, shape.value, child, childPath));
      }
      return out;
    }
    case 'string': {
      if (typeof value !== 'string') {
        return problem(
          `expected a string (got ${describe(value)})${typeof value === 'number' ? `; write "${value}"` : ''}`,
        );
      }
      if (shape.enum !== undefined && !shape.enum.includes(value)) {
        const near = closest(value, shape.enum);
        return problem(
          `'${value}' is not one of ${shape.enum.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`,
        );
      }
      return lengthProblems([...value].length, shape, 'characters').flatMap(problem);
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        const numeric = typeof value === 'string' && /^-?\d+$/.test(value.trim());
        return problem(
          `expected a whole number (got ${describe(value)})${numeric ? `; write ${value.trim()} without quotes` : ''}`,
        );
      }
      const bounds = shape.type === 'integer' ? { ...INT32, ...shape } : shape;
      return rangeProblems(value, bounds).flatMap(problem);
    }
    case 'float':
    case 'double':
      return typeof value === 'number' && Number.isFinite(value)
        ? rangeProblems(value, shape).flatMap(problem)
        : problem(`expected a number (got ${describe(value)})`);
    case 'boolean':
      return typeof value === 'boolean' ? [] : problem(`expected true or false (got ${describe(value)})`);
    default:
      // Timestamps and blobs are not reachable from RegisterTaskDefinitionRequest.
      return [];
  }
}

function lengthProblems(length: number, bounds: { min?: number; max?: number }, unit: string): string[] {
  if (bounds.min !== undefined && length < bounds.min)
    return [`needs at least ${bounds.min} ${unit}; has ${length}`];
  if (bounds.max !== undefined && length > bounds.max)
    return [`takes at most ${bounds.max} ${unit}; has ${length}`];
  return [];
}

function rangeProblems(value: number, bounds: { min?: number; max?: number }): string[] {
  if (bounds.min !== undefined && value < bounds.min) return [`must be at least ${bounds.min}; got ${value}`];
  if (bounds.max !== undefined && value > bounds.max) return [`must be at most ${bounds.max}; got ${value}`];
  return [];
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (isObject(value)) return 'an object';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === 'number' ? 'the number' : ''} ${String(value)}`.trim();
}

/** The known name a misspelling most likely meant: same letters in another case, or a small edit away. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameLetters = known.find((k) => k.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    const allowed = Math.max(1, Math.min(3, Math.floor(candidate.length / 4)));
    if (distance <= allowed && (best === undefined || distance < best.distance))
      best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost);
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
