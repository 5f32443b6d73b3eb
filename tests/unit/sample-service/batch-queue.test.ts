import { BatchQueue, type BatchTimer } from '../../../sample-service/src/batch-queue';

/** A timer the test fires by hand: nothing waits in real time. */
class ManualTimer implements BatchTimer {
  readonly scheduled: { callback: () => void; delayMs: number; cancelled: boolean }[] = [];

  schedule(callback: () => void, delayMs: number): () => void {
    const entry = { callback, delayMs, cancelled: false };
    this.scheduled.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }

  get pending() {
    return this.scheduled.filter((entry) => !entry.cancelled);
  }

  fire(): void {
    const due = this.pending;
    for (const entry of due) entry.cancelled = true;
    for (const entry of due) entry.callback();
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

function doubling(calls: number[][]) {
  return (inputs: readonly number[]) => {
    calls.push([...inputs]);
    return inputs.map((x) => x * 2);
  };
}

describe('BatchQueue', () => {
  it('holds rows until the delay passes, then runs them as one batch in submission order', async () => {
    const timer = new ManualTimer();
    const calls: number[][] = [];
    const queue = new BatchQueue({ maxBatchSize: 10, maxDelayMs: 5, run: doubling(calls), timer });
    const a = queue.submit([1, 2]);
    const b = queue.submit([3]);
    const c = queue.submit([4, 5, 6]);
    await settle();
    expect(calls).toEqual([]);
    expect(timer.pending).toHaveLength(1);
    expect(timer.pending[0]?.delayMs).toBe(5);
    timer.fire();
    await expect(Promise.all([a, b, c])).resolves.toEqual([[2, 4], [6], [8, 10, 12]]);
    expect(calls).toEqual([[1, 2, 3, 4, 5, 6]]);
  });

  it('runs at once when maxBatchSize rows are waiting, without the timer', async () => {
    const timer = new ManualTimer();
    const calls: number[][] = [];
    const queue = new BatchQueue({ maxBatchSize: 3, maxDelayMs: 1000, run: doubling(calls), timer });
    const a = queue.submit([1]);
    const b = queue.submit([2, 3]);
    await expect(Promise.all([a, b])).resolves.toEqual([[2], [4, 6]]);
    expect(calls).toEqual([[1, 2, 3]]);
    expect(timer.pending).toHaveLength(0);
  });

  it('splits waiting submissions into batches of at most maxBatchSize rows, keeping each submission whole', async () => {
    const timer = new ManualTimer();
    const calls: number[][] = [];
    const queue = new BatchQueue({ maxBatchSize: 4, maxDelayMs: 5, run: doubling(calls), timer });
    const results = [queue.submit([1, 2, 3]), queue.submit([4, 5]), queue.submit([6, 7, 8, 9, 10, 11])];
    await expect(Promise.all(results)).resolves.toEqual([
      [2, 4, 6],
      [8, 10],
      [12, 14, 16, 18, 20, 22],
    ]);
    // The oversized submission runs alone rather than being split across batches.
    expect(calls).toEqual([
      [1, 2, 3],
      [4, 5],
      [6, 7, 8, 9, 10, 11],
    ]);
  });

  it('runs one batch at a time; rows arriving meanwhile form the next batch', async () => {
    const timer = new ManualTimer();
    const calls: number[][] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const queue = new BatchQueue({
      maxBatchSize: 2,
      maxDelayMs: 5,
      run: async (inputs: readonly number[]) => {
        calls.push([...inputs]);
        await gate;
        return inputs.map((x) => -x);
      },
      timer,
    });
    const first = queue.submit([1, 2]);
    await settle();
    expect(queue.busy).toBe(true);
    const second = queue.submit([3, 4]);
    const third = queue.submit([5]);
    await settle();
    expect(calls).toEqual([[1, 2]]);
    expect(queue.queuedRows).toBe(3);
    release();
    await expect(Promise.all([first, second, third])).resolves.toEqual([[-1, -2], [-3, -4], [-5]]);
    expect(calls).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('rejects every caller in a batch when the runner fails, and keeps serving afterwards', async () => {
    const timer = new ManualTimer();
    let fail = true;
    const queue = new BatchQueue({
      maxBatchSize: 8,
      maxDelayMs: 5,
      run: (inputs: readonly number[]) => {
        if (fail) throw new Error('backend lost');
        return inputs;
      },
      timer,
    });
    const a = queue.submit([1]);
    const b = queue.submit([2]);
    timer.fire();
    await expect(a).rejects.toThrow('backend lost');
    await expect(b).rejects.toThrow('backend lost');
    fail = false;
    const c = queue.submit([3]);
    timer.fire();
    await expect(c).resolves.toEqual([3]);
  });

  it('rejects when the runner returns the wrong number of outputs', async () => {
    const timer = new ManualTimer();
    const queue = new BatchQueue({ maxBatchSize: 8, maxDelayMs: 5, run: () => [1], timer });
    const pending = queue.submit([1, 2]);
    timer.fire();
    await expect(pending).rejects.toThrow('returned 1 outputs for 2 inputs');
  });

  it('flush runs waiting rows immediately and cancels the timer', async () => {
    const timer = new ManualTimer();
    const calls: number[][] = [];
    const queue = new BatchQueue({ maxBatchSize: 8, maxDelayMs: 60_000, run: doubling(calls), timer });
    const pending = queue.submit([7]);
    queue.flush();
    await expect(pending).resolves.toEqual([14]);
    expect(timer.pending).toHaveLength(0);
  });

  it('answers an empty submission without running a batch', async () => {
    const calls: number[][] = [];
    const queue = new BatchQueue({
      maxBatchSize: 8,
      maxDelayMs: 5,
      run: doubling(calls),
      timer: new ManualTimer(),
    });
    await expect(queue.submit([])).resolves.toEqual([]);
    expect(calls).toEqual([]);
  });

  it('refuses a batch size below one', () => {
    expect(() => new BatchQueue({ maxBatchSize: 0, maxDelayMs: 1, run: () => [] })).toThrow(RangeError);
  });
});
