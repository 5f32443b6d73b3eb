import { FAULT_KINDS, isFaultKind, type FaultKind } from './faults';

/** What the proxy knows about a request when it decides; `operation` is absent when it cannot be told. */
export interface RequestFacts {
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  /** The SigV4 signing name (`ecs`, `elasticbeanstalk`, `s3`, `airflow`, `sts`, …). */
  readonly service?: string;
  /** JSON protocol: the part of `X-Amz-Target` after the dot; query protocol: the `Action`. */
  readonly operation?: string;
}

/** Every field given must equal the request's (method case-insensitively; `pathPrefix` as a prefix). */
export interface FaultMatch {
  readonly service?: string;
  readonly operation?: string;
  readonly method?: string;
  readonly pathPrefix?: string;
}

/**
 * A targeted fault: of the requests that match, let `after` through, then fault each with
 * probability `rate` (default 1) until `count` faults were injected (default: no limit).
 * `{ kind: 'lost-answer', match: { operation: 'UpdateEnvironment' }, count: 1 }` loses the answer of
 * the first UpdateEnvironment only.
 */
export interface FaultRule {
  readonly kind: FaultKind;
  readonly match?: FaultMatch;
  readonly after?: number;
  readonly count?: number;
  readonly rate?: number;
}

/** How far a rule got: requests it matched and faults it injected since it was set. */
export interface RuleProgress {
  readonly matched: number;
  readonly injected: number;
}

export function matchesRequest(match: FaultMatch | undefined, facts: RequestFacts): boolean {
  if (!match) return true;
  if (match.service !== undefined && match.service !== facts.service) return false;
  if (match.operation !== undefined && match.operation !== facts.operation) return false;
  if (match.method !== undefined && match.method.toUpperCase() !== facts.method.toUpperCase()) return false;
  return match.pathPrefix === undefined || facts.path.startsWith(match.pathPrefix);
}

/** Whether a rule faults the request it just matched, given what it did before and a draw in [0, 1). */
export function ruleFires(rule: FaultRule, progress: RuleProgress, draw: number): boolean {
  if (progress.matched < (rule.after ?? 0)) return false;
  if (rule.count !== undefined && progress.injected >= rule.count) return false;
  return draw < (rule.rate ?? 1);
}

/** True while the rule can still fault a request. */
export function ruleArmed(rule: FaultRule, progress: RuleProgress): boolean {
  return rule.count === undefined || progress.injected < rule.count;
}

const MATCH_FIELDS = ['service', 'operation', 'method', 'pathPrefix'] as const;
const RULE_FIELDS = ['kind', 'match', 'after', 'count', 'rate'] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// An unknown field (a typo such as `operaton`) would otherwise match every request.
function rejectUnknown(value: Record<string, unknown>, known: readonly string[], where: string): void {
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new RangeError(`${where} has unknown field ${unknown.join(', ')}; known: ${known.join(', ')}`);
  }
}

function validateMatch(value: unknown, where: string): FaultMatch {
  if (!isPlainObject(value)) throw new RangeError(`${where}.match must be an object`);
  rejectUnknown(value, MATCH_FIELDS, `${where}.match`);
  for (const field of MATCH_FIELDS) {
    const text = value[field];
    if (text !== undefined && (typeof text !== 'string' || text === '')) {
      throw new RangeError(`${where}.match.${field} must be a non-empty string`);
    }
  }
  return Object.freeze({ ...value }) as FaultMatch;
}

function validateCount(value: unknown, name: string): void {
  if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0)) {
    throw new RangeError(`${name} must be a whole number from 0, got ${JSON.stringify(value)}`);
  }
}

function validateRule(value: unknown, index: number): FaultRule {
  const where = `fault rule ${index}`;
  if (!isPlainObject(value)) throw new RangeError(`${where} must be an object`);
  rejectUnknown(value, RULE_FIELDS, where);
  if (!isFaultKind(value.kind)) {
    throw new RangeError(
      `${where}.kind must be one of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(value.kind)}`,
    );
  }
  validateCount(value.after, `${where}.after`);
  validateCount(value.count, `${where}.count`);
  const { rate } = value;
  if (rate !== undefined && !(typeof rate === 'number' && rate >= 0 && rate <= 1)) {
    throw new RangeError(`${where}.rate must be a number from 0 to 1, got ${JSON.stringify(rate)}`);
  }
  const match = value.match === undefined ? undefined : validateMatch(value.match, where);
  return Object.freeze({ ...value, ...(match && { match }) }) as FaultRule;
}

export function validateRules(value: unknown): readonly FaultRule[] {
  if (!Array.isArray(value)) throw new RangeError(`fault rules must be a list, got ${JSON.stringify(value)}`);
  return Object.freeze(value.map(validateRule));
}
