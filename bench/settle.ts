/**
 * What the settle-to-end benches share: turning a moment of the simulator's virtual clock into the
 * real time it happened at, and printing one scenario's lags (each run's, their range and median,
 * against the target). Figures are printed, never asserted.
 */
import type { Stack } from '../tests/support/stack';

/**
 * Real time (ms since the epoch) at which the simulator's clock showed `virtualMs`: the clock runs
 * `speed` times faster than real time, so a virtual interval lasts that many times less.
 */
export async function realTimeOf(stack: Stack, virtualMs: number): Promise<number> {
  const realNow = Date.now();
  const clock = await stack.simulator.clock();
  return realNow - (clock.nowMs - virtualMs) / clock.speed;
}

/** One scenario's line: the range of its lags, their median, and the target they are held to. */
export function report(label: string, lags: readonly number[], target: number): void {
  const sorted = [...lags].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const range = `${(sorted[0] ?? 0).toFixed(2)}–${(sorted.at(-1) ?? 0).toFixed(2)} s`;
  console.log(
    `${label}: ${range}, median ${median.toFixed(2)} s, max ${(sorted.at(-1) ?? 0).toFixed(2)} s (target ≤ ${target} s)`,
  );
}
