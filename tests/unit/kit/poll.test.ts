import { DeadlineExceeded, EventStream, waitFor, type Check } from '@deploy-suite/kit';
import { fakeClock } from '../../support/fakes';

const throttle = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

describe('waitFor', () => {
  test('returns as soon as the check is done, pausing the interval between checks', async () => {
    const clock = fakeClock();
    const answers: Check<string>[] = [{ done: false }, { done: false }, { done: true, value: 'stable' }];
    const value = await waitFor({
      what: 'x',
      timeoutMs: 60_000,
      intervalMs: 2_000,
      jitter: 0,
      clock,
      check: async () => answers.shift()!,
    });
    expect(value).toBe('stable');
    expect(clock.slept).toEqual([2_000, 2_000]);
  });

  test('backs off only on throttling, and returns to the interval after a good answer', async () => {
    const clock = fakeClock();
    const script: Array<() => Check<number>> = [
      () => {
        throw throttle();
      },
      () => {
        throw throttle();
      },
      () => ({ done: false }),
      () => ({ done: true, value: 1 }),
    ];
    await waitFor({
      what: 'x',
      timeoutMs: 600_000,
      intervalMs: 1_000,
      jitter: 0,
      clock,
      check: async () => script.shift()!(),
    });
    expect(clock.slept).toEqual([2_000, 4_000, 1_000]);
  });

  test('throttling back-off is capped', async () => {
    const clock = fakeClock();
    let calls = 0;
    await waitFor({
      what: 'x',
      timeoutMs: 600_000,
      intervalMs: 1_000,
      maxIntervalMs: 3_000,
      jitter: 0,
      clock,
      check: async () => {
        if (++calls < 4) throw throttle();
        return { done: true, value: 0 };
      },
    });
    expect(clock.slept).toEqual([2_000, 3_000, 3_000]);
  });

  test('other errors end the wait at once', async () => {
    const clock = fakeClock();
    await expect(
      waitFor({
        what: 'x',
        timeoutMs: 60_000,
        intervalMs: 1_000,
        clock,
        check: async () => {
          throw new Error('AccessDenied');
        },
      }),
    ).rejects.toThrow('AccessDenied');
    expect(clock.slept).toEqual([]);
  });

  test('the deadline fails with what was awaited, the last status, and the evidence', async () => {
    const clock = fakeClock();
    let n = 0;
    const wait = waitFor({
      what: 'service web to become stable',
      timeoutMs: 5 * 60_000,
      intervalMs: 60_000,
      jitter: 0,
      clock,
      check: async () => ({ done: false, status: `1/2 tasks running (poll ${++n})` }),
      evidence: () => ['(service web) has started 1 tasks'],
    });
    await expect(wait).rejects.toBeInstanceOf(DeadlineExceeded);
    await expect(wait).rejects.toMatchObject({
      message:
        'Timed out after 5 minutes waiting for service web to become stable; last seen: 1/2 tasks running (poll 6)',
      reasons: ['(service web) has started 1 tasks'],
    });
    expect(clock.now()).toBe(5 * 60_000);
  });

  test('the last pause is cut to the deadline, never past it', async () => {
    const clock = fakeClock();
    await expect(
      waitFor({
        what: 'x',
        timeoutMs: 2_500,
        intervalMs: 1_000,
        jitter: 0,
        clock,
        check: async () => ({ done: false }),
      }),
    ).rejects.toThrow(/Timed out/);
    expect(clock.slept).toEqual([1_000, 1_000, 500]);
  });

  test('jitter spreads pauses within the fraction', async () => {
    const clock = fakeClock();
    const randoms = [0, 1];
    let n = 0;
    await waitFor({
      what: 'x',
      timeoutMs: 60_000,
      intervalMs: 1_000,
      jitter: 0.2,
      random: () => randoms.shift()!,
      clock,
      check: async () => (++n === 3 ? { done: true, value: 0 } : { done: false }),
    });
    expect(clock.slept).toEqual([800, 1_200]);
  });
});

describe('EventStream', () => {
  interface Ev {
    id: string;
    at: number;
  }
  test('each event comes out once, oldest first, whatever order AWS lists them in', () => {
    const stream = new EventStream<Ev>(
      (e) => e.id,
      (e) => e.at,
    );
    expect(
      stream
        .add([
          { id: 'b', at: 2 },
          { id: 'a', at: 1 },
        ])
        .map((e) => e.id),
    ).toEqual(['a', 'b']);
    expect(
      stream
        .add([
          { id: 'c', at: 3 },
          { id: 'b', at: 2 },
          { id: 'a', at: 1 },
        ])
        .map((e) => e.id),
    ).toEqual(['c']);
    expect(stream.add([{ id: 'c', at: 3 }])).toEqual([]);
    expect(stream.history().map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(stream.last(2).map((e) => e.id)).toEqual(['b', 'c']);
  });
});
