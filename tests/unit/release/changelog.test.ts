import { addRelease, releaseNotesOf, renderReleaseNotes } from '../../../scripts/release/changelog';
import type { ReleaseEntry } from '../../../scripts/release/plan';
import { parseVersion, type Version } from '../../../scripts/release/semver';

const v = (text: string): Version => parseVersion(text) ?? { major: -1, minor: -1, patch: -1 };
const entry = (kind: ReleaseEntry['kind'], subject: string, scope?: string): ReleaseEntry => ({
  kind,
  scope,
  subject,
  sha: '0123456789abcdef0123456789abcdef01234567',
});

describe('renderReleaseNotes', () => {
  test('groups entries by kind, most important first, naming scopes other than the action', () => {
    const notes = renderReleaseNotes('deploy-ecs', '', [
      entry('fix', 'handle drained tasks', 'deploy-ecs'),
      entry('feature', 'run-task', 'deploy-ecs'),
      entry('fix', 'mask secrets', 'kit'),
      entry('breaking', 'node 24 only'),
    ]);
    expect(notes).toBe(
      [
        '### Breaking changes',
        '',
        '- node 24 only (0123456)',
        '',
        '### Features',
        '',
        '- run-task (0123456)',
        '',
        '### Fixes',
        '',
        '- handle drained tasks (0123456)',
        '- **kit:** mask secrets (0123456)',
      ].join('\n'),
    );
  });

  test('hand-written notes come first; nothing at all still says something', () => {
    expect(renderReleaseNotes('x', '\n### Added\n\n- a thing\n\n', [])).toBe('### Added\n\n- a thing');
    expect(renderReleaseNotes('x', '  \n', [])).toBe('Maintenance release.');
  });
});

describe('addRelease', () => {
  const existing = [
    '# Changelog',
    '',
    'Intro.',
    '',
    '## [Unreleased]',
    '',
    '### Added',
    '',
    '- rollback-to input',
    '',
    '## [1.0.0] - 2026-01-01',
    '',
    'First release.',
    '',
  ].join('\n');

  test('moves Unreleased notes into a dated section and keeps older ones below', () => {
    const { text, notes } = addRelease(existing, 'deploy-ecs', v('1.1.0'), '2026-11-22', [
      entry('feature', 'rollback'),
    ]);
    expect(text).toBe(
      [
        '# Changelog',
        '',
        'Intro.',
        '',
        '## [Unreleased]',
        '',
        '## [1.1.0] - 2026-11-22',
        '',
        '### Added',
        '',
        '- rollback-to input',
        '',
        '### Features',
        '',
        '- rollback (0123456)',
        '',
        '## [1.0.0] - 2026-01-01',
        '',
        'First release.',
        '',
      ].join('\n'),
    );
    expect(notes).toContain('- rollback-to input');
  });

  test('creates a changelog when there is none', () => {
    const { text } = addRelease(undefined, 'sync-dags', v('1.0.0'), '2026-11-22', [entry('fix', 'a')]);
    expect(text).toMatch(/^# Changelog\n\nAll notable changes to sync-dags/);
    expect(text).toContain('## [Unreleased]\n\n## [1.0.0] - 2026-11-22\n\n### Fixes\n\n- a (0123456)\n');
  });

  test('adds an Unreleased heading above the releases when it is missing', () => {
    const { text } = addRelease(
      '# Changelog\n\n## [1.0.0] - 2026-01-01\n\nx\n',
      'a',
      v('1.0.1'),
      '2026-02-02',
      [],
    );
    expect(text).toBe(
      '# Changelog\n\n## [Unreleased]\n\n## [1.0.1] - 2026-02-02\n\nMaintenance release.\n\n## [1.0.0] - 2026-01-01\n\nx\n',
    );
  });

  test('releasing twice in a row stacks sections newest first', () => {
    const first = addRelease(undefined, 'a', v('1.0.0'), '2026-01-01', [entry('fix', 'one')]).text;
    const second = addRelease(first, 'a', v('1.0.1'), '2026-01-02', [entry('fix', 'two')]).text;
    expect(second.indexOf('## [1.0.1]')).toBeLessThan(second.indexOf('## [1.0.0]'));
    expect(releaseNotesOf(second, v('1.0.0'))).toBe('### Fixes\n\n- one (0123456)');
    expect(releaseNotesOf(second, v('1.0.1'))).toBe('### Fixes\n\n- two (0123456)');
  });
});

describe('releaseNotesOf', () => {
  test('finds a section by version only, not by prefix', () => {
    const changelog = '## [1.0.10] - d\n\nten\n\n## [1.0.1] - d\n\none\n';
    expect(releaseNotesOf(changelog, v('1.0.1'))).toBe('one');
    expect(releaseNotesOf(changelog, v('1.0.10'))).toBe('ten');
    expect(releaseNotesOf(changelog, v('2.0.0'))).toBeUndefined();
  });
});
