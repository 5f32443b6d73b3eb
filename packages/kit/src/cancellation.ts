import { Cancelled } from './errors';

/**
 * The run's cancellation. GitHub cancels a step with SIGINT, then SIGTERM 7.5 s later, then kills
 * it (docs: "Canceling a workflow"; actions/runner: ProcessInvoker sends SIGINT, then SIGTERM after
 * 7.5 s). run() turns the first signal into an abort of this one controller, so every AWS call in
 * flight and every pause between polls ends at once, and no new call (a mutation above all) starts.
 * What the action had in flight is then reported by its ordinary failure path.
 */
const controller = new AbortController();

export const runSignal: AbortSignal = controller.signal;

/** Aborts the run with a Cancelled naming the signal; later calls change nothing. */
export function cancelRun(signal: string): void {
  if (!controller.signal.aborted) controller.abort(new Cancelled(signal));
}

/** The Cancelled the run was aborted with, to throw where work must stop. */
export function cancellationOf(signal: AbortSignal = runSignal): Cancelled {
  const reason: unknown = signal.reason;
  return reason instanceof Cancelled ? reason : new Cancelled('abort');
}

/** A pause that ends early, with Cancelled, when the run is cancelled. */
export function cancellableSleep(ms: number, signal: AbortSignal = runSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(cancellationOf(signal));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancellationOf(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
