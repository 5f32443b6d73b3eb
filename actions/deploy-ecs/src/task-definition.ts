import type { RegisterTaskDefinitionCommandInput, Tag } from '@aws-sdk/client-ecs';
import { InputError } from '@deploy-suite/kit';
import { sizeOf, taskDefinitionLimitProblems, TASK_DEFINITION_MAX_BYTES } from './ecs-limits';
import { isObject, shapeProblems, type ShapeProblem } from './ecs-model';
import { REGISTER_TASK_DEFINITION_MODEL as MODEL } from './register-task-definition-model.generated';
import {
  applyContainerOverrides,
  applyTaskOverrides,
  changesContainers,
  overrideBytes,
  type RenderOverrides,
} from './render-overrides';

type Json = Record<string, unknown>;

/** Returned by DescribeTaskDefinition, refused (or silently dropped) by RegisterTaskDefinition; from AWS's model. */
export const READ_ONLY_FIELDS: readonly string[] = MODEL.readOnlyTaskDefinitionFields ?? [];

/** What `aws ecs describe-task-definition` prints around the task definition (tags only with --include TAGS). */
const DESCRIBE_OUTPUT_FIELDS = ['taskDefinition', 'tags'];
const PROBLEMS_SHOWN = 5;
const PROBLEM_CHARS = 300;
const RESERVED_TAG_PREFIX = /^aws:/i;

export interface ContainerChanges {
  /** Containers to change; empty means the only container, when there is exactly one. */
  containerNames: readonly string[];
  image: string | undefined;
  /** Images for other containers by name (the `images` input), e.g. a sidecar built with the app. */
  images: ReadonlyMap<string, string>;
  environment: ReadonlyMap<string, string>;
  secrets: ReadonlyMap<string, string>;
  /** Roles, log configuration, docker labels, command and environment files (render-overrides.ts). */
  overrides: RenderOverrides;
}

export interface RenderedTaskDefinition {
  input: RegisterTaskDefinitionCommandInput;
  /** Read-only fields of the template that were left out. */
  ignored: string[];
  /** Keys of carried-over tags left out because AWS reserves them (aws:cloudformation:stack-name...). */
  reservedTags: string[];
  /** Containers the changes were applied to. */
  changed: string[];
}

/**
 * The RegisterTaskDefinition input for a template (a file, what `aws ecs describe-task-definition`
 * printed, or what DescribeTaskDefinition returned) with the images, environment and secrets set
 * on the named containers. The whole result is checked against AWS's model of the request and
 * ECS's documented limits before anything is sent; `source` is the input a problem is blamed on.
 * Values the user wrote are kept as written, empty strings included; only nulls go.
 */
export function renderTaskDefinition(
  template: Json,
  changes: ContainerChanges,
  tags: readonly Tag[] = [],
  source = 'task-definition',
): RenderedTaskDefinition {
  const unwrapped = unwrapDescribeOutput(template, source);
  const ignored: string[] = [];
  const kept = Object.entries(unwrapped.taskDefinition).filter(([key, value]) => {
    if (READ_ONLY_FIELDS.includes(key)) ignored.push(key);
    return !READ_ONLY_FIELDS.includes(key) && value !== null && value !== undefined;
  });
  // fromEntries defines own members: one named __proto__ stays a member (refused below as unknown),
  // where `input[key] = value` would have made it the object's prototype and dropped it unseen.
  const input: Json = Object.fromEntries(kept.map(([key, value]) => [key, withoutNulls(value)]));
  // Tags AWS put on the revision it came from (a CloudFormation stack's) are not the user's to
  // register again: the aws: prefix is reserved (RegisterTaskDefinition.tags in the API model).
  const carried = unwrapped.tags ?? tags;
  const reservedTags = carried.filter(isReservedTag).map((tag) => String(tag.key));
  const carriedTags = carried.filter((tag) => !isReservedTag(tag));
  if (input.tags === undefined && carriedTags.length > 0) input.tags = carriedTags;
  refuse(source, shapeProblems(MODEL, MODEL.root, input));
  refuse(source, taskDefinitionLimitProblems(input));

  const containers = input.containerDefinitions as Json[];
  const targets = chooseContainers(containers, changes);
  const output = applyTaskOverrides(input, changes.overrides);
  output.containerDefinitions = containers.map((container) => {
    const name = String(container.name);
    const image = changes.images.get(name);
    const changed = targets.includes(name) ? applyChanges(container, changes) : container;
    return image === undefined ? changed : { ...changed, image };
  });
  // What the inputs add (images, secret references, roles, drivers, files) was checked when they were read.
  refuseOversize(output, source, changes);
  return {
    input: output as unknown as RegisterTaskDefinitionCommandInput,
    ignored,
    reservedTags,
    changed: [...new Set([...targets, ...changes.images.keys()])],
  };
}

function isReservedTag(tag: Tag): boolean {
  return typeof tag.key === 'string' && RESERVED_TAG_PREFIX.test(tag.key);
}

