import { createInputReader, type Env, type InputReader } from '@deploy-suite/kit';
import { join } from 'node:path';
import { inputEnvName } from './harness/inputs';
import { loadManifest } from './harness/manifest';

/**
 * An input reader over literal inputs, named as in action.yml; `env` adds runner variables such as
 * GITHUB_WORKSPACE, which path inputs are confined to.
 */
export function inputsOf(inputs: Readonly<Record<string, string>>, env: Env = {}): InputReader {
  return createInputReader({
    ...env,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [inputEnvName(k), v])),
  });
}

/** The message of the error `work` throws; fails the test when it throws nothing. */
export function errorOf(work: () => unknown): string {
  try {
    work();
  } catch (err) {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
  throw new Error('expected an error, none was thrown');
}

/** The defaults action.yml gives its inputs, as the runner fills them in before the action reads any. */
export function actionDefaults(action: string): Record<string, string> {
  const { inputs } = loadManifest(join(__dirname, '..', '..', 'actions', action));
  return Object.fromEntries(
    Object.entries(inputs).flatMap(([name, spec]) =>
      spec.default === undefined ? [] : [[name, spec.default]],
    ),
  );
}
