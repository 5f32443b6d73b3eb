import type { BackendChoice } from './backend';
import { BatchQueue, type BatchTimer } from './batch-queue';
import { type FeatureRecord, type FeatureSchema, encodeRecord, encodedWidth } from './features';
import type { ServiceMetrics } from './metrics';
import type { Predictor } from './model';

export type Phase = 'loading' | 'ready' | 'failed' | 'draining';

/** Asked for a model that is not loaded yet (or is shutting down): 503, try again elsewhere. */
export class ModelNotReady extends Error {
  constructor(model: string, phase: Phase) {
    super(`model ${model} is not ready (${phase})`);
    this.name = 'ModelNotReady';
  }
}

export interface BatchingOptions {
  readonly maxBatchSize: number;
  readonly maxBatchDelayMs: number;
  readonly timer?: BatchTimer;
}

/**
 * The model as the protocol routes see it: its name, schema and state, and one way to predict
 * validated records, through the batch queue.
 */
export class ServingModel {
  readonly version = '1';
  readonly inputWidth: number;
  private currentPhase: Phase = 'loading';
  private choice: BackendChoice | undefined;
  private queue: BatchQueue<Float32Array, number> | undefined;
  private predictor: Predictor | undefined;

  constructor(
    readonly name: string,
    readonly schema: FeatureSchema,
    private readonly metrics: ServiceMetrics,
  ) {
    this.inputWidth = encodedWidth(schema);
    metrics.ready.set({ model: name }, 0);
  }

  get phase(): Phase {
    return this.currentPhase;
  }

  get ready(): boolean {
    return this.currentPhase === 'ready';
  }

  get backend(): BackendChoice | undefined {
    return this.choice;
  }

  /** Called once the predictor is loaded and warmed up; from then on the model is ready. */
  attach(predictor: Predictor, backend: BackendChoice, batching: BatchingOptions): void {
    if (predictor.inputWidth !== this.inputWidth) {
      throw new Error(
        `model takes ${predictor.inputWidth} input columns but schema.json encodes ${this.inputWidth}; ` +
          'were they trained together?',
      );
    }
    this.predictor = predictor;
    this.choice = backend;
    this.queue = new BatchQueue({
      maxBatchSize: batching.maxBatchSize,
      maxDelayMs: batching.maxBatchDelayMs,
      run: (rows) => this.runBatch(predictor, rows),
      ...(batching.timer ? { timer: batching.timer } : {}),
    });
    const queue = this.queue;
    this.metrics.queueDepth = () => queue.queuedRows;
    this.metrics.backend.set({ model: this.name, backend: backend.name, package: backend.package }, 1);
    this.metrics.ready.set({ model: this.name }, 1);
    this.currentPhase = 'ready';
  }

  markFailed(): void {
    this.currentPhase = 'failed';
  }

  /** Stops reporting ready; requests already accepted still get answers. */
  drain(): void {
    if (this.currentPhase === 'ready') this.currentPhase = 'draining';
    this.metrics.ready.set({ model: this.name }, 0);
    this.queue?.flush();
  }

  dispose(): void {
    this.predictor?.dispose();
  }

  async predict(records: readonly FeatureRecord[]): Promise<number[]> {
    if (!this.queue || (this.currentPhase !== 'ready' && this.currentPhase !== 'draining')) {
      throw new ModelNotReady(this.name, this.currentPhase);
    }
    const rows = records.map((record) => {
      const row = new Float32Array(this.inputWidth);
      encodeRecord(this.schema, record, row);
      return row;
    });
    return this.queue.submit(rows);
  }

  private async runBatch(predictor: Predictor, rows: readonly Float32Array[]): Promise<number[]> {
    const matrix = new Float32Array(rows.length * this.inputWidth);
    rows.forEach((row, i) => matrix.set(row, i * this.inputWidth));
    const stopTimer = this.metrics.batchDuration.startTimer();
    const output = await predictor.predict(matrix, rows.length);
    stopTimer();
    this.metrics.batchSize.observe(rows.length);
    this.metrics.rowsPredicted.inc(rows.length);
    return Array.from(output);
  }
}
