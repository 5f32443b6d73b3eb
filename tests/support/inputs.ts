import { createInputReader, inputEnvName, type InputReader } from '@deploy-suite/kit';

/** An input reader over literal inputs, named as in action.yml. */
export function inputsOf(inputs: Readonly<Record<string, string>>): InputReader {
  return createInputReader(Object.fromEntries(Object.entries(inputs).map(([k, v]) => [inputEnvName(k), v])));
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
