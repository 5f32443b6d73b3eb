export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Packages that provide the native `tensorflow` backend, GPU build first. */
export const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
export const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

export interface BackendChoice {
  readonly name: BackendName;
  /** The package that registered the backend (`@tensorflow/tfjs` for the built-in cpu one). */
  readonly package: string;
  /** Why each better backend was passed over, for the start-up log. */
  readonly skipped: readonly string[];
}

/** What selection needs from the outside world; injected so tests need no native modules. */
export interface BackendHost {
  /** Loads an optional package for its side effects; throws if it is not installed or fails. */
  load(packageName: string): void;
  /** Activates a registered backend; resolves false (or throws) when it cannot start. */
  activate(name: BackendName): Promise<boolean>;
}

export function parseBackendName(value: string | undefined): BackendName | undefined {
  if (value === undefined || value === '' || value === 'auto') return undefined;
  if ((BACKENDS as readonly string[]).includes(value)) return value as BackendName;
  throw new Error(`TFJS_BACKEND must be one of auto, ${BACKENDS.join(', ')}; got "${value}"`);
}

function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

async function tryBackend(name: BackendName, host: BackendHost): Promise<BackendChoice | string> {
  const candidates: readonly string[] =
    name === 'tensorflow' ? NATIVE_PACKAGES : name === 'wasm' ? [WASM_PACKAGE] : ['@tensorflow/tfjs'];
  const failures: string[] = [];
  for (const packageName of candidates) {
    try {
      if (name !== 'cpu') host.load(packageName);
      if (await host.activate(name)) return { name, package: packageName, skipped: [] };
      failures.push(`${packageName}: backend did not initialise`);
    } catch (error) {
      failures.push(`${packageName}: ${reason(error)}`);
    }
  }
  return `${name} unavailable (${failures.join('; ')})`;
}

/**
 * Picks the backend: the one requested (failing loudly if it cannot start, since an operator
 * who asked for the GPU must not silently get the CPU), else the best that starts of
 * tensorflow (tfjs-node-gpu, then tfjs-node), wasm, cpu.
 */
export async function selectBackend(
  requested: BackendName | undefined,
  host: BackendHost,
): Promise<BackendChoice> {
  const order = requested ? [requested] : BACKENDS;
  const skipped: string[] = [];
  for (const name of order) {
    const outcome = await tryBackend(name, host);
    if (typeof outcome !== 'string') return { ...outcome, skipped };
    skipped.push(outcome);
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.join('; ')}`);
}
