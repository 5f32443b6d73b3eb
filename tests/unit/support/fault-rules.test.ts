import {
  DEFAULT_FAULT_KINDS,
  FaultInjector,
  matchesRequest,
  operationName,
  ruleFires,
  validateRules,
  type FaultKind,
  type FaultMatch,
  type FaultRule,
  type RequestFacts,
} from '../../support/fault-proxy';

const ecs = (operation: string): RequestFacts => ({ method: 'POST', path: '/', service: 'ecs', operation });
const eb = (operation: string): RequestFacts => ({
  method: 'POST',
  path: '/',
  service: 'elasticbeanstalk',
  operation,
});
const mwaaPatch: RequestFacts = { method: 'PATCH', path: '/environments/airflow-prod', service: 'airflow' };

describe('matchesRequest', () => {
  it.each<[string, FaultMatch | undefined, RequestFacts, boolean]>([
    ['no filter matches anything', undefined, mwaaPatch, true],
    ['operation', { operation: 'UpdateService' }, ecs('UpdateService'), true],
    ['another operation', { operation: 'UpdateService' }, ecs('DescribeServices'), false],
    [
      'operation of another service',
      { service: 'ecs', operation: 'UpdateEnvironment' },
      eb('UpdateEnvironment'),
      false,
    ],
    [
      'operation and service',
      { service: 'elasticbeanstalk', operation: 'UpdateEnvironment' },
      eb('UpdateEnvironment'),
      true,
    ],
    ['operation on a request that names none', { operation: 'UpdateEnvironment' }, mwaaPatch, false],
    [
      'method in any case and path prefix',
      { method: 'patch', pathPrefix: '/environments/' },
      mwaaPatch,
      true,
    ],
    ['path prefix that differs', { pathPrefix: '/environments/other' }, mwaaPatch, false],
    ['service without a signature', { service: 's3' }, { method: 'GET', path: '/b' }, false],
  ])('%s', (_name, match, facts, expected) => {
    expect(matchesRequest(match, facts)).toBe(expected);
  });
});

describe('ruleFires', () => {
  const rule = (extra: Partial<FaultRule> = {}): FaultRule => ({ kind: 'lost-answer', ...extra });
  it.each<[string, FaultRule, number, number, number, boolean]>([
    // name, rule, matched before, injected before, draw, fires
    ['first match, no limits', rule(), 0, 0, 0.99, true],
    ['within count', rule({ count: 2 }), 1, 1, 0.5, true],
    ['count spent', rule({ count: 1 }), 1, 1, 0, false],
    ['count 0 never fires', rule({ count: 0 }), 0, 0, 0, false],
    ['still letting `after` through', rule({ after: 2 }), 1, 0, 0, false],
    ['the call after `after`', rule({ after: 2, count: 1 }), 2, 0, 0.5, true],
    ['draw under rate', rule({ rate: 0.3 }), 0, 0, 0.29, true],
    ['draw at rate', rule({ rate: 0.3 }), 0, 0, 0.3, false],
  ])('%s', (_name, r, matched, injected, draw, expected) => {
    expect(ruleFires(r, { matched, injected }, draw)).toBe(expected);
  });
});

describe('validateRules', () => {
  it('accepts rules with every field', () => {
    const rules = [
      {
        kind: 'never-answer',
        match: { service: 'ecs', operation: 'UpdateService' },
        after: 1,
        count: 2,
        rate: 0.5,
      },
    ];
    expect(validateRules(rules)).toEqual(rules);
  });

  it.each<[unknown, RegExp]>([
    [{}, /rules must be a list/],
    [[{ kind: 'teapot' }], /rule 0\.kind must be one of throttle, .*never-answer/],
    [[{ kind: 'drop', match: { operaton: 'X' } }], /rule 0\.match has unknown field operaton/],
    [[{ kind: 'drop', times: 1 }], /rule 0 has unknown field times/],
    [[{ kind: 'drop', match: { operation: '' } }], /match\.operation must be a non-empty string/],
    [[{ kind: 'drop', count: -1 }], /rule 0\.count must be a whole number/],
    [[{ kind: 'drop', after: 1.5 }], /rule 0\.after must be a whole number/],
    [[{ kind: 'drop', rate: 2 }], /rule 0\.rate must be a number from 0 to 1/],
    [[{ kind: 'drop' }, 'x'], /rule 1 must be an object/],
  ])('rejects %j', (rules, message) => {
    expect(() => validateRules(rules)).toThrow(message);
  });
});

