import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Git } from '../../../scripts/release/git';
import {
  commitsSince,
  listActions,
  readActionHistory,
  releasedVersions,
} from '../../../scripts/release/history';
import { formatVersion } from '../../../scripts/release/semver';

describe('reading the monorepo history', () => {
  let root: string;
  let git: Git;
  const sh = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: root,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@x',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@x',
      },
    });
  const commit = (message: string, files: Record<string, string>) => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    sh('add', '--all');
    sh('commit', '--quiet', '-m', message);
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'release-history-'));
    git = new Git(root);
    sh('init', '--quiet', '--initial-branch=main');
    commit('chore: start', {
      'actions/deploy-ecs/action.yml': 'name: x\n',
      'actions/deploy-ecs/package.json': '{"version": "1.0.0"}\n',
      'actions/notes/README.md': 'not an action\n',
    });
    for (const tag of [
      'deploy-ecs/v1.0.0',
      'deploy-ecs/v1.2.0',
      'deploy-ecs/v1.10.0-rc.1',
      'deploy-ecs-old/v9.0.0',
    ]) {
      sh('tag', tag);
    }
    commit('fix(deploy-ecs): one\n\nbody line\n\nBREAKING CHANGE: two', {
      'actions/deploy-ecs/src/a.ts': 'a\n',
      'packages/kit/src/b.ts': 'b\n',
    });
    commit('docs: three', { 'README.md': 'r\n' });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('an action is a folder with action.yml and package.json', () => {
    expect(listActions(root)).toEqual(['deploy-ecs']);
  });

  test('released versions come from <action>/vX.Y.Z tags only', () => {
    expect(releasedVersions(git, 'deploy-ecs').map(formatVersion).sort()).toEqual(['1.0.0', '1.2.0']);
  });

  test('commits since a tag, newest first, with full messages and the files they touched', () => {
    const commits = commitsSince(git, 'deploy-ecs/v1.2.0');
    expect(commits.map((c) => [c.message, c.files])).toEqual([
      ['docs: three', ['README.md']],
      [
        'fix(deploy-ecs): one\n\nbody line\n\nBREAKING CHANGE: two',
        ['actions/deploy-ecs/src/a.ts', 'packages/kit/src/b.ts'],
      ],
    ]);
    expect(commits[0]?.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(commitsSince(git, undefined)).toHaveLength(3);
  });

  test('the history of an action starts at its highest release', () => {
    const history = readActionHistory(git, root, 'deploy-ecs');
    expect(history.lastRelease && formatVersion(history.lastRelease)).toBe('1.2.0');
    expect(history.commits).toHaveLength(2);
  });
});
