import { resolve } from 'node:path';
import { DEFAULT_TRAINING, train } from './train';

/** `npm run train`: regenerates the synthetic data, trains, evaluates and writes ../../model. */
async function main(): Promise<void> {
  const outDir = resolve(process.env['MODEL_DIR'] ?? resolve(__dirname, '..', '..', 'model'));
  const started = Date.now();
  const report = await train({ ...DEFAULT_TRAINING, outDir }, (line) => console.log(line));
  const dollars = (value: number) => `$${Math.round(value).toLocaleString('en-US')}`;
  console.log(`trained on ${report.trainRows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(
    `held-out (${report.heldOutRows} rows): MAE ${dollars(report.heldOut.mae)}, RMSE ${dollars(report.heldOut.rmse)}, ` +
      `R² ${report.heldOut.r2.toFixed(3)}`,
  );
  console.log(
    `for scale: predicting the mean gives MAE ${dollars(report.meanBaseline.mae)}, RMSE ${dollars(report.meanBaseline.rmse)}; ` +
      `the generator's noise alone is RMSE ≈ ${dollars(report.noiseStd)}`,
  );
  console.log(`model, weights and schema written to ${outDir}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
