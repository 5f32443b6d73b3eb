import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existingPath } from '@deploy-suite/kit';

const base = mkdtempSync(join(tmpdir(), 'paths-'));
mkdirSync(join(base, 'dags'));
writeFileSync(join(base, 'Dockerfile'), 'FROM scratch\n');

test('relative paths resolve against the workspace', () => {
  expect(existingPath('source', 'dags', 'directory', base)).toBe(join(base, 'dags'));
  expect(existingPath('file', join(base, 'Dockerfile'), 'file', base)).toBe(join(base, 'Dockerfile'));
});

test.each([
  ['missing', 'file', "Input 'x' must name an existing file; 'missing' does not exist"],
  ['dags', 'file', "Input 'x' must name a file; 'dags' is not one"],
  ['Dockerfile', 'directory', "Input 'x' must name a directory; 'Dockerfile' is not one"],
] as const)('%s as %s', (value, kind, message) => {
  expect(() => existingPath('x', value, kind, base)).toThrow(message);
});
