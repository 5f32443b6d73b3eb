/**
 * Time acceleration for an action's process, from the test side. runAction's `clockSpeed`
 * preloads this file (`node --require`) into each stage's Node process, so the bundle runs exactly
 * as it ships (the kit's systemClock, no variable it reads) while its time passes `speed` times
 * faster, as fast as the scenario simulator's: a 30-minute deploy deadline lasts 6 s at 300, and a
 * 15 s pause between polls 50 ms, instead of the action waiting in real time for a rollout the
 * simulator plays in a second.
 *
 * What runs faster: the time of the simulated world the action waits for.
 * - `Date.now()`, `new Date()` and `Date()` without arguments, and `performance.now()`: from the
 *   moment this is loaded (the process's start), `speed` ms pass per real ms. A Date built from a
 *   value, Date.parse and Date.UTC are untouched. So are the kit's deadlines (`timeout-minutes`),
 *   elapsed times in summaries, and the SDK's adaptive-retry rate limiter.
 * - `setTimeout`/`setInterval` delays (the globals and node:timers, and their promisified form):
 *   divided by `speed`. So are the kit's pauses between polls and the SDK's retry back-off.
 *
 * What stays real: the wire and the runner, which the local stack does not accelerate.
 * - `AbortSignal.timeout` (the kit's per-call deadlines, 30 s and 300 s) and socket idle timeouts
 *   (`socket.setTimeout`, the SDK's 10 s attempt limit): Node arms them with internal timers, and
 *   they are left alone on purpose. They bound how long a real server on loopback takes to answer,
 *   real milliseconds whatever the simulator's speed; scaled at 300, a transfer call would have
 *   1 s for an 8 MiB part through the fault proxy into moto on a loaded machine, and calls would
 *   fail with no fault injected. (A never-answering endpoint therefore holds a call for its real
 *   30 s: tests of that run at speed 1.)
 * - `process.hrtime` and TLS certificate validity (OpenSSL reads the system clock).
 * - Two setTimeout users do scale, unavoidably: the SDK's connect timeout (10 s, 33 ms at 300; a
 *   loopback connect takes well under 1 ms, and a spurious one is a TimeoutError the SDK retries),
 *   and the kit's cancel grace (5 s) while the harness's SIGINT → SIGTERM stays 7.5 s real, so a
 *   cancelled accelerated run has milliseconds to report: cancel tests run at real speed.
 *
 * SigV4 signatures are dated with the accelerated clock: the SDK signs at
 * `new Date(Date.now() + systemClockOffset)`. Real AWS refuses a request dated more than 15 minutes
 * from its own time (RequestTimeTooSkewed, "Signature not yet current"), which at 300 is three
 * real seconds into the run. The SDK mostly copes by itself (@aws-sdk/core's SigV4 signer): after
 * every answer carrying a `Date` header it sets `systemClockOffset` to the server's time minus its
 * own `Date.now()`, so the next signature is dated at the server's time plus the drift since that
 * answer (N - 1 times the real time elapsed), and it retries a skew error after that correction.
 * The local stack does not check signature dates at all (moto and the simulator accept a request
 * signed a day ahead: tests/integration/harness/accelerated-time.test.ts), so the tests depend on
 * none of this; this preload is for the local stack, never for real AWS.
 *
 * This file is loaded by Node itself (type stripping), not bundled: erasable TypeScript only, and
 * no imports but node: modules.
 */
import timers from 'node:timers';
import { promisify } from 'node:util';

/** setTimeout and setInterval as this module calls them: a callback, a delay, the callback's arguments. */
export type TimerFunction = (
  callback: (...args: never[]) => void,
  ms?: unknown,
  ...args: unknown[]
) => unknown;

export interface Timers {
  setTimeout: TimerFunction;
  setInterval: TimerFunction;
}

export interface Clocks {
  Date: DateConstructor;
  performance: { now(): number };
}

/** Refuses what is not a positive, finite speed (0, negative, NaN, Infinity). */
export function checkSpeed(speed: number): number {
  if (!(speed > 0) || !Number.isFinite(speed)) {
    throw new RangeError(`clock speed must be a positive finite number; got ${speed}`);
  }
  return speed;
}

/** A clock that reads `base` once as its origin, then runs `speed` times faster than `base`. */
export function acceleratedClock(speed: number, base: () => number): () => number {
  checkSpeed(speed);
  const origin = base();
  return () => origin + (base() - origin) * speed;
}

/**
 * A timer delay at `speed`. Node reads the delay as a number of milliseconds (`'600'` too);
 * anything it would treat as 1 ms (undefined, 0, negative, NaN) is passed on unchanged.
 */
export function scaledDelay(ms: unknown, speed: number): unknown {
  const value = Number(ms);
  return Number.isFinite(value) && value > 0 ? value / speed : ms;
}

/** A Date constructor on `Real` whose "now" (no arguments, `Date()`, `Date.now`) is `now`. */
export function acceleratedDate(Real: DateConstructor, now: () => number): DateConstructor {
  function AcceleratedDate(...args: unknown[]): unknown {
    if (new.target === undefined) return new Real(now()).toString();
    return Reflect.construct(Real, args.length === 0 ? [now()] : args, new.target);
  }
  // Statics (parse, UTC) come from Real; instances are Real's, so instanceof holds both ways.
  Object.setPrototypeOf(AcceleratedDate, Real);
  Object.defineProperties(AcceleratedDate, {
    prototype: { value: Real.prototype },
    length: { value: Real.length },
    name: { value: Real.name },
    now: { value: now, writable: true, configurable: true },
  });
  return AcceleratedDate as unknown as DateConstructor;
}

/** Date.now, new Date(), Date() and performance.now of `target` run `speed` times faster from now on. */
export function accelerateClocks(target: Clocks, speed: number): void {
  const realDate = target.Date;
  target.Date = acceleratedDate(realDate, acceleratedClock(speed, realDate.now.bind(realDate)));
  target.performance.now = acceleratedClock(speed, target.performance.now.bind(target.performance));
}

/** setTimeout and setInterval of `target` wait `speed` times less; what they return is unchanged. */
export function accelerateTimers(target: Timers, speed: number): void {
  checkSpeed(speed);
  target.setTimeout = acceleratedTimer(target.setTimeout, speed);
  target.setInterval = acceleratedTimer(target.setInterval, speed);
}

function acceleratedTimer(real: TimerFunction, speed: number): TimerFunction {
  const timer: TimerFunction = (callback, ms, ...args) => real(callback, scaledDelay(ms, speed), ...args);
  // util.promisify(setTimeout) uses the timer's own promise form, (ms, value, options).
  const promised = (real as { [promisify.custom]?: unknown })[promisify.custom];
  if (typeof promised === 'function') {
    Object.defineProperty(timer, promisify.custom, {
      value: (ms: unknown, ...rest: unknown[]): unknown =>
        (promised as (...args: unknown[]) => unknown)(scaledDelay(ms, speed), ...rest),
    });
  }
  return timer;
}

/** The whole process: the globals, and node:timers for code that imports its timers from there. */
export function accelerateProcess(speed: number): void {
  checkSpeed(speed);
  accelerateClocks(globalThis as unknown as Clocks, speed);
  accelerateTimers(globalThis as unknown as Timers, speed);
  // The module's exports object (a default import), which is mutable, unlike an ES namespace.
  accelerateTimers(timers as unknown as Timers, speed);
}

/** The preload's text: the one line `node --require` runs before the action's bundle. */
export function preloadSource(speed: number): string {
  checkSpeed(speed);
  return `require(${JSON.stringify(__filename)}).accelerateProcess(${speed});\n`;
}
