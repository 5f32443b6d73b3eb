import { clockFromEnv, fakeClock, scaledClock } from '@deploy-suite/kit';

test('a scaled clock sleeps a fraction of the time and reports the elapsed time multiplied', async () => {
  const base = fakeClock(1_000);
  const clock = scaledClock(300, base);
  await clock.sleep(15_000);
  expect(base.slept).toEqual([50]);
  expect(clock.now()).toBe(1_000 + 15_000);
});

test('without the variable the base clock is used unchanged', () => {
  const base = fakeClock(5);
  expect(clockFromEnv({}, base)).toBe(base);
  expect(clockFromEnv({ DEPLOY_SUITE_CLOCK_SPEED: ' ' }, base)).toBe(base);
});

test('the variable sets the speed', async () => {
  const base = fakeClock(0);
  const clock = clockFromEnv({ DEPLOY_SUITE_CLOCK_SPEED: '60' }, base);
  await clock.sleep(60_000);
  expect(base.slept).toEqual([1_000]);
});

test.each(['0', '-1', 'fast', 'Infinity'])('speed %p is refused', (speed) => {
  expect(() => clockFromEnv({ DEPLOY_SUITE_CLOCK_SPEED: speed }, fakeClock())).toThrow(
    'clock speed must be a positive number',
  );
});
