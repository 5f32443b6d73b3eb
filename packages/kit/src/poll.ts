import { cancellableSleep } from './cancellation';
import { DeadlineExceeded, isThrottling } from './errors';

/** Time as a port: tests pass a fake that advances instantly, so no test waits in real time. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Real time; a pause ends early with Cancelled when the runner cancels the step. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  sleep: (ms: number) => cancellableSleep(ms),
});

export type Check<T> =
  | { done: true; value: T }
  | {
      done: false;
      /** What the resource is doing now; quoted when the deadline is reached. */
      status?: string;
    };

export interface WaitOptions<T> {
  /** What is awaited, for the deadline message: `service web to become stable`. */
  what: string;
  timeoutMs: number;
  /** Pause between checks while nothing is wrong. */
  intervalMs: number;
  /** Ceiling for the pause after throttling doubles it. */
  maxIntervalMs?: number;
  /** ± fraction of each pause, so parallel jobs do not poll in lock-step. */
  jitter?: number;
  clock: Clock;
  random?: () => number;
  check: (attempt: number) => Promise<Check<T>>;
  /** Extra evidence for the deadline error (e.g. the last events). */
  evidence?: () => readonly string[];
}

/**
 * Checks until done or the deadline. The pause stays short while calls succeed, so a job ends
 * within one interval of the outcome; only throttling backs off (doubling, capped), and a
 * successful check brings the pace back. Errors other than throttling end the wait.
 */
export async function waitFor<T>(options: WaitOptions<T>): Promise<T> {
  const { clock, intervalMs } = options;
  const maxInterval = options.maxIntervalMs ?? Math.max(intervalMs * 8, 30_000);
  const jitter = options.jitter ?? 0.1;
  const random = options.random ?? Math.random;
  const deadline = clock.now() + options.timeoutMs;
  let pause = intervalMs;
  let status: string | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await options.check(attempt);
      if (result.done) return result.value;
      status = result.status ?? status;
      pause = intervalMs;
    } catch (err) {
      if (!isThrottling(err)) throw err;
      status = status ?? 'throttled';
      pause = Math.min(pause * 2, maxInterval);
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      throw new DeadlineExceeded(
        options.what,
        options.timeoutMs / 60_000,
        status,
        options.evidence?.() ?? [],
      );
    }
    const jittered = pause * (1 + jitter * (2 * random() - 1));
    await clock.sleep(Math.max(0, Math.min(jittered, remaining)));
  }
}

/**
 * Remembers which events were printed, so each AWS event is shown once however often it is read
 * back. AWS lists newest first; events come out oldest first.
 */
export class EventStream<E> {
  private readonly seen = new Set<string>();
  private readonly all: E[] = [];

  constructor(
    private readonly key: (event: E) => string,
    private readonly at: (event: E) => number,
  ) {}

  /** The events not seen before, oldest first. */
  add(events: readonly E[]): E[] {
    const fresh = events.filter((event) => {
      const k = this.key(event);
      if (this.seen.has(k)) return false;
      this.seen.add(k);
      return true;
    });
    fresh.sort((a, b) => this.at(a) - this.at(b));
    this.all.push(...fresh);
    return fresh;
  }

  /** Every event seen so far, oldest first. */
  history(): readonly E[] {
    return this.all;
  }

  /** The newest `count` events. */
  last(count: number): E[] {
    return this.all.slice(-count);
  }
}
