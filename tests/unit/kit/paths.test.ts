import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { allowedRoots, confinedRealPath } from '@deploy-suite/kit';
import { existingPath, isWithin } from '../../../packages/kit/src/paths';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'paths-')));
mkdirSync(join(base, 'dags'));
writeFileSync(join(base, 'Dockerfile'), 'FROM scratch\n');

test('relative paths resolve against the workspace', () => {
  expect(existingPath('source', 'dags', 'directory', base, [base])).toBe(join(base, 'dags'));
  expect(existingPath('file', join(base, 'Dockerfile'), 'file', base, [base])).toBe(join(base, 'Dockerfile'));
});

test.each([
  ['missing', 'file', "Input 'x' must name an existing file; 'missing' does not exist"],
  ['dags', 'file', "Input 'x' must name a file; 'dags' is not one"],
  ['Dockerfile', 'directory', "Input 'x' must name a directory; 'Dockerfile' is not one"],
] as const)('%s as %s', (value, kind, message) => {
  expect(() => existingPath('x', value, kind, base, [base])).toThrow(message);
});

describe('confinement to the workspace and RUNNER_TEMP', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'paths-ws-'));
  const runnerTemp = mkdtempSync(join(tmpdir(), 'paths-temp-'));
  const outside = mkdtempSync(join(tmpdir(), 'paths-out-'));
  mkdirSync(join(workspace, 'lib'));
  mkdirSync(join(workspace, 'dags'));
  writeFileSync(join(outside, 'secret'), 'x');
  writeFileSync(join(runnerTemp, 'bundle.zip'), 'zip');
  symlinkSync('../lib', join(workspace, 'dags', 'common'));
  symlinkSync(outside, join(workspace, 'escape'));
  symlinkSync(join(outside, 'secret'), join(workspace, 'secret-link'));
  const roots = allowedRoots({ GITHUB_WORKSPACE: workspace, RUNNER_TEMP: runnerTemp });

  test.each([
    ['a folder of the workspace', 'dags', 'directory'],
    ['a link that stays inside the workspace', 'dags/common', 'directory'],
    ['a file in RUNNER_TEMP, by absolute path', join(runnerTemp, 'bundle.zip'), 'file'],
  ] as const)('accepts %s', (_, value, kind) => {
    expect(existingPath('source', value, kind, workspace, roots)).toBe(resolve(workspace, value));
  });

  test.each([
    ['.. out of the workspace', `../${basename(outside)}/secret`, 'file'],
    ['an absolute path elsewhere', join(outside, 'secret'), 'file'],
    ['/etc/passwd', '/etc/passwd', 'file'],
    ['a link to a folder outside', 'escape', 'directory'],
    ['a link to a file outside', 'secret-link', 'file'],
    ['a path through a link outside', 'escape/secret', 'file'],
  ] as const)('refuses %s in one line naming the input', (_, value, kind) => {
    expect(() => existingPath('source', value, kind, workspace, roots)).toThrow(
      `Input 'source' must name a ${kind} inside the workspace (GITHUB_WORKSPACE) or RUNNER_TEMP; '${value}' leads outside them`,
    );
  });

  test('a walker learns where a link leads only when it stays inside', () => {
    expect(confinedRealPath(join(workspace, 'dags', 'common'), roots)).toBe(
      realpathSync(join(workspace, 'lib')),
    );
    expect(confinedRealPath(join(workspace, 'escape'), roots)).toBeUndefined();
    expect(confinedRealPath(join(workspace, 'missing'), roots)).toBeUndefined();
  });

  test('a sibling whose name starts like the root is not inside it', () => {
    expect(isWithin(`${roots[0]}-other/file`, roots)).toBe(false);
    expect(isWithin(`${roots[0]}/file`, roots)).toBe(true);
  });
});
