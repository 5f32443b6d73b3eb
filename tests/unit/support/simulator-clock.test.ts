import { VirtualClock } from '../../support/simulator';

function fakeRealTime(start = 1_000_000): { now: () => number; pass: (ms: number) => void } {
  let now = start;
  return { now: () => now, pass: (ms) => void (now += ms) };
}

describe('VirtualClock', () => {
  it('starts at real time and runs at its speed', () => {
    const real = fakeRealTime();
    const clock = new VirtualClock({ speed: 60, realNow: real.now });
    expect(clock.now()).toBe(1_000_000);
    real.pass(1000);
    expect(clock.now()).toBe(1_000_000 + 60_000);
  });

  it('keeps the time already played when the speed changes', () => {
    const real = fakeRealTime();
    const clock = new VirtualClock({ speed: 10, start: 0, realNow: real.now });
    real.pass(1000);
    clock.setSpeed(1);
    real.pass(1000);
    expect(clock.now()).toBe(11_000);
  });

  it('jumps ahead on advance and keeps running from there', () => {
    const real = fakeRealTime();
    const clock = new VirtualClock({ speed: 2, start: 0, realNow: real.now });
    clock.advance(90_000);
    real.pass(500);
    expect(clock.now()).toBe(91_000);
  });

  it('goes back to real time and its first speed on reset', () => {
    const real = fakeRealTime();
    const clock = new VirtualClock({ speed: 5, realNow: real.now });
    clock.setSpeed(100);
    clock.advance(3_600_000);
    clock.reset();
    expect(clock.now()).toBe(real.now());
    expect(clock.speed).toBe(5);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects speed %d', (speed) => {
    expect(() => new VirtualClock({ speed })).toThrow(/positive number/);
  });

  it('never goes backwards', () => {
    expect(() => new VirtualClock().advance(-1)).toThrow(/0 or more/);
  });

  // speed, real ms passed, advance ms, real ms passed after → virtual ms played from a start of 0
  it.each([
    [1, 1000, 0, 0, 1000],
    [300, 1000, 0, 0, 300_000],
    [300, 0, 60_000, 1000, 360_000],
    [0.5, 2000, 0, 0, 1000],
    [120, 500, 0, 500, 120_000],
  ])(
    'at speed %d: %d ms real, advance %d, %d ms real plays %d virtual ms',
    (speed, before, jump, after, played) => {
      const real = fakeRealTime();
      const clock = new VirtualClock({ speed, start: 0, realNow: real.now });
      real.pass(before);
      clock.advance(jump);
      real.pass(after);
      expect(clock.now()).toBe(played);
    },
  );

  it('refuses a speed change to a non-positive speed and keeps its own', () => {
    const clock = new VirtualClock({ speed: 3 });
    expect(() => clock.setSpeed(0)).toThrow(/positive number/);
    expect(clock.speed).toBe(3);
  });
});