/** `{"taskDefinition": {...}, "tags": [...]}` as describe-task-definition prints it, or the task definition itself. */
function unwrapDescribeOutput(template: Json, source: string): { taskDefinition: Json; tags?: Tag[] } {
  if (!('taskDefinition' in template)) return { taskDefinition: template };
  const problems: ShapeProblem[] = Object.keys(template)
    .filter((key) => !DESCRIBE_OUTPUT_FIELDS.includes(key))
    .map((key) => ({
      path: key,
      why: 'unknown field beside taskDefinition (describe-task-definition output holds taskDefinition and tags)',
    }));
  const inner = template.taskDefinition;
  if (!isObject(inner)) problems.push({ path: 'taskDefinition', why: 'expected an object' });
  const tags = template.tags ?? undefined;
  if (tags !== undefined) {
    problems.push(...shapeProblems(MODEL, 'Tags', tags, 'tags'));
    if (isObject(inner) && inner.tags !== undefined && inner.tags !== null) {
      problems.push({ path: 'tags', why: 'given both here and in taskDefinition.tags; keep one' });
    }
  }
  refuse(source, problems);
  const taskDefinition = inner as Json;
  return tags === undefined ? { taskDefinition } : { taskDefinition, tags: tags as Tag[] };
}

function refuse(input: string, problems: readonly ShapeProblem[]): void {
  if (problems.length === 0) return;
  // Paths and values come from the file: each problem is cut short so the line stays readable.
  const shown = problems.slice(0, PROBLEMS_SHOWN).map((p) => shorten(`${p.path}: ${p.why}`, PROBLEM_CHARS));
  const more = problems.length > PROBLEMS_SHOWN ? `; and ${problems.length - PROBLEMS_SHOWN} more` : '';
  throw new InputError(input, `is not a task definition ECS takes: ${shown.join('; ')}${more}`);
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function refuseOversize(input: Json, source: string, changes: ContainerChanges): void {
  const size = sizeOf(input);
  if (size.bytes <= TASK_DEFINITION_MAX_BYTES) return;
  const largest = size.largest.map((s) => `${s.path} (${s.bytes.toLocaleString('en-US')} bytes)`).join(', ');
  const where = largest === '' ? '' : ` Largest values: ${largest}.`;
  throw new InputError(
    size.bytes - addedBytes(changes) > TASK_DEFINITION_MAX_BYTES ? source : changedInput(changes),
    `makes a task definition of ${size.bytes.toLocaleString('en-US')} bytes as JSON; ECS takes at most ${TASK_DEFINITION_MAX_BYTES.toLocaleString('en-US')} (64 KiB).${where} Move large values to environmentFiles or secrets`,
  );
}

/** Roughly what the inputs add: enough to tell whether the template alone is over the limit. */
function addedBytes(changes: ContainerChanges): number {
  let bytes = 0;
  for (const [name, value] of [...changes.environment, ...changes.secrets]) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  return bytes + overrideBytes(changes.overrides);
}

/** The input most likely behind a problem in what the changes added. */
function changedInput(changes: ContainerChanges): string {
  if (changes.environment.size > 0) return 'environment-variables';
  if (changes.secrets.size > 0) return 'secrets';
  if (changes.overrides.dockerLabels.size > 0) return 'docker-labels';
  if (changes.overrides.logOptions.size > 0) return 'log-configuration-options';
  if (changes.overrides.command !== undefined) return 'command';
  if (changes.images.size > 0) return 'images';
  return 'image';
}

function chooseContainers(containers: readonly Json[], changes: ContainerChanges): string[] {
  const names = containers.map((c) => String(c.name));
  const unknownImages = [...changes.images.keys()].filter((name) => !names.includes(name));
  if (unknownImages.length > 0) {
    throw new InputError(
      'images',
      `names ${unknownImages.map((n) => `'${n}'`).join(', ')}, not in the task definition; its containers are: ${names.join(', ')}`,
    );
  }
  const wantsChange =
    changes.image !== undefined ||
    changes.environment.size > 0 ||
    changes.secrets.size > 0 ||
    changesContainers(changes.overrides);
  let targets: string[];
  if (changes.containerNames.length === 0) {
    if (!wantsChange) return [];
    if (names.length !== 1) {
      throw new InputError(
        'container-name',
        `is required when the task definition has several containers; it has: ${names.join(', ')}`,
      );
    }
    targets = names;
  } else {
    const unknown = changes.containerNames.filter((name) => !names.includes(name));
    if (unknown.length > 0) {
      throw new InputError(
        'container-name',
        `names ${unknown.map((n) => `'${n}'`).join(', ')}, not in the task definition; its containers are: ${names.join(', ')}`,
      );
    }
    targets = [...changes.containerNames];
  }
  const twice = changes.image === undefined ? [] : targets.filter((name) => changes.images.has(name));
  if (twice.length > 0) {
    throw new InputError(
      'images',
      `sets ${twice.map((n) => `'${n}'`).join(', ')}, which image already sets; give each container its image once`,
    );
  }
  return targets;
}

function applyChanges(container: Json, changes: ContainerChanges): Json {
  const next: Json = applyContainerOverrides(container, changes.overrides);
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
