import {
  ContainerDefinition$,
  RegisterTaskDefinitionRequest$,
  type RegisterTaskDefinitionCommandInput,
  type Tag,
} from '@aws-sdk/client-ecs';
import { InputError } from '@deploy-suite/kit';
import { ECS_NAME } from './names';

type Json = Record<string, unknown>;

/** Returned by DescribeTaskDefinition, refused (or silently dropped) by RegisterTaskDefinition. */
export const READ_ONLY_FIELDS: readonly string[] = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
];

// The bundled SDK's own model of what RegisterTaskDefinition takes. The SDK drops members it does
// not know without a word, so a misspelt field would vanish; naming it here fails the step instead.
const REGISTER_FIELDS = new Set(RegisterTaskDefinitionRequest$[4]);
const CONTAINER_FIELDS = new Set(ContainerDefinition$[4]);

export interface ContainerChanges {
  /** Containers to change; empty means the only container, when there is exactly one. */
  containerNames: readonly string[];
  image: string | undefined;
  environment: ReadonlyMap<string, string>;
  secrets: ReadonlyMap<string, string>;
}

export interface RenderedTaskDefinition {
  input: RegisterTaskDefinitionCommandInput;
  /** Read-only fields of the template that were left out. */
  ignored: string[];
  /** Containers the changes were applied to. */
  changed: string[];
}

/**
 * The RegisterTaskDefinition input for a template (a file, or what DescribeTaskDefinition returned)
 * with the image, environment and secrets set on the named containers. Values the user wrote are
 * kept as written, empty strings included; only nulls go.
 */
export function renderTaskDefinition(
  template: Json,
  changes: ContainerChanges,
  tags: readonly Tag[] = [],
): RenderedTaskDefinition {
  const ignored: string[] = [];
  const input: Json = {};
  for (const [key, value] of Object.entries(template)) {
    if (READ_ONLY_FIELDS.includes(key)) {
      ignored.push(key);
      continue;
    }
    if (!REGISTER_FIELDS.has(key)) throw unknownField(key, REGISTER_FIELDS);
    if (value !== null) input[key] = withoutNulls(value);
  }
  if (typeof input.family !== 'string' || input.family === '') {
    throw new InputError('task-definition', "needs a 'family'");
  }
  if (!ECS_NAME.test(input.family)) {
    throw new InputError(
      'task-definition',
      "has a 'family' that is not 1-255 letters, digits, hyphens and underscores",
    );
  }
  const containers = input.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0 || !containers.every(isObject)) {
    throw new InputError('task-definition', "needs 'containerDefinitions': a list of containers");
  }
  containers.forEach((container, index) => {
    for (const key of Object.keys(container)) {
      if (!CONTAINER_FIELDS.has(key))
        throw unknownField(`containerDefinitions[${index}].${key}`, CONTAINER_FIELDS);
    }
  });
  const targets = chooseContainers(containers, changes);
  input.containerDefinitions = containers.map((container) =>
    targets.includes(String(container.name)) ? applyChanges(container, changes) : container,
  );
  if (input.tags === undefined && tags.length > 0) input.tags = [...tags];
  return { input: input as unknown as RegisterTaskDefinitionCommandInput, ignored, changed: targets };
}

function unknownField(path: string, known: ReadonlySet<string>): InputError {
  const near = [...known].filter((name) => closeTo(path.split('.').pop() ?? path, name));
  return new InputError(
    'task-definition',
    `has a field ECS does not take: '${path}'${near.length > 0 ? ` (did you mean '${near.join("' or '")}'?)` : ''}`,
  );
}

function closeTo(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x !== y && (x.startsWith(y) || y.startsWith(x) || editDistance(x, y) <= 2);
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

function chooseContainers(containers: readonly Json[], changes: ContainerChanges): string[] {
  const names = containers.map((c) => String(c.name));
  const wantsChange = changes.image !== undefined || changes.environment.size > 0 || changes.secrets.size > 0;
  if (changes.containerNames.length === 0) {
    if (!wantsChange) return [];
    if (names.length === 1) return names;
    throw new InputError(
      'container-name',
      `is required when the task definition has several containers; it has: ${names.join(', ')}`,
    );
  }
  const unknown = changes.containerNames.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new InputError(
      'container-name',
      `names ${unknown.map((n) => `'${n}'`).join(', ')}, not in the task definition; its containers are: ${names.join(', ')}`,
    );
  }
  return [...changes.containerNames];
}

