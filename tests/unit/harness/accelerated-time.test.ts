import { promisify } from 'node:util';
import {
  accelerateClocks,
  acceleratedClock,
  accelerateTimers,
  checkSpeed,
  preloadSource,
  scaledDelay,
  type Clocks,
  type TimerFunction,
} from '../../support/harness/accelerated-time';

/** A base clock that moves only when the test says so: nothing here reads real time. */
function fakeBase(start: number): { now: () => number; advance: (ms: number) => void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

/** Date whose "now" is the fake base; dates built from a value are real Dates. */
function fakeClocks(base: () => number, perfBase: () => number): Clocks {
  class BaseDate extends Date {
    static override now(): number {
      return base();
    }
  }
  return { Date: BaseDate as DateConstructor, performance: { now: perfBase } };
}

describe('acceleratedClock', () => {
  it.each([
    // speed, real ms elapsed, accelerated ms elapsed
    [1, 1_000, 1_000],
    [300, 1_000, 300_000],
    [600, 100, 60_000],
    [0.5, 1_000, 500],
    [300, 0, 0],
  ])('at speed %p, %p real ms are %p ms', (speed, elapsed, expected) => {
    const base = fakeBase(1_700_000_000_000);
    const now = acceleratedClock(speed, base.now);
    base.advance(elapsed);
    expect(now() - 1_700_000_000_000).toBe(expected);
  });

  it('starts at the base time it was made at, not at zero', () => {
    const base = fakeBase(42_000);
    const now = acceleratedClock(300, base.now);
    expect(now()).toBe(42_000);
    base.advance(10);
    expect(now()).toBe(42_000 + 3_000);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses speed %p', (speed) => {
    expect(() => checkSpeed(speed)).toThrow(/clock speed must be a positive finite number/);
    expect(() => acceleratedClock(speed, () => 0)).toThrow(RangeError);
  });
});

describe('scaledDelay', () => {
  it.each<[unknown, number, unknown]>([
    [15_000, 300, 50],
    [20_000, 600, 20_000 / 600],
    [1, 1, 1],
    ['600', 300, 2],
    // What Node reads as 1 ms stays what it was.
    [0, 300, 0],
    [undefined, 300, undefined],
    [-5, 300, -5],
    [Number.NaN, 300, Number.NaN],
    ['soon', 300, 'soon'],
  ])('%p ms at speed %p waits %p', (ms, speed, expected) => {
    expect(scaledDelay(ms, speed)).toEqual(expected);
  });
});

describe('accelerateClocks', () => {
  const start = Date.UTC(2026, 0, 1);

  function accelerated(speed: number) {
    const base = fakeBase(start);
    const perf = fakeBase(1_234);
    const clocks = fakeClocks(base.now, perf.now);
    const original = clocks.Date;
    accelerateClocks(clocks, speed);
    return {
      clocks,
      original,
      advance: (ms: number) => {
        base.advance(ms);
        perf.advance(ms);
      },
    };
  }

  it('Date.now, new Date() and Date() run speed times faster from the moment of install', () => {
    const { clocks, advance } = accelerated(300);
    advance(2_000);
    const expected = start + 600_000;
    expect(clocks.Date.now()).toBe(expected);
    expect(new clocks.Date().getTime()).toBe(expected);
    expect(clocks.Date()).toBe(new Date(expected).toString());
  });

  it('performance.now runs speed times faster from its own reading at install', () => {
    const { clocks, advance } = accelerated(60);
    advance(500);
    expect(clocks.performance.now()).toBe(1_234 + 30_000);
  });

  it('leaves dates built from a value, parse and UTC as they are', () => {
    const { clocks, advance } = accelerated(300);
    advance(1_000);
    expect(new clocks.Date(0).getTime()).toBe(0);
    expect(new clocks.Date('2020-01-01T00:00:00Z').getTime()).toBe(Date.UTC(2020, 0, 1));
    expect(new clocks.Date(2020, 5, 1, 12).getTime()).toBe(new Date(2020, 5, 1, 12).getTime());
    expect(clocks.Date.parse('2020-01-01T00:00:00Z')).toBe(Date.UTC(2020, 0, 1));
    expect(clocks.Date.UTC(2021, 1, 3)).toBe(Date.UTC(2021, 1, 3));
  });

  it('makes ordinary Dates, so instanceof and subclasses behave', () => {
    const { clocks, original } = accelerated(300);
    const now = new clocks.Date();
    expect(now).toBeInstanceOf(Date);
    expect(now).toBeInstanceOf(clocks.Date);
    expect(new clocks.Date(5)).toBeInstanceOf(clocks.Date);
    expect(Object.prototype.toString.call(now)).toBe('[object Date]');
    class Stamp extends clocks.Date {}
    const stamp = new Stamp();
    expect(stamp).toBeInstanceOf(Stamp);
    expect(stamp.getTime()).toBe(start);
    // Named and shaped as the Date it replaces.
    expect(clocks.Date.name).toBe(original.name);
    expect(clocks.Date.length).toBe(original.length);
  });
});

describe('accelerateTimers', () => {
  interface Armed {
    callback: (...args: never[]) => void;
    ms: unknown;
    args: unknown[];
  }

  function fakeTimers() {
    const armed: Armed[] = [];
    const record =
      (token: string): TimerFunction =>
      (callback, ms, ...args) => {
        armed.push({ callback, ms, args });
        return `${token}-${armed.length}`;
      };
    return { armed, timers: { setTimeout: record('timeout'), setInterval: record('interval') } };
  }

  it('divides delays by the speed and passes the callback, its arguments and the handle through', () => {
    const { armed, timers } = fakeTimers();
    accelerateTimers(timers, 300);
    const callback = jest.fn();
    expect(timers.setTimeout(callback, 15_000, 'a', 2)).toBe('timeout-1');
    expect(timers.setInterval(callback, 600)).toBe('interval-2');
    expect(armed).toEqual([
      { callback, ms: 50, args: ['a', 2] },
      { callback, ms: 2, args: [] },
    ]);
  });

  it('scales the promisified form too, keeping its value and options', async () => {
    const calls: unknown[][] = [];
    const setTimeoutWithPromise = Object.assign(((): undefined => undefined) as TimerFunction, {
      [promisify.custom]: (...args: unknown[]) => {
        calls.push(args);
        return Promise.resolve(args[1]);
      },
    });
    const timers = { setTimeout: setTimeoutWithPromise, setInterval: setTimeoutWithPromise };
    accelerateTimers(timers, 100);
    const sleep = promisify(
      timers.setTimeout as unknown as (ms: number, cb: () => void) => void,
    ) as unknown as (ms: number, value: string, options: object) => Promise<string>;
    await expect(sleep(5_000, 'woke', { ref: false })).resolves.toBe('woke');
    expect(calls).toEqual([[50, 'woke', { ref: false }]]);
  });

  it('refuses a speed that is not positive', () => {
    expect(() => accelerateTimers(fakeTimers().timers, 0)).toThrow(RangeError);
  });
});

describe('preloadSource', () => {
  it('is one line requiring this module by absolute path with the speed', () => {
    const source = preloadSource(300);
    expect(source).toMatch(
      /^require\(".*\/tests\/support\/harness\/accelerated-time\.ts"\)\.accelerateProcess\(300\);\n$/,
    );
  });

  it('refuses a bad speed before anything is written', () => {
    expect(() => preloadSource(-1)).toThrow(RangeError);
  });
});
