/**
 * Writes actions/deploy-ecs/src/register-task-definition-model.generated.ts,
 * run-task-model.generated.ts and service-volume-model.generated.ts: the shapes of AWS's own ECS API model (botocore's service-2.json,
 * which AWS publishes and the AWS CLI validates against) that RegisterTaskDefinition and RunTask
 * take, so deploy-ecs checks a task definition, and run-task's overrides, capacity provider strategy
 * and tags, against the model rather than a hand-typed copy of it.
 *
 *   npx tsx scripts/generate-ecs-model.ts           regenerate from the botocore python3 imports
 *   npx tsx scripts/generate-ecs-model.ts --check   exit 1 when the checked-in file differs
 *
 * BOTOCORE_DATA=<botocore>/data points at another botocore checkout.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const SOURCE_DIR = join(__dirname, '..', 'actions', 'deploy-ecs', 'src');
export const GENERATED_FILE = join(SOURCE_DIR, 'register-task-definition-model.generated.ts');
const API_VERSION = '2014-11-13';
const ROOT = 'RegisterTaskDefinitionRequest';

/** One generated module: the request shape it starts from, and the constant it exports. */
interface Target {
  file: string;
  root: string;
  constant: string;
  /** What the module's header says it holds. */
  holds: string;
}

export const TARGETS: readonly Target[] = [
  {
    file: GENERATED_FILE,
    root: ROOT,
    constant: 'REGISTER_TASK_DEFINITION_MODEL',
    holds: 'the shapes RegisterTaskDefinition',
  },
  {
    file: join(SOURCE_DIR, 'run-task-model.generated.ts'),
    root: 'RunTaskRequest',
    constant: 'RUN_TASK_MODEL',
    holds: 'the shapes RunTask',
  },
  {
    file: join(SOURCE_DIR, 'service-volume-model.generated.ts'),
    root: 'ServiceVolumeConfigurations',
    constant: 'SERVICE_VOLUME_MODEL',
    holds: "the shapes UpdateService's volumeConfigurations",
  },
];

interface BotocoreShape {
  type: string;
  members?: Record<string, { shape: string; locationName?: string }>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  enum?: string[];
  min?: number;
  max?: number;
}
interface BotocoreModel {
  metadata: { apiVersion: string; serviceId: string; protocol: string };
  shapes: Record<string, BotocoreShape>;
}

export interface BotocoreSource {
  version: string;
  modelPath: string;
}