function applyChanges(container: Json, changes: ContainerChanges): Json {
  const next: Json = { ...container };
  if (changes.image !== undefined) next.image = changes.image;
  if (changes.environment.size > 0) {
    next.environment = mergeByName(container.environment, changes.environment, 'value');
  }
  if (changes.secrets.size > 0) {
    next.secrets = mergeByName(container.secrets, changes.secrets, 'valueFrom');
  }
  return next;
}

/** Replaces entries of the same name in place and appends the new ones, in the order given. */
function mergeByName(
  existing: unknown,
  values: ReadonlyMap<string, string>,
  field: 'value' | 'valueFrom',
): Json[] {
  const list = Array.isArray(existing) ? existing.filter(isObject) : [];
  const merged = list.map((entry) =>
    typeof entry.name === 'string' && values.has(entry.name)
      ? { name: entry.name, [field]: values.get(entry.name) }
      : entry,
  );
  for (const [name, value] of values) {
    if (!list.some((entry) => entry.name === name)) merged.push({ name, [field]: value });
  }
  return merged;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== null).map(withoutNulls);
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, withoutNulls(v)]),
    );
  }
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

// Values ECS fills in when they are left out, so a file and the revision registered from it compare equal.
const CONTAINER_DEFAULTS: Json = { essential: true, cpu: 0 };
const TASK_DEFAULTS: Json = { networkMode: 'bridge' };
const UNORDERED_BY_NAME = new Set(['environment', 'secrets']);

/**
 * True when registering `rendered` would give the same task definition as `current` (what
 * DescribeTaskDefinition returned): read-only fields, tags, ECS's defaults and empty lists aside.
 */
export function sameTaskDefinition(rendered: RegisterTaskDefinitionCommandInput, current: object): boolean {
  return canonical(comparable(rendered)) === canonical(comparable(current));
}

function comparable(definition: object): unknown {
  const top: Json = {};
  for (const [key, value] of Object.entries(definition)) {
    if (READ_ONLY_FIELDS.includes(key) || key === 'tags' || TASK_DEFAULTS[key] === value) continue;
    top[key] = value;
  }
  const containers = Array.isArray(top.containerDefinitions) ? top.containerDefinitions.filter(isObject) : [];
  top.containerDefinitions = containers.map((container) => {
    const out: Json = {};
    for (const [key, value] of Object.entries(container)) {
      if (CONTAINER_DEFAULTS[key] === value) continue;
      out[key] = UNORDERED_BY_NAME.has(key) && Array.isArray(value) ? sortByName(value) : value;
    }
    if (Array.isArray(out.portMappings)) out.portMappings = out.portMappings.map(withoutPortDefaults);
    return out;
  });
  return prune(top);
}

function sortByName(list: unknown[]): unknown[] {
  return [...list].sort((a, b) =>
    String(isObject(a) ? a.name : '').localeCompare(String(isObject(b) ? b.name : '')),
  );
}

function withoutPortDefaults(mapping: unknown): unknown {
  if (!isObject(mapping)) return mapping;
  const { protocol, hostPort, ...rest } = mapping;
  return {
    ...rest,
    ...(protocol !== undefined && protocol !== 'tcp' && { protocol }),
    ...(hostPort !== undefined && hostPort !== mapping.containerPort && { hostPort }),
  };
}

/** Drops empty lists and objects and nulls: ECS answers `[]` for what was never given. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value instanceof Date) return value.toISOString();
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, raw] of Object.entries(value)) {
    const v = prune(raw);
    if (v === null || v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (isObject(v) && Object.keys(v).length === 0) continue;
    out[key] = v;
  }
  return out;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

export interface ImageChange {
  container: string;
  before: string | undefined;
  after: string | undefined;
}

/** Containers whose image differs between two task definitions (added or removed ones included). */
export function imageChanges(before: object | undefined, after: object): ImageChange[] {
  const images = (definition: object | undefined): Map<string, string | undefined> => {
    const list = (definition as { containerDefinitions?: unknown } | undefined)?.containerDefinitions;
    return new Map(
      (Array.isArray(list) ? list.filter(isObject) : []).map((c) => [
        String(c.name),
        typeof c.image === 'string' ? c.image : undefined,
      ]),
    );
  };
  const old = images(before);
  const next = images(after);
  const names = [...new Set([...next.keys(), ...old.keys()])];
  return names
    .filter((name) => old.get(name) !== next.get(name))
    .map((container) => ({ container, before: old.get(container), after: next.get(container) }));
}
