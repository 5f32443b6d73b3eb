/** Schedules a callback; returns a function that cancels it. Injected so tests control time. */
export interface BatchTimer {
  schedule(callback: () => void, delayMs: number): () => void;
}

/** Zero delay means "after the I/O already read in this turn of the event loop" (setImmediate). */
export const realTimer: BatchTimer = {
  schedule(callback, delayMs) {
    if (delayMs <= 0) {
      const handle = setImmediate(callback);
      return () => clearImmediate(handle);
    }
    const handle = setTimeout(callback, delayMs);
    return () => clearTimeout(handle);
  },
};

/** Runs one batch: must return exactly one output per input, in order. */
export type BatchRunner<I, O> = (inputs: readonly I[]) => Promise<readonly O[]> | readonly O[];

export interface BatchQueueOptions<I, O> {
  readonly maxBatchSize: number;
  readonly maxDelayMs: number;
  readonly run: BatchRunner<I, O>;
  readonly timer?: BatchTimer;
}

interface Waiting<I, O> {
  readonly inputs: readonly I[];
  readonly resolve: (outputs: O[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Dynamic batching: rows submitted by concurrent callers are gathered until `maxBatchSize` rows
 * are waiting or the oldest has waited `maxDelayMs`, then run as one batch; each caller gets its
 * own rows' outputs back in order. One batch runs at a time, so while the model is busy the next
 * batch fills up. A single submission larger than `maxBatchSize` runs alone, never split.
 */
export class BatchQueue<I, O> {
  private readonly waiting: Waiting<I, O>[] = [];
  private waitingRows = 0;
  private cancelTimer: (() => void) | undefined;
  private due = false;
  private running = false;
  private readonly timer: BatchTimer;

  constructor(private readonly options: BatchQueueOptions<I, O>) {
    if (!Number.isInteger(options.maxBatchSize) || options.maxBatchSize < 1) {
      throw new RangeError(`maxBatchSize must be a positive integer; got ${options.maxBatchSize}`);
    }
    this.timer = options.timer ?? realTimer;
  }

  /** Rows waiting for a batch (not counting the batch running now). */
  get queuedRows(): number {
    return this.waitingRows;
  }

  get busy(): boolean {
    return this.running;
  }

  submit(inputs: readonly I[]): Promise<O[]> {
    if (inputs.length === 0) return Promise.resolve([]);
    return new Promise<O[]>((resolve, reject) => {
      this.waiting.push({ inputs, resolve, reject });
      this.waitingRows += inputs.length;
      if (this.waitingRows >= this.options.maxBatchSize) {
        this.markDue();
      } else if (!this.due && !this.cancelTimer) {
        this.cancelTimer = this.timer.schedule(() => {
          this.cancelTimer = undefined;
          this.markDue();
        }, this.options.maxDelayMs);
      }
    });
  }

  /** Runs everything waiting now without waiting out the delay (used when shutting down). */
  flush(): void {
    if (this.waiting.length > 0) this.markDue();
  }

  private markDue(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.due = true;
    this.runNext();
  }

  private runNext(): void {
    if (this.running || !this.due || this.waiting.length === 0) return;
    const batch = this.takeBatch();
    // Whatever is left was already due; it runs as soon as this batch is done.
    this.due = this.waiting.length > 0;
    this.running = true;
    void this.execute(batch).finally(() => {
      this.running = false;
      this.runNext();
    });
  }

  private takeBatch(): Waiting<I, O>[] {
    const batch: Waiting<I, O>[] = [];
    let rows = 0;
    while (this.waiting.length > 0) {
      const next = this.waiting[0] as Waiting<I, O>;
      if (batch.length > 0 && rows + next.inputs.length > this.options.maxBatchSize) break;
      this.waiting.shift();
      batch.push(next);
      rows += next.inputs.length;
    }
    this.waitingRows -= rows;
    return batch;
  }

  private async execute(batch: readonly Waiting<I, O>[]): Promise<void> {
    const inputs = batch.length === 1 ? (batch[0] as Waiting<I, O>).inputs : batch.flatMap((w) => w.inputs);
    try {
      const outputs = await this.options.run(inputs);
      if (outputs.length !== inputs.length) {
        throw new Error(`batch runner returned ${outputs.length} outputs for ${inputs.length} inputs`);
      }
      let start = 0;
      for (const waiting of batch) {
        waiting.resolve(outputs.slice(start, start + waiting.inputs.length));
        start += waiting.inputs.length;
      }
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}
