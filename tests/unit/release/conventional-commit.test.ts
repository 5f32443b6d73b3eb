import { commitImpact, parseConventionalCommit } from '../../../scripts/release/conventional-commit';

describe('parseConventionalCommit', () => {
  test.each([
    [
      'feat(deploy-ecs): follow deployments',
      { type: 'feat', scope: 'deploy-ecs', breaking: false, subject: 'follow deployments' },
    ],
    [
      'fix: handle empty cluster',
      { type: 'fix', scope: undefined, breaking: false, subject: 'handle empty cluster' },
    ],
    ['feat(kit)!: drop node 20', { type: 'feat', scope: 'kit', breaking: true, subject: 'drop node 20' }],
    ['Fix(Deploy-ECS): case', { type: 'fix', scope: 'Deploy-ECS', breaking: false, subject: 'case' }],
    [
      'refactor(kit): split\n\nBREAKING CHANGE: poll() takes options',
      { type: 'refactor', scope: 'kit', breaking: true, subject: 'split' },
    ],
    ['chore: x\n\nBREAKING-CHANGE: y', { type: 'chore', scope: undefined, breaking: true, subject: 'x' }],
  ])('%j', (message, expected) => {
    expect(parseConventionalCommit(message)).toEqual(expected);
  });

  test.each([
    'Monorepo skeleton: workspaces',
    'feat(deploy-ecs) missing colon',
    'feat(): empty scope',
    'Merge branch main',
    'fix:no space',
  ])('not conventional: %j', (message) => {
    expect(parseConventionalCommit(message)).toBeUndefined();
  });

  test('a BREAKING CHANGE mentioned inside a line is not a footer', () => {
    expect(parseConventionalCommit('fix: x\n\nthis is not a BREAKING CHANGE: really')?.breaking).toBe(false);
  });
});

describe('commitImpact', () => {
  test.each([
    ['feat(deploy-ecs): a', 'minor', 'feature'],
    ['fix(deploy-ecs): a', 'patch', 'fix'],
    ['perf(kit): a', 'patch', 'fix'],
    ['revert: feat(x): a', 'patch', 'fix'],
    ['feat!: a', 'major', 'breaking'],
    ['fix(kit): a\n\nBREAKING CHANGE: b', 'major', 'breaking'],
    ['chore(deps): a', undefined, undefined],
    ['refactor(kit): a', undefined, undefined],
    ['docs(sync-dags): a', undefined, undefined],
    ['test: a', undefined, undefined],
    ['ci: a', undefined, undefined],
    ['Something changed without a type', 'patch', 'other'],
  ])('%j → %s', (message, bump, kind) => {
    const impact = commitImpact(message);
    expect(impact.bump).toBe(bump);
    expect(impact.kind).toBe(kind);
  });

  test('the subject of a non-conventional commit is its first line', () => {
    expect(commitImpact('Tidy up\n\nmore words').subject).toBe('Tidy up');
  });
});
