import { chooseFault, FAULT_KINDS, isFaultKind, type FaultKind } from './faults';
import { createPrng, type Prng } from './prng';

export interface FaultSettings {
  /** Share of requests answered with a fault, 0..1. */
  readonly rate: number;
  readonly kinds: readonly FaultKind[];
  readonly seed: number;
}

export interface FaultStats {
  readonly requests: number;
  readonly forwarded: number;
  readonly faults: Readonly<Record<FaultKind, number>>;
}

function zeroFaults(): Record<FaultKind, number> {
  return { throttle: 0, 'internal-error': 0, unavailable: 0, drop: 0 };
}

/** Holds the settings, the seeded sequence of decisions and the counts; knows nothing about HTTP. */
export class FaultInjector {
  private settings: FaultSettings;
  private prng: Prng;
  private requests = 0;
  private forwarded = 0;
  private faults = zeroFaults();

  constructor(settings: Partial<FaultSettings> = {}) {
    this.settings = validateSettings({ rate: 0, kinds: FAULT_KINDS, seed: 1, ...settings });
    this.prng = createPrng(this.settings.seed);
  }

  /** The fault for the next request, or undefined to forward it; counts either way. */
  next(): FaultKind | undefined {
    this.requests += 1;
    const fault = chooseFault(this.prng, this.settings.rate, this.settings.kinds);
    if (fault) this.faults[fault] += 1;
    else this.forwarded += 1;
    return fault;
  }

  /** Changes settings at run time; a new seed restarts the sequence of decisions. */
  configure(changes: Partial<FaultSettings>): FaultSettings {
    const next = validateSettings({ ...this.settings, ...changes });
    if (changes.seed !== undefined) this.prng = createPrng(next.seed);
    this.settings = next;
    return next;
  }

  current(): FaultSettings {
    return this.settings;
  }

  stats(): FaultStats {
    return { requests: this.requests, forwarded: this.forwarded, faults: { ...this.faults } };
  }

  resetStats(): void {
    this.requests = 0;
    this.forwarded = 0;
    this.faults = zeroFaults();
  }
}

function validateSettings(settings: FaultSettings): FaultSettings {
  const { rate, kinds, seed } = settings;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new RangeError(`fault rate must be a number from 0 to 1, got ${String(rate)}`);
  }
  if (!Array.isArray(kinds) || !kinds.every(isFaultKind)) {
    throw new RangeError(
      `fault kinds must be a list of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(kinds)}`,
    );
  }
  if (!Number.isInteger(seed)) throw new RangeError(`fault seed must be an integer, got ${String(seed)}`);
  return Object.freeze({ rate, kinds: Object.freeze([...kinds]), seed });
}
