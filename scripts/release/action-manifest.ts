import { parse } from 'yaml';

/** What action.yml promises: the interface users see and the files the runner executes. */
export interface ActionManifest {
  readonly inputs: ReadonlyArray<{
    name: string;
    description: string;
    required: boolean;
    default: string | undefined;
  }>;
  readonly outputs: ReadonlyArray<{ name: string; description: string }>;
  /** Files the runner executes (runs.pre/main/post), relative to the action's root. */
  readonly entryPoints: readonly string[];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

export function parseActionManifest(yml: string): ActionManifest {
  const doc = record(parse(yml));
  const inputs = Object.entries(record(doc['inputs'])).map(([name, raw]) => {
    const spec = record(raw);
    return {
      name,
      description: text(spec['description']),
      required: spec['required'] === true || spec['required'] === 'true',
      default: spec['default'] === undefined || spec['default'] === null ? undefined : text(spec['default']),
    };
  });
  const outputs = Object.entries(record(doc['outputs'])).map(([name, raw]) => ({
    name,
    description: text(record(raw)['description']),
  }));
  const runs = record(doc['runs']);
  const entryPoints = ['pre', 'main', 'post']
    .map((key) => runs[key])
    .filter((file): file is string => typeof file === 'string');
  return { inputs, outputs, entryPoints };
}
