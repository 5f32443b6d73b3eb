import * as tf from '@tensorflow/tfjs';
import { type BackendChoice, type BackendHost, type BackendName, selectBackend } from './backend';
import { fileLoader } from './model-files';

/** A loaded network: takes a row-major [rows, inputWidth] matrix, returns one output per row. */
export interface Predictor {
  readonly inputWidth: number;
  predict(matrix: Float32Array, rows: number): Promise<Float32Array>;
  dispose(): void;
}

/** Loads optional backend packages with a plain require, so a missing one is just an error. */
export const tfjsBackendHost: BackendHost = {
  load(packageName) {
    // A runtime name on purpose: these packages are optional and absent from most installs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(packageName);
  },
  activate(name) {
    return tf.setBackend(name);
  },
};

export function useBackend(
  requested: BackendName | undefined,
  host = tfjsBackendHost,
): Promise<BackendChoice> {
  return selectBackend(requested, host);
}

export async function loadPredictor(modelDir: string): Promise<Predictor> {
  const model = await tf.loadLayersModel(fileLoader(modelDir));
  const inputShape = model.inputs[0]?.shape;
  const inputWidth = inputShape?.[1];
  if (typeof inputWidth !== 'number' || model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error(`expected a model with one [batch, features] input and one output in ${modelDir}`);
  }
  return {
    inputWidth,
    async predict(matrix, rows) {
      const output = tf.tidy(() => model.predict(tf.tensor2d(matrix, [rows, inputWidth])) as tf.Tensor);
      try {
        return (await output.data()) as Float32Array;
      } finally {
        output.dispose();
      }
    },
    dispose() {
      model.dispose();
    },
  };
}

/**
 * Runs the shapes the batch queue will produce so the first real requests do not pay for kernel
 * set-up (on the GPU, CUDA initialisation takes seconds).
 */
export async function warmUp(predictor: Predictor, maxBatchSize: number): Promise<void> {
  for (const rows of new Set([1, Math.max(1, Math.ceil(maxBatchSize / 2)), maxBatchSize])) {
    for (let round = 0; round < 3; round += 1) {
      await predictor.predict(new Float32Array(rows * predictor.inputWidth), rows);
    }
  }
}