/** Where the python3 botocore (the AWS CLI's model) is, and its version; undefined when absent. */
export function findBotocore(): BotocoreSource | undefined {
  try {
    const [version, dir] = JSON.parse(
      execFileSync(
        'python3',
        [
          '-c',
          'import botocore,os,json;print(json.dumps([botocore.__version__, os.path.dirname(botocore.__file__)]))',
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      ),
    ) as [string, string];
    const data = process.env.BOTOCORE_DATA ?? join(dir, 'data');
    const modelPath = join(data, 'ecs', API_VERSION, 'service-2.json.gz');
    return existsSync(modelPath) ? { version, modelPath } : undefined;
  } catch {
    return undefined;
  }
}

/** The shapes reachable from `root`, in the compact form deploy-ecs reads. */
export function extractModel(
  model: BotocoreModel,
  root = ROOT,
): {
  readOnlyTaskDefinitionFields?: string[];
  shapes: Record<string, object>;
} {
  const reached = new Set<string>();
  const visit = (name: string): void => {
    if (reached.has(name)) return;
    const shape = model.shapes[name];
    if (shape === undefined) throw new Error(`the model has no shape ${name}`);
    reached.add(name);
    for (const ref of [shape.member, shape.key, shape.value, ...Object.values(shape.members ?? {})]) {
      if (ref !== undefined) visit(ref.shape);
    }
  };
  visit(root);
  // The JSON protocols send a member under its locationName when it has one; none here do, which
  // makes the member names the file's keys. Refuse to generate a model where that stops holding.
  for (const name of reached) {
    for (const [member, ref] of Object.entries(model.shapes[name]?.members ?? {})) {
      if (ref.locationName !== undefined) throw new Error(`${name}.${member} is sent as ${ref.locationName}`);
    }
  }
  const shapes: Record<string, object> = {};
  for (const name of [...reached].sort()) shapes[name] = compact(model.shapes[name] as BotocoreShape);
  if (root !== ROOT) return { shapes };
  // What DescribeTaskDefinition answers and RegisterTaskDefinition does not take: ECS fills these in.
  const request = new Set(Object.keys(model.shapes[ROOT]?.members ?? {}));
  const readOnlyTaskDefinitionFields = Object.keys(model.shapes.TaskDefinition?.members ?? {}).filter(
    (name) => !request.has(name),
  );
  return { readOnlyTaskDefinitionFields, shapes };
}

function compact(shape: BotocoreShape): object {
  const bounds = {
    ...(shape.min !== undefined && { min: shape.min }),
    ...(shape.max !== undefined && { max: shape.max }),
  };
  switch (shape.type) {
    case 'structure':
      return {
        type: 'structure',
        members: Object.fromEntries(Object.entries(shape.members ?? {}).map(([k, v]) => [k, v.shape])),
        ...(shape.required && shape.required.length > 0 && { required: shape.required }),
      };
    case 'list':
      return { type: 'list', member: shape.member?.shape, ...bounds };
    case 'map':
      return { type: 'map', key: shape.key?.shape, value: shape.value?.shape, ...bounds };
    case 'string':
      return { type: 'string', ...(shape.enum && { enum: shape.enum }), ...bounds };
    default:
      return { type: shape.type, ...bounds };
  }
}

/** The generated module's text, formatted as the repository's prettier would leave it. */
export async function generate(
  source: BotocoreSource,
  target: Target = TARGETS[0] as Target,
): Promise<string> {
  const model = JSON.parse(gunzipSync(readFileSync(source.modelPath)).toString('utf8')) as BotocoreModel;
  if (model.metadata.protocol !== 'json') {
    // awsJson1_1 sends members under their model names, so the model's names are the JSON keys.
    throw new Error(`expected the ECS model to use the json protocol, found ${model.metadata.protocol}`);
  }
  const extracted = extractModel(model, target.root);
  const body = {
    source: `botocore ${source.version}, data/ecs/${model.metadata.apiVersion}/service-2.json.gz`,
    root: target.root,
    ...extracted,
  };
  const text = [
    `// Generated by scripts/generate-ecs-model.ts from AWS's ECS API model as botocore ${source.version}`,
    `// ships it (data/ecs/${model.metadata.apiVersion}/service-2.json.gz): ${target.holds}`,
    '// takes. Do not edit; regenerate with `npx tsx scripts/generate-ecs-model.ts`.',
    "import type { EcsModel } from './ecs-model';",
    '',
    `export const ${target.constant}: EcsModel = ${JSON.stringify(body)};`,
    '',
  ].join('\n');
  // Loaded here, not at the top: importing this module (the unit test does) needs no prettier.
  const { format, resolveConfig } = await import('prettier');
  const config = await resolveConfig(target.file);
  return format(text, { ...config, filepath: target.file });
}

async function main(): Promise<void> {
  const source = findBotocore();
  if (source === undefined) {
    console.error('botocore is not importable by python3 (pip install botocore), or has no ECS model');
    process.exit(2);
  }
  const check = process.argv.includes('--check');
  for (const target of TARGETS) {
    const text = await generate(source, target);
    if (!check) {
      writeFileSync(target.file, text);
      console.log(`wrote ${target.file} from botocore ${source.version}`);
      continue;
    }
    const current = existsSync(target.file) ? readFileSync(target.file, 'utf8') : '';
    if (current !== text) {
      console.error(
        `${target.file} is not what botocore ${source.version} generates; run scripts/generate-ecs-model.ts`,
      );
      process.exit(1);
    }
  }
  if (check) console.log(`ECS models up to date with botocore ${source.version}`);
}

if (require.main === module) void main();
