import {
  chooseFault,
  createPrng,
  FAULT_KINDS,
  FaultInjector,
  type FaultKind,
} from '../../support/fault-proxy';

function decisions(
  seed: number,
  rate: number,
  kinds: readonly FaultKind[],
  count: number,
): (FaultKind | undefined)[] {
  const prng = createPrng(seed);
  return Array.from({ length: count }, () => chooseFault(prng, rate, kinds));
}

describe('chooseFault', () => {
  it('makes the same decisions for the same seed', () => {
    expect(decisions(42, 0.3, FAULT_KINDS, 200)).toEqual(decisions(42, 0.3, FAULT_KINDS, 200));
  });

  it('makes different decisions for another seed', () => {
    expect(decisions(42, 0.3, FAULT_KINDS, 200)).not.toEqual(decisions(43, 0.3, FAULT_KINDS, 200));
  });

  it.each([
    [0, 0],
    [1, 500],
  ])('at rate %d injects %d faults in 500 requests', (rate, expected) => {
    expect(decisions(7, rate, FAULT_KINDS, 500).filter(Boolean)).toHaveLength(expected);
  });

  it('injects close to the rate asked for', () => {
    const faults = decisions(7, 0.3, FAULT_KINDS, 2000).filter(Boolean).length;
    expect(faults / 2000).toBeGreaterThan(0.25);
    expect(faults / 2000).toBeLessThan(0.35);
  });

  it('picks only the kinds enabled, and each of them', () => {
    const chosen = new Set(decisions(3, 1, ['throttle', 'drop'], 200));
    expect(chosen).toEqual(new Set(['throttle', 'drop']));
  });

  it('injects nothing when no kind is enabled', () => {
    expect(decisions(3, 1, [], 50).filter(Boolean)).toHaveLength(0);
  });

  it('keeps the same requests faulty when only the kinds change', () => {
    const throttles = decisions(9, 0.5, ['throttle'], 100).map(Boolean);
    const drops = decisions(9, 0.5, ['drop'], 100).map(Boolean);
    expect(drops).toEqual(throttles);
  });
});

describe('FaultInjector', () => {
  it('counts requests, forwards and faults by kind', () => {
    const injector = new FaultInjector({ rate: 1, kinds: ['unavailable'], seed: 5 });
    injector.next();
    injector.configure({ rate: 0 });
    injector.next();
    expect(injector.stats()).toEqual({
      requests: 2,
      forwarded: 1,
      faults: {
        throttle: 0,
        'internal-error': 0,
        unavailable: 1,
        drop: 0,
        'lost-answer': 0,
        'never-answer': 0,
      },
      rules: [],
    });
    injector.resetStats();
    expect(injector.stats().requests).toBe(0);
  });

  it('restarts the sequence when given a seed again', () => {
    const injector = new FaultInjector({ rate: 0.5, seed: 11 });
    const first = Array.from({ length: 30 }, () => injector.next());
    injector.configure({ seed: 11 });
    expect(Array.from({ length: 30 }, () => injector.next())).toEqual(first);
  });

  it.each([
    [{ rate: 1.5 }, /rate must be a number from 0 to 1/],
    [{ rate: -0.1 }, /rate must be a number from 0 to 1/],
    [{ kinds: ['teapot'] as unknown as FaultKind[] }, /fault kinds must be a list of/],
    [{ seed: 1.5 }, /seed must be an integer/],
  ])('rejects %j', (settings, message) => {
    expect(() => new FaultInjector().configure(settings)).toThrow(message);
  });
});
