/**
 * Loads an action's action.yml into a typed shape. Scalars are read as strings (YAML's failsafe
 * schema), as the runner does: `default: 1.0` is the string "1.0", `default: true` is "true".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { HarnessError } from './harness-error';

export interface InputSpec {
  readonly description?: string;
  readonly default?: string;
  readonly required?: string;
  readonly deprecationMessage?: string;
}

export interface NodeRuns {
  readonly using: string;
  readonly main: string;
  readonly pre?: string;
  readonly post?: string;
  readonly preIf?: string;
  readonly postIf?: string;
}

export interface ActionManifest {
  readonly name: string;
  /** Absolute folder holding action.yml. */
  readonly dir: string;
  readonly file: string;
  readonly inputs: Readonly<Record<string, InputSpec>>;
  readonly outputs: readonly string[];
  readonly runs: NodeRuns;
}

export const SUPPORTED_RUNTIMES: readonly string[] = ['node24', 'node20'];

export function manifestFileIn(dir: string): string | undefined {
  for (const file of ['action.yml', 'action.yaml']) {
    const candidate = path.join(dir, file);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function loadManifest(dir: string): ActionManifest {
  const absolute = path.resolve(dir);
  const file = manifestFileIn(absolute);
  if (!file) throw new HarnessError(`No action.yml or action.yaml in ${absolute}`);
  return parseManifest(fs.readFileSync(file, 'utf8'), absolute, file);
}

export function parseManifest(
  text: string,
  dir: string,
  file = path.join(dir, 'action.yml'),
): ActionManifest {
  let doc: unknown;
  try {
    doc = parse(text, { schema: 'failsafe' });
  } catch (error) {
    throw new HarnessError(`${file} is not valid YAML: ${(error as Error).message}`);
  }
  if (!isRecord(doc)) throw new HarnessError(`${file} must be a YAML mapping`);
  const runs = doc['runs'];
  if (!isRecord(runs)) throw new HarnessError(`${file} has no 'runs' section`);
  const using = stringField(runs, 'using', file);
  if (!SUPPORTED_RUNTIMES.includes(using)) {
    throw new HarnessError(
      `${file}: runs.using is '${using}'; this harness runs JavaScript actions only ` +
        `(${SUPPORTED_RUNTIMES.join(' or ')}), always under Node 24`,
    );
  }
  return {
    name: typeof doc['name'] === 'string' ? doc['name'] : path.basename(dir),
    dir,
    file,
    inputs: readInputs(doc['inputs'], file),
    outputs: isRecord(doc['outputs']) ? Object.keys(doc['outputs']) : [],
    runs: {
      using,
      main: stringField(runs, 'main', file),
      ...optionalString(runs, 'pre', 'pre'),
      ...optionalString(runs, 'post', 'post'),
      ...optionalString(runs, 'pre-if', 'preIf'),
      ...optionalString(runs, 'post-if', 'postIf'),
    },
  };
}

function readInputs(section: unknown, file: string): Record<string, InputSpec> {
  if (section === undefined || section === '') return {};
  if (!isRecord(section)) throw new HarnessError(`${file}: 'inputs' must be a mapping`);
  const inputs: Record<string, InputSpec> = {};
  for (const [name, spec] of Object.entries(section)) {
    if (spec === '' || spec === undefined) {
      inputs[name] = {};
      continue;
    }
    if (!isRecord(spec)) throw new HarnessError(`${file}: input '${name}' must be a mapping`);
    inputs[name] = {
      ...optionalString(spec, 'description', 'description'),
      ...optionalString(spec, 'default', 'default'),
      ...optionalString(spec, 'required', 'required'),
      ...optionalString(spec, 'deprecationMessage', 'deprecationMessage'),
    };
  }
  return inputs;
}

function stringField(record: Record<string, unknown>, key: string, file: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value === '') throw new HarnessError(`${file}: runs.${key} is missing`);
  return value;
}

function optionalString<K extends string>(
  record: Record<string, unknown>,
  key: string,
  as: K,
): Partial<Record<K, string>> {
  const value = record[key];
  return typeof value === 'string' ? ({ [as]: value } as Partial<Record<K, string>>) : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
