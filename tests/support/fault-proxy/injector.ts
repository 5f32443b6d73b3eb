import { chooseFault, DEFAULT_FAULT_KINDS, FAULT_KINDS, isFaultKind, type FaultKind } from './faults';
import { createPrng, type Prng } from './prng';
import {
  matchesRequest,
  ruleArmed,
  ruleFires,
  validateRules,
  type FaultRule,
  type RequestFacts,
  type RuleProgress,
} from './rules';

export interface FaultSettings {
  /** Share of requests answered with a fault, 0..1. */
  readonly rate: number;
  /** The kinds `rate` picks from; default DEFAULT_FAULT_KINDS (not lost-answer, never-answer). */
  readonly kinds: readonly FaultKind[];
  readonly seed: number;
  /** Targeted faults, tried in order before `rate`; the first that fires decides. */
  readonly rules: readonly FaultRule[];
}

export interface FaultStats {
  readonly requests: number;
  /** Requests passed to the upstream and answered by it (lost-answer ones are counted as faults). */
  readonly forwarded: number;
  readonly faults: Readonly<Record<FaultKind, number>>;
  /**
   * One entry per rule, in order: requests matched while it was armed and faults injected. Kept by
   * resetStats (it is how far `after` and `count` got); new rules start from zero.
   */
  readonly rules: readonly RuleProgress[];
}

function zeroFaults(): Record<FaultKind, number> {
  return Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
}

// Rules draw from their own sequence so adding one does not move the random faults of `rate`.
const RULE_SEED_OFFSET = 0x5bd1e995;

/** Holds the settings, the seeded sequence of decisions and the counts; knows nothing about HTTP. */
export class FaultInjector {
  private settings: FaultSettings;
  private prng: Prng;
  private rulePrng: Prng;
  private progress: RuleProgress[];
  private requests = 0;
  private forwarded = 0;
  private faults = zeroFaults();

  constructor(settings: Partial<FaultSettings> = {}) {
    this.settings = validateSettings({
      rate: 0,
      kinds: DEFAULT_FAULT_KINDS,
      seed: 1,
      rules: [],
      ...settings,
    });
    this.prng = createPrng(this.settings.seed);
    this.rulePrng = createPrng(this.settings.seed + RULE_SEED_OFFSET);
    this.progress = this.settings.rules.map(() => ({ matched: 0, injected: 0 }));
  }

  /**
   * The fault for the next request, or undefined to forward it; counts either way. Without facts only
   * rules that match every request apply.
   */
  next(facts: RequestFacts = { method: 'GET', path: '/' }): FaultKind | undefined {
    this.requests += 1;
    const random = chooseFault(this.prng, this.settings.rate, this.settings.kinds);
    const fault = this.targetedFault(facts) ?? random;
    if (fault) this.faults[fault] += 1;
    else this.forwarded += 1;
    return fault;
  }

  /** Whether an armed rule names an operation, so a query-protocol body must be read to decide. */
  wantsOperation(): boolean {
    return this.settings.rules.some(
      (rule, i) => rule.match?.operation !== undefined && ruleArmed(rule, this.progress[i] ?? ZERO),
    );
  }

  /** Changes settings at run time; a new seed restarts the sequences, new rules start from zero. */
  configure(changes: Partial<FaultSettings>): FaultSettings {
    const next = validateSettings({ ...this.settings, ...changes });
    if (changes.seed !== undefined) this.prng = createPrng(next.seed);
    if (changes.seed !== undefined || changes.rules !== undefined) {
      this.rulePrng = createPrng(next.seed + RULE_SEED_OFFSET);
    }
    if (changes.rules !== undefined) this.progress = next.rules.map(() => ({ matched: 0, injected: 0 }));
    this.settings = next;
    return next;
  }

  current(): FaultSettings {
    return this.settings;
  }

  stats(): FaultStats {
    return {
      requests: this.requests,
      forwarded: this.forwarded,
      faults: { ...this.faults },
      rules: this.progress.map((p) => ({ ...p })),
    };
  }

  resetStats(): void {
    this.requests = 0;
    this.forwarded = 0;
    this.faults = zeroFaults();
  }

  private targetedFault(facts: RequestFacts): FaultKind | undefined {
    let fired: FaultKind | undefined;
    this.settings.rules.forEach((rule, i) => {
      const progress = this.progress[i] ?? ZERO;
      // A spent rule stops counting: once none needs the operation, form bodies are no longer read.
      if (!ruleArmed(rule, progress) || !matchesRequest(rule.match, facts)) return;
      const fires = ruleFires(rule, progress, this.rulePrng());
      // Every matching rule counts the request; only the first that fires injects.
      const injected = fired === undefined && fires;
      if (injected) fired = rule.kind;
      this.progress[i] = { matched: progress.matched + 1, injected: progress.injected + (injected ? 1 : 0) };
    });
    return fired;
  }
}

const ZERO: RuleProgress = { matched: 0, injected: 0 };

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
  const rules = validateRules(settings.rules);
  return Object.freeze({ rate, kinds: Object.freeze([...kinds]), seed, rules });
}
