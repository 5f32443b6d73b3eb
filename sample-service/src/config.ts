import { resolve } from 'node:path';
import { type BackendName, parseBackendName } from './backend';

export interface ServiceConfig {
  readonly host: string;
  readonly port: number;
  readonly modelDir: string;
  /** Overrides the name in schema.json; the URL path segment clients use. */
  readonly modelName: string | undefined;
  readonly backend: BackendName | undefined;
  readonly maxBatchSize: number;
  readonly maxBatchDelayMs: number;
  readonly bodyLimitBytes: number;
  readonly shutdownTimeoutMs: number;
  readonly logLevel: string;
}

/** The model shipped in this package: ../model from both src/ (tsx, tests) and dist/. */
export const BUNDLED_MODEL_DIR = resolve(__dirname, '..', 'model');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}; got "${raw}"`);
  }
  return value;
}

/**
 * SageMaker tells a container which port to listen on through SAGEMAKER_BIND_TO_PORT (inference
 * pipelines, docs.aws.amazon.com/sagemaker/latest/dg/inference-pipeline-real-time.html); it wins
 * over PORT so the same image runs under ECS, Beanstalk and SageMaker. Both default to 8080, the
 * port SageMaker sends /ping and /invocations to.
 */
function listenPort(env: Env): number {
  const name = env['SAGEMAKER_BIND_TO_PORT']?.trim() ? 'SAGEMAKER_BIND_TO_PORT' : 'PORT';
  return integer(env, name, 8080, 0, 65535);
}

/**
 * The container's arguments. SageMaker runs the image as `docker run <image> serve`, replacing
 * CMD (docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html), so `serve`
 * and no argument both start the server; anything else is refused rather than ignored.
 */
export function readCommand(args: readonly string[]): 'serve' {
  if (args.length === 0 || (args.length === 1 && args[0] === 'serve')) return 'serve';
  throw new Error(`the only command is "serve" (or none); got "${args.join(' ')}"`);
}

/** Reads every setting from the environment; a bad value stops the start with a message naming it. */
export function readConfig(env: Env = process.env): ServiceConfig {
  const logLevel = env['LOG_LEVEL'] || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${logLevel}"`);
  }
  return {
    host: env['HOST'] || '0.0.0.0',
    port: listenPort(env),
    modelDir: resolve(env['MODEL_DIR'] || BUNDLED_MODEL_DIR),
    modelName: env['MODEL_NAME'] || undefined,
    backend: parseBackendName(env['TFJS_BACKEND']),
    maxBatchSize: integer(env, 'MAX_BATCH_SIZE', 64, 1, 65536),
    maxBatchDelayMs: integer(env, 'MAX_BATCH_DELAY_MS', 0, 0, 10000),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1048576, 1024, 1073741824),
    // ECS sends SIGKILL 30 s after SIGTERM by default (stopTimeout); finish well before that.
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 25000, 0, 600000),
    logLevel,
  };
}
