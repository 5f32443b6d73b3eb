import * as core from '@actions/core';
import { InputError } from './errors';
import { quoted } from './quote';
import { allowedRoots, existingPath, type PathKind } from './paths';

/** The process environment, or the literal object a test passes in its place. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where one input's raw value comes from. In a run it is @actions/core's getInput: the runner's
 * `INPUT_*` variables, and under @github/local-action, which stubs @actions/core, the values of its
 * .env file with action.yml's defaults for the rest. Tests pass an env object instead (inputsIn).
 */
export type GetInput = (name: string) => string;

/** The runner's rule applied to an env object: what a test passes in place of the runner. */
export function inputsIn(env: Env): GetInput {
  return (name) => env[inputEnvName(name)] ?? '';
}

/** @actions/core's getInput, looked up on each call so a stubbed module is the one asked. */
const coreGetInput: GetInput = (name) => core.getInput(name);

/** The runner's rule: `INPUT_` + the name upper-cased with spaces as underscores; hyphens are kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

// YAML 1.2 core schema booleans, as the runner's own getBooleanInput accepts them.
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

export interface NumberBounds {
  min?: number;
  max?: number;
}

/**
 * Reads and validates inputs. Every reader trims, and every failure is an InputError naming the
 * input and what it accepts. Defaults live in action.yml (the runner supplies them); a reader only
 * falls back to `fallback` where action.yml cannot express the default.
 */
export interface InputReader {
  /** The trimmed value, or '' when not set. */
  string(name: string): string;
  /** Like string(), but an empty value is an error. */
  required(name: string): string;
  /** The trimmed value, or undefined when empty. */
  optional(name: string): string | undefined;
  bool(name: string): boolean;
  int(name: string, bounds?: NumberBounds): number;
  optionalInt(name: string, bounds?: NumberBounds): number | undefined;
  /** Comma- or newline-separated items, trimmed, empties dropped. */
  list(name: string): string[];
  /** Non-empty lines, trimmed; for multiline globs and tags where commas may be meaningful. */
  lines(name: string): string[];
  /** Multiline `KEY=VALUE`; the value may contain `=` and may be empty. Later keys win. */
  keyValues(name: string): Map<string, string>;
  oneOf<T extends string>(name: string, accepted: readonly T[]): T;
  /** Minutes (fractions allowed) as milliseconds. */
  minutes(name: string, bounds?: NumberBounds): number;
  /**
   * An existing path of the kind named, resolved against the workspace and refused when it leads
   * outside the workspace and RUNNER_TEMP. `value` is the input's value, or a default derived from
   * other inputs (a Dockerfile inside the context).
   */
  path(name: string, value: string, kind: PathKind): string;
}

/**
 * The kit's validation over one source of values. With no argument (a run) the values come through
 * @actions/core's getInput; a test passes an env object holding `INPUT_*` variables. `env` also
 * gives GITHUB_WORKSPACE and RUNNER_TEMP to path().
 */
export function createInputReader(
  env?: Env,
  getInput: GetInput = env === undefined ? coreGetInput : inputsIn(env),
): InputReader {
  const raw = (name: string): string => getInput(name).trim();
  const context = env ?? process.env;

  const number = (name: string, value: string, integer: boolean, bounds: NumberBounds): number => {
    const pattern = integer ? /^-?\d+$/ : /^-?(\d+\.?\d*|\.\d+)$/;
    const n = Number(value);
    const range = describeRange(bounds);
    if (!pattern.test(value) || !Number.isFinite(n)) {
      throw new InputError(
        name,
        `must be ${integer ? 'a whole number' : 'a number'}${range}; got ${quoted(value)}`,
      );
    }
    if ((bounds.min !== undefined && n < bounds.min) || (bounds.max !== undefined && n > bounds.max)) {
      throw new InputError(name, `must be${range}; got ${value}`);
    }
    return n;
  };

  const reader: InputReader = {
    string: raw,
    required(name) {
      const value = raw(name);
      if (value === '') throw new InputError(name, 'is required and was empty');
      return value;
    },
    optional(name) {
      const value = raw(name);
      return value === '' ? undefined : value;
    },
    bool(name) {
      const value = raw(name);
      if (TRUE.has(value)) return true;
      if (FALSE.has(value) || value === '') return false;
      throw new InputError(name, `must be true or false; got ${quoted(value)}`);
    },
    int(name, bounds = {}) {
      const value = raw(name);
      if (value === '') throw new InputError(name, `is required: a whole number${describeRange(bounds)}`);
      return number(name, value, true, bounds);
    },
    optionalInt(name, bounds = {}) {
      const value = raw(name);
      return value === '' ? undefined : number(name, value, true, bounds);
    },
    list(name) {
      return splitItems(raw(name), /[,\n]/);
    },
    lines(name) {
      return splitItems(raw(name), /\n/);
    },
    keyValues(name) {
      const pairs = new Map<string, string>();
      raw(name)
        .split('\n')
        .forEach((line, index) => {
          const text = line.trim();
          if (text === '' || text.startsWith('#')) return;
          const eq = text.indexOf('=');
          const key = eq > 0 ? text.slice(0, eq).trim() : '';
          if (key === '') {
            throw new InputError(name, `line ${index + 1} must be KEY=VALUE; got ${quoted(text)}`);
          }
          pairs.set(key, text.slice(eq + 1).trim());
        });
      return pairs;
    },
    oneOf(name, accepted) {
      const value = raw(name);
      const match = accepted.find((a) => a === value);
      if (match === undefined) {
        throw new InputError(name, `must be one of ${accepted.join(', ')}; got ${quoted(value)}`);
      }
      return match;
    },
    minutes(name, bounds = {}) {
      const value = raw(name);
      if (value === '')
        throw new InputError(name, `is required: a number of minutes${describeRange(bounds)}`);
      return Math.round(number(name, value, false, { min: 0, ...bounds }) * 60_000);
    },
    path(name, value, kind) {
      const workspace = context.GITHUB_WORKSPACE?.trim() || process.cwd();
      return existingPath(name, value, kind, workspace, allowedRoots(context, workspace));
    },
  };
  return Object.freeze(reader);
}

// C0 and C1 control characters and DEL: a value holding them cannot be shown in a log line or a
// summary (a newline splits the line), and no name, key or label the actions write needs them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/u;

/** Whether `value` holds a C0 or C1 control character or DEL. */
export function hasControlCharacter(value: string): boolean {
  return CONTROL_CHARACTER.test(value);
}

function splitItems(value: string, separator: RegExp): string[] {
  return value
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function describeRange({ min, max }: NumberBounds): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}
