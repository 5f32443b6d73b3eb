import * as tf from '@tensorflow/tfjs';
import { readConfig } from '../../../sample-service/src/config';
import { type FeatureRecord, encodeRecords, readSchema } from '../../../sample-service/src/features';
import { type Service, type ServiceDependencies, startService } from '../../../sample-service/src/lifecycle';
import { fileLoader } from '../../../sample-service/src/model-files';
import { useBackend } from '../../../sample-service/src/model';
import { generateRows } from '../../../sample-service/src/training/synthetic';

/** Starts the real server on 127.0.0.1 and a free port; the caller must stop it. */
export async function startTestService(
  env: Record<string, string> = {},
  deps: ServiceDependencies = {},
): Promise<Service> {
  const config = readConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    TFJS_BACKEND: 'wasm',
    ...env,
  });
  return startService(config, { processMetrics: false, ...deps });
}

export const modelDir = readConfig({}).modelDir;

/** Rows the model never saw in training (another seed), features only. */
export function sampleRecords(count: number, seed = 99): FeatureRecord[] {
  return generateRows(count, seed).map(({ charges: _charges, ...features }) => features);
}

/** What the saved model itself says for these rows, without the server, batching or protocols. */
export async function referencePredictions(records: readonly FeatureRecord[]): Promise<number[]> {
  await useBackend('wasm');
  const schema = readSchema(modelDir);
  const model = await tf.loadLayersModel(fileLoader(modelDir));
  const input = tf.tensor2d(encodeRecords(schema, records), [records.length, model.inputs[0]?.shape[1] ?? 0]);
  const output = model.predict(input) as tf.Tensor;
  const values = Array.from(await output.data());
  tf.dispose([input, output]);
  model.dispose();
  return values;
}

/** float32 arithmetic: allow a relative difference of 1e-5 (under a cent on these charges). */
export function expectClose(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => {
    const reference = expected[i] as number;
    expect(Math.abs(value - reference)).toBeLessThanOrEqual(Math.abs(reference) * 1e-5);
  });
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function get(url: string) {
  const response = await fetch(url);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // metrics are plain text
  }
  return { status: response.status, body: body as Record<string, unknown> & string };
}

/** The v2 request for some records: one [N, 1] tensor per feature. */
export function v2Request(records: readonly FeatureRecord[]) {
  const types: Record<string, string> = {
    age: 'INT64',
    sex: 'BYTES',
    bmi: 'FP32',
    children: 'INT64',
    smoker: 'BYTES',
    region: 'BYTES',
  };
  return {
    id: 'req-1',
    inputs: Object.entries(types).map(([name, datatype]) => ({
      name,
      datatype,
      shape: [records.length, 1],
      data: records.map((record) => record[name]),
    })),
  };
}
