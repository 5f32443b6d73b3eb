import { planRelease, type ActionHistory, type CommitInfo } from '../../../scripts/release/plan';
import { formatVersion, parseVersion, type Version } from '../../../scripts/release/semver';

const v = (text: string): Version => parseVersion(text) ?? { major: -1, minor: -1, patch: -1 };
let counter = 0;
const commit = (message: string, ...files: string[]): CommitInfo => ({
  sha: (++counter).toString(16).padStart(40, 'a'),
  message,
  files,
});
const history = (
  action: string,
  commits: CommitInfo[],
  lastRelease: string | null = '1.0.0',
): ActionHistory => ({
  action,
  lastRelease: lastRelease === null ? undefined : v(lastRelease),
  packageVersion: v(lastRelease ?? '0.1.0'),
  commits,
});
const next = (h: ActionHistory): string | undefined => {
  const plan = planRelease(h);
  return plan === undefined ? undefined : formatVersion(plan.next);
};

describe('planRelease: the files a commit touches decide which action it releases', () => {
  const commits = [
    commit('fix(deploy-ecs): handle drained tasks', 'actions/deploy-ecs/src/deploy.ts'),
    commit('docs(build-push): usage', 'actions/build-push/README.md'),
    commit(
      'feat(sync-dags): explain the layout',
      'actions/sync-dags/README.md',
      'actions/sync-dags/CHANGELOG.md',
    ),
    commit('chore: tooling', 'package.json', 'scripts/stack.ts'),
    commit('test(deploy-beanstalk): more cases', 'tests/unit/deploy-beanstalk/plan.test.ts'),
  ];
  test.each([
    ['deploy-ecs', '1.0.1'],
    ['build-push', undefined],
    ['sync-dags', undefined],
    ['deploy-beanstalk', undefined],
  ])('%s → %s', (action, expected) => {
    expect(next(history(action, commits))).toBe(expected);
  });

  test('a scope naming another action does not matter; the files do', () => {
    const mislabelled = [commit('feat(build-push): oops, wrong scope', 'actions/deploy-ecs/src/plan.ts')];
    expect(next(history('deploy-ecs', mislabelled))).toBe('1.1.0');
    expect(next(history('build-push', mislabelled))).toBeUndefined();
  });

  test('a kit change releases every action that bundles it', () => {
    const kit = [commit('fix(kit): retry on throttling', 'packages/kit/src/aws.ts')];
    for (const action of ['build-push', 'deploy-ecs', 'deploy-beanstalk', 'sync-dags']) {
      expect(next(history(action, kit))).toBe('1.0.1');
    }
  });

  test.each([
    ['action.yml', 'actions/deploy-ecs/action.yml', '1.1.0'],
    ['its dependencies', 'actions/deploy-ecs/package.json', '1.1.0'],
    ['kit dependencies', 'packages/kit/package.json', '1.1.0'],
    ['its dist alone', 'actions/deploy-ecs/dist/index.js', undefined],
    ['kit tests', 'tests/unit/kit/aws.test.ts', undefined],
  ])('%s', (_what, file, expected) => {
    expect(next(history('deploy-ecs', [commit('feat: change', file)]))).toBe(expected);
  });

  test('the largest bump since the last release wins', () => {
    const commits = [
      commit('fix(deploy-ecs): a', 'actions/deploy-ecs/src/a.ts'),
      commit('feat(deploy-ecs): b', 'actions/deploy-ecs/src/b.ts'),
      commit('fix(deploy-ecs): c', 'actions/deploy-ecs/src/c.ts'),
    ];
    expect(next(history('deploy-ecs', commits, '1.4.2'))).toBe('1.5.0');
    expect(
      next(history('deploy-ecs', [...commits, commit('feat!: d', 'packages/kit/src/run.ts')], '1.4.2')),
    ).toBe('2.0.0');
  });

  test('non-releasing types touching the code wait for the next release', () => {
    const commits = [commit('refactor(deploy-ecs): rename', 'actions/deploy-ecs/src/a.ts')];
    expect(planRelease(history('deploy-ecs', commits))).toBeUndefined();
  });

  test('a commit without a conventional message that changes shipped code is a patch', () => {
    const plan = planRelease(
      history('deploy-ecs', [commit('Tweak the poll interval', 'packages/kit/src/poll.ts')]),
    );
    expect(plan?.bump).toBe('patch');
    expect(plan?.entries.map((e) => [e.kind, e.subject])).toEqual([['other', 'Tweak the poll interval']]);
  });

  test('entries list releasing commits only, with their scope', () => {
    const plan = planRelease(
      history('deploy-ecs', [
        commit('feat(deploy-ecs): run-task', 'actions/deploy-ecs/src/run-task.ts'),
        commit('chore(deploy-ecs): lint', 'actions/deploy-ecs/src/run-task.ts'),
        commit('fix(kit): mask secrets', 'packages/kit/src/secrets.ts'),
      ]),
    );
    expect(plan?.entries.map((e) => [e.kind, e.scope, e.subject])).toEqual([
      ['feature', 'deploy-ecs', 'run-task'],
      ['fix', 'kit', 'mask secrets'],
    ]);
  });
});

describe('planRelease: first release', () => {
  test('an action never tagged is released, at 1.0.0 from a 0.x package version', () => {
    const plan = planRelease(history('deploy-ecs', [commit('chore: init', 'README.md')], null));
    expect(plan?.bump).toBe('first');
    expect(plan?.previous).toBeUndefined();
    expect(formatVersion(plan?.next ?? v('0.0.0'))).toBe('1.0.0');
  });

  test('a package version of 1.0.0 or more is released as it is', () => {
    const h = { ...history('deploy-ecs', [], null), packageVersion: v('2.3.0') };
    expect(next(h)).toBe('2.3.0');
  });
});
