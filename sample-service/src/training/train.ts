import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  type FeatureSchema,
  type NumericFeature,
  SCHEMA_FILE,
  encodeRecords,
  encodedWidth,
} from '../features';
import { fileSaver } from '../model-files';
import { type ErrorMetrics, errorMetrics, meanAndStd } from './evaluation';
import {
  type InsuranceRow,
  NOISE_STD,
  REGIONS,
  SEXES,
  SMOKER,
  generateRows,
  seededRandom,
} from './synthetic';

export interface TrainingOptions {
  readonly outDir: string;
  readonly seed: number;
  readonly rows: number;
  readonly heldOutFraction: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
}

export const DEFAULT_TRAINING: Omit<TrainingOptions, 'outDir'> = {
  seed: 20240601,
  rows: 4000,
  heldOutFraction: 0.2,
  epochs: 60,
  batchSize: 64,
  learningRate: 0.01,
};

export interface TrainingReport {
  readonly trainRows: number;
  readonly heldOutRows: number;
  readonly epochs: number;
  readonly finalTrainLoss: number;
  /** The trained network on the held-out rows. */
  readonly heldOut: ErrorMetrics;
  /** Predicting the training mean for every held-out row: what "no model" scores. */
  readonly meanBaseline: ErrorMetrics;
  /** The generator's noise: no model can beat an RMSE of about this. */
  readonly noiseStd: number;
}

export const REPORT_FILE = 'training-report.json';

function numeric(name: string, kind: NumericFeature['kind'], min: number, max: number, values: number[]) {
  return { name, kind, min, max, ...meanAndStd(values) } satisfies NumericFeature;
}

/** Normalisation comes from the training split only, so the held-out score is honest. */
export function schemaFor(trainRows: readonly InsuranceRow[]): FeatureSchema {
  return {
    model: 'insurance-charges',
    version: '1',
    features: [
      numeric(
        'age',
        'integer',
        0,
        120,
        trainRows.map((r) => r.age),
      ),
      { name: 'sex', kind: 'category', categories: [...SEXES] },
      numeric(
        'bmi',
        'number',
        10,
        80,
        trainRows.map((r) => r.bmi),
      ),
      numeric(
        'children',
        'integer',
        0,
        20,
        trainRows.map((r) => r.children),
      ),
      { name: 'smoker', kind: 'category', categories: [...SMOKER] },
      { name: 'region', kind: 'category', categories: [...REGIONS] },
    ],
    output: { name: 'charges', unit: 'USD per year' },
  };
}

export function buildNetwork(inputWidth: number, seed: number): tf.Sequential {
  const model = tf.sequential({ name: 'insurance_charges' });
  model.add(
    tf.layers.dense({
      name: 'hidden_1',
      inputShape: [inputWidth],
      units: 32,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
    }),
  );
  model.add(
    tf.layers.dense({
      name: 'hidden_2',
      units: 16,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
    }),
  );
  model.add(
    tf.layers.dense({
      name: 'charges',
      units: 1,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
    }),
  );
  return model;
}

/**
 * The network learns standardised charges; afterwards the target scaling is folded into the last
 * layer (kernel·std, bias·std + mean) so the saved model answers in dollars on its own.
 */
function foldTargetScaling(model: tf.Sequential, target: { mean: number; std: number }): void {
  const last = model.layers[model.layers.length - 1];
  if (!last) throw new Error('model has no layers');
  const [kernel, bias] = last.getWeights();
  if (!kernel || !bias) throw new Error('last layer must have a kernel and a bias');
  const scaled = tf.tidy(() => [kernel.mul(target.std), bias.mul(target.std).add(target.mean)]);
  last.setWeights(scaled);
  scaled.forEach((tensor) => tensor.dispose());
}

function shuffledIndices(count: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

export async function train(
  options: TrainingOptions,
  log: (line: string) => void = () => {},
): Promise<TrainingReport> {
  // The cpu backend gives bit-identical results run to run, which keeps the committed model reproducible.
  await tf.setBackend('cpu');
  const rows = generateRows(options.rows, options.seed);
  const split = Math.round(rows.length * (1 - options.heldOutFraction));
  const trainRows = rows.slice(0, split);
  const heldOutRows = rows.slice(split);
  const schema = schemaFor(trainRows);
  const width = encodedWidth(schema);
  const target = meanAndStd(trainRows.map((r) => r.charges));

  const x = tf.tensor2d(encodeRecords(schema, trainRows), [trainRows.length, width]);
  const y = tf.tensor2d(
    trainRows.map((r) => (r.charges - target.mean) / target.std),
    [trainRows.length, 1],
  );
  const model = buildNetwork(width, options.seed);
  model.compile({ optimizer: tf.train.adam(options.learningRate), loss: 'meanSquaredError' });

  const random = seededRandom(options.seed + 1);
  let finalTrainLoss = Number.NaN;
  for (let epoch = 1; epoch <= options.epochs; epoch += 1) {
    const order = tf.tensor1d(shuffledIndices(trainRows.length, random), 'int32');
    const [xs, ys] = [x.gather(order), y.gather(order)];
    const history = await model.fit(xs, ys, {
      epochs: 1,
      batchSize: options.batchSize,
      shuffle: false,
      verbose: 0,
    });
    finalTrainLoss = Number(history.history['loss']?.[0]);
    tf.dispose([order, xs, ys]);
    if (epoch % 10 === 0) log(`epoch ${epoch}/${options.epochs}: training loss ${finalTrainLoss.toFixed(4)}`);
  }
  tf.dispose([x, y]);
  foldTargetScaling(model, target);

  const heldOutX = tf.tensor2d(encodeRecords(schema, heldOutRows), [heldOutRows.length, width]);
  const predicted = model.predict(heldOutX) as tf.Tensor;
  const actual = heldOutRows.map((r) => r.charges);
  const report: TrainingReport = {
    trainRows: trainRows.length,
    heldOutRows: heldOutRows.length,
    epochs: options.epochs,
    finalTrainLoss,
    heldOut: errorMetrics(actual, await predicted.data()),
    meanBaseline: errorMetrics(actual, new Float32Array(actual.length).fill(target.mean)),
    noiseStd: NOISE_STD,
  };
  tf.dispose([heldOutX, predicted]);

  await model.save(fileSaver(options.outDir));
  writeFileSync(join(options.outDir, SCHEMA_FILE), `${JSON.stringify(schema, null, 2)}\n`);
  writeFileSync(join(options.outDir, REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`);
  model.dispose();
  return report;
}
