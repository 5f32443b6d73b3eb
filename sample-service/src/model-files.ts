import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { io } from '@tensorflow/tfjs';

/**
 * Reads and writes the standard `model.json` + binary weights layout on the local file system.
 * The pure-JS `@tensorflow/tfjs` package has no `file://` handler (only `tfjs-node` does), and the
 * service must load the same files whichever backend runs them.
 */
export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

function toArrayBuffer(buffer: Buffer): ArrayBuffer {
  const copy = new ArrayBuffer(buffer.byteLength);
  new Uint8Array(copy).set(buffer);
  return copy;
}

function joinWeights(data: io.WeightData): Uint8Array {
  const parts = Array.isArray(data) ? data : [data];
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  return joined;
}

export function fileLoader(modelDir: string): io.IOHandler {
  return {
    async load(): Promise<io.ModelArtifacts> {
      const modelJson = JSON.parse(readFileSync(join(modelDir, MODEL_FILE), 'utf8')) as io.ModelJSON;
      const weightSpecs: io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of modelJson.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const path of group.paths) buffers.push(readFileSync(join(modelDir, path)));
      }
      const artifacts: io.ModelArtifacts = {
        modelTopology: modelJson.modelTopology,
        weightSpecs,
        weightData: toArrayBuffer(Buffer.concat(buffers)),
      };
      if (modelJson.format !== undefined) artifacts.format = modelJson.format;
      if (modelJson.generatedBy !== undefined) artifacts.generatedBy = modelJson.generatedBy;
      if (modelJson.convertedBy !== undefined) artifacts.convertedBy = modelJson.convertedBy;
      return artifacts;
    },
  };
}

export function fileSaver(modelDir: string): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      if (!artifacts.weightSpecs || !artifacts.weightData || !artifacts.modelTopology) {
        throw new Error('model artifacts are missing topology or weights');
      }
      const weights = joinWeights(artifacts.weightData);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
      };
      const modelPath = join(modelDir, MODEL_FILE);
      mkdirSync(dirname(modelPath), { recursive: true });
      writeFileSync(modelPath, `${JSON.stringify(modelJson, null, 1)}\n`);
      writeFileSync(join(modelDir, WEIGHTS_FILE), weights);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(0),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.byteLength,
        },
      };
    },
  };
}
