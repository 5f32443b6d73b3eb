/**
 * `.ebignore` patterns as the EB CLI matches them: Python pathspec `gitwildmatch`
 * (ebcli/core/fileoperations.py get_ebignore_list: `PathSpec.from_lines('gitwildmatch', f)` then
 * `match_tree_entries`; pathspec==0.12.1 in the EB CLI's requirements.txt), every file's whole
 * relative path against every line, the last matching line deciding. Each row below was checked
 * against pathspec 0.12.1's `PathSpec.match_file` itself.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileWildmatch, excludedBy, WildmatchError } from '@deploy-suite/kit';

const excluded = (lines: string, path: string) => excludedBy(compileWildmatch(lines), path);

describe('pathspec gitwildmatch, file by file', () => {
  test.each<[string, string, boolean]>([
    // A name without a slash matches at any depth, as a file or as a folder with all below it.
    ['node_modules', 'node_modules/a/index.js', true],
    ['node_modules', 'src/node_modules', true],
    ['*.log', 'logs/debug.log', true],
    ['*.log', 'debug.log', true],
    ['*.log', 'debug.log.txt', false],
    // A trailing slash matches what is below a folder of that name, at any depth, never a file.
    ['node_modules/', 'node_modules/a/index.js', true],
    ['node_modules/', 'src/node_modules', false],
    ['build/', 'src/build/out.js', true],
    ['build/', 'build', false],
    // A leading slash, or a slash inside, anchors at the root.
    ['/build', 'build/out.js', true],
    ['/build', 'src/build/out.js', false],
    ['foo/bar', 'foo/bar/x', true],
    ['foo/bar', 'x/foo/bar', false],
    ['docs/*.md', 'docs/a.md', true],
    ['docs/*.md', 'docs/x/a.md', false],
    ['foo/*', 'foo/bar/x', true],
    // `**`.
    ['**/tmp', 'x/tmp/y', true],
    ['**/tmp', 'tmp', true],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a/**', 'a/b/c', true],
    ['a/**', 'a', false],
    ['**', 'anything/at/all', true],
    ['**/', 'app.py', false],
    ['**/', 'app/main.py', true],
    ['**/*.jar', 'lib/x.jar', true],
    ['**/*.jar', 'x.jar', true],
    // Globs inside a segment.
    ['?.js', 'q.js', true],
    ['?.js', 'ab.js', false],
    ['*.py[co]', 'a.pyc', true],
    ['*.py[co]', 'a.pyo', true],
    ['[!a]*.txt', 'a.txt', false],
    ['[!a]*.txt', 'b.txt', true],
    ['[^a]*.txt', 'b.txt', true],
    ['[]a]*', ']x', true],
    ['[a-c-e].txt', 'd.txt', false],
    ['[a-]', '-', true],
    ['x[', 'x[', true],
    ['*.{js,ts}', 'a.js', false], // no brace expansion
    // Comments, escapes, blanks and whitespace.
    ['#comment', '#comment', false],
    ['\\#notcomment', '#notcomment', true],
    ['\\!bang', '!bang', true],
    ['  lead', 'lead', true],
    ['trail\\ ', 'trail ', true],
    ['trail\\ ', 'trail', false],
    ['/', 'anything', false],
    ['\n\n   \n', 'app.py', false],
    ['*.log\r\n!keep.log\r\n', 'keep.log', false], // CRLF line ends
    // A byte-order mark stays part of the first line, as Python's utf-8 codec leaves it.
    ['\ufeff*.log', 'debug.log', false],
    // The last matching line wins.
    ['*.log\n!important.log', 'important.log', false],
    ['!*.md\n*', 'README.md', true],
  ])('%p excludes %p: %p', (lines, path, expected) => {
    expect(excluded(lines, path)).toBe(expected);
  });

  // Whitelist-style files: `*` first, then `!` lines naming what the application needs. pathspec
  // re-includes files under an excluded folder, unlike git.
  const whitelist = [
    '*',
    '!Dockerrun.aws.json',
    '!.ebextensions/**',
    '!.platform/**',
    '!app/**',
    'app/**/*.pyc',
  ].join('\n');
  test.each<[string, string, boolean]>([
    ['*\n!docker/**', 'docker/Dockerfile', false],
    ['*\n!docker/**', 'docker/sub/entry.sh', false],
    ['*\n!docker/**', 'app.py', true],
    ['target/\n!target/*.jar', 'target/app.jar', false],
    ['target/\n!target/*.jar', 'target/classes/A.class', true],
    ['venv\n!venv/keep', 'venv/keep', false],
    [whitelist, 'Dockerrun.aws.json', false],
    [whitelist, '.ebextensions/01-env.config', false],
    [whitelist, '.platform/nginx/conf.d/proxy.conf', false],
    [whitelist, 'app/main.py', false],
    [whitelist, 'app/x/y.pyc', true],
    [whitelist, 'README.md', true],
    [whitelist, 'tests/test_main.py', true],
  ])('whitelist %p excludes %p: %p', (lines, path, expected) => {
    expect(excluded(lines, path)).toBe(expected);
  });

  test.each<[string, number]>([
    ['!', 1],
    ['ok\nend\\', 2],
    ['ok\n\n[z-a]', 3],
  ])('an invalid pattern %p is refused naming its line', (lines, line) => {
    expect(() => compileWildmatch(lines)).toThrow(WildmatchError);
    expect(() => compileWildmatch(lines)).toThrow(`line ${line} `);
  });
});

test('git itself cannot re-include a file under an excluded folder; the EB CLI (pathspec) can', () => {
  const repo = mkdtempSync(join(tmpdir(), 'ebignore-git-'));
  const run = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  run('init', '-q');
  mkdirSync(join(repo, 'target'));
  writeFileSync(join(repo, 'target', 'app.jar'), 'jar');
  writeFileSync(join(repo, 'target', 'A.class'), 'class');
  writeFileSync(join(repo, '.gitignore'), 'target/\n!target/*.jar\n');
  run('add', '-A');
  // git: "It is not possible to re-include a file if a parent directory of that file is excluded."
  expect(run('ls-files').split('\n')).not.toContain('target/app.jar');
  expect(excluded('target/\n!target/*.jar', 'target/app.jar')).toBe(false);
});
