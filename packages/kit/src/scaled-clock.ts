import type { Env } from './inputs';
import { systemClock, type Clock } from './poll';

/**
 * Names a speed for the action's own clock. Only the local test stack sets it: its simulated
 * services play minutes of rollout per second, and an action polling and keeping deadlines in real
 * time would then see a 30-minute deploy as seconds and a deadline as half an hour.
 */
export const CLOCK_SPEED_VARIABLE = 'DEPLOY_SUITE_CLOCK_SPEED';

/** A clock whose time runs `speed` times faster than `base`: sleeps shrink and elapsed time grows alike. */
export function scaledClock(speed: number, base: Clock = systemClock): Clock {
  if (!(speed > 0) || !Number.isFinite(speed)) {
    throw new RangeError(`clock speed must be a positive number; got ${speed}`);
  }
  const origin = base.now();
  return Object.freeze({
    now: () => origin + (base.now() - origin) * speed,
    sleep: (ms: number) => base.sleep(ms / speed),
  });
}

/** The real clock, or a faster one when DEPLOY_SUITE_CLOCK_SPEED is set (local test stacks only). */
export function clockFromEnv(env: Env = process.env, base: Clock = systemClock): Clock {
  const raw = env[CLOCK_SPEED_VARIABLE]?.trim();
  if (!raw) return base;
  return scaledClock(Number(raw), base);
}