describe('operationName', () => {
  const url = (path: string): URL => new URL(path, 'http://proxy');
  it.each<[string, Record<string, string>, string, string | undefined, string | undefined]>([
    [
      'JSON target',
      { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.UpdateService' },
      '/',
      undefined,
      'UpdateService',
    ],
    [
      'query form',
      { 'content-type': 'application/x-www-form-urlencoded' },
      '/',
      'Action=UpdateEnvironment&Version=2010-12-01',
      'UpdateEnvironment',
    ],
    ['query string', {}, '/?Action=GetCallerIdentity&Version=2011-06-15', undefined, 'GetCallerIdentity'],
    ['form not read', { 'content-type': 'application/x-www-form-urlencoded' }, '/', undefined, undefined],
    ['REST path', {}, '/environments/airflow-prod', undefined, undefined],
  ])('%s', (_name, headers, path, body, expected) => {
    expect(operationName(headers, url(path), body === undefined ? undefined : Buffer.from(body))).toBe(
      expected,
    );
  });
});

describe('FaultInjector with rules', () => {
  const run = (injector: FaultInjector, requests: readonly RequestFacts[]): (FaultKind | undefined)[] =>
    requests.map((facts) => injector.next(facts));

  it('loses the answer of the first UpdateEnvironment only', () => {
    const injector = new FaultInjector({
      rules: [{ kind: 'lost-answer', match: { operation: 'UpdateEnvironment' }, count: 1 }],
    });
    const requests = [eb('DescribeEnvironments'), eb('UpdateEnvironment'), eb('UpdateEnvironment')];
    expect(run(injector, requests)).toEqual([undefined, 'lost-answer', undefined]);
    expect(injector.stats()).toMatchObject({
      requests: 3,
      forwarded: 2,
      faults: { 'lost-answer': 1 },
      rules: [{ matched: 1, injected: 1 }],
    });
    expect(injector.wantsOperation()).toBe(false);
  });

  it('lets `after` matching calls through first', () => {
    const injector = new FaultInjector({
      rules: [{ kind: 'never-answer', match: { operation: 'DescribeServices' }, after: 2, count: 1 }],
    });
    const calls = run(
      injector,
      Array.from({ length: 4 }, () => ecs('DescribeServices')),
    );
    expect(calls).toEqual([undefined, undefined, 'never-answer', undefined]);
  });

  it('lets the first rule that fires decide, and every matching rule count the call', () => {
    const injector = new FaultInjector({
      rules: [
        { kind: 'throttle', match: { operation: 'UpdateService' }, count: 1 },
        { kind: 'lost-answer', match: { service: 'ecs' }, after: 1, count: 1 },
      ],
    });
    expect(run(injector, [ecs('UpdateService'), ecs('UpdateService'), ecs('UpdateService')])).toEqual([
      'throttle',
      'lost-answer',
      undefined,
    ]);
    // Spent rules stop counting.
    expect(injector.stats().rules).toEqual([
      { matched: 1, injected: 1 },
      { matched: 2, injected: 1 },
    ]);
  });

  it('keeps rule progress through resetStats and starts it again with new rules', () => {
    const rules: FaultRule[] = [{ kind: 'drop', count: 1 }];
    const injector = new FaultInjector({ rules });
    expect(run(injector, [ecs('A'), ecs('A')])).toEqual(['drop', undefined]);
    injector.resetStats();
    expect(injector.next(ecs('A'))).toBeUndefined();
    expect(injector.stats().rules).toEqual([{ matched: 1, injected: 1 }]);
    injector.configure({ rules });
    expect(injector.next(ecs('A'))).toBe('drop');
  });

  it('injects a seeded share of matching calls at a rule rate, the same for the same seed', () => {
    const decide = (seed: number): (FaultKind | undefined)[] =>
      run(
        new FaultInjector({ seed, rules: [{ kind: 'lost-answer', match: { service: 'ecs' }, rate: 0.3 }] }),
        Array.from({ length: 400 }, () => ecs('DescribeServices')),
      );
    const first = decide(5);
    expect(decide(5)).toEqual(first);
    expect(decide(6)).not.toEqual(first);
    const share = first.filter(Boolean).length / first.length;
    expect(share).toBeGreaterThan(0.22);
    expect(share).toBeLessThan(0.38);
  });

  it('leaves the random faults of `rate` where they were when a rule is added', () => {
    const requests = Array.from({ length: 200 }, (_, i) =>
      ecs(i % 10 === 0 ? 'UpdateService' : 'DescribeServices'),
    );
    const plain = run(new FaultInjector({ rate: 0.3, seed: 8 }), requests);
    const withRule = run(
      new FaultInjector({
        rate: 0.3,
        seed: 8,
        rules: [{ kind: 'lost-answer', match: { operation: 'UpdateService' }, count: 1 }],
      }),
      requests,
    );
    const differing = withRule
      .map((kind, i) => (kind === plain[i] ? undefined : i))
      .filter((i) => i !== undefined);
    expect(differing).toEqual(plain[0] === 'lost-answer' ? [] : [0]);
    expect(withRule[0]).toBe('lost-answer');
  });

  it('picks lost-answer and never-answer at random only when named in kinds', () => {
    expect(DEFAULT_FAULT_KINDS).toEqual(['throttle', 'internal-error', 'unavailable', 'drop']);
    const kinds = new Set(
      run(
        new FaultInjector({ rate: 1, seed: 4 }),
        Array.from({ length: 200 }, () => ecs('X')),
      ),
    );
    expect(kinds).toEqual(new Set(DEFAULT_FAULT_KINDS));
    const named = run(
      new FaultInjector({ rate: 1, seed: 4, kinds: ['lost-answer', 'never-answer'] }),
      Array.from({ length: 50 }, () => ecs('X')),
    );
    expect(new Set(named)).toEqual(new Set(['lost-answer', 'never-answer']));
  });

  it('wants the operation while a rule naming one is armed', () => {
    const injector = new FaultInjector({ rules: [{ kind: 'drop', match: { service: 's3' } }] });
    expect(injector.wantsOperation()).toBe(false);
    injector.configure({ rules: [{ kind: 'drop', match: { operation: 'UpdateEnvironment' }, count: 1 }] });
    expect(injector.wantsOperation()).toBe(true);
    injector.next(eb('UpdateEnvironment'));
    expect(injector.wantsOperation()).toBe(false);
  });
});
