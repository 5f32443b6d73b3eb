import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The simulator stands in for AWS, so it must never share code with the actions it checks: a
// field list or limit taken from an action would make a wrong action look right. Its rules come
// from AWS's models and documentation (cited where they are written).

const ROOT = resolve(__dirname, '../../..');
const SIMULATOR = join(ROOT, 'tests/support/simulator');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier of `import … from`, `export … from`, `import(…)` and `require(…)`. */
function specifiers(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1] ?? ''));
}

/** Why importing `specifier` from `file` would reach action or kit code; undefined when it does not. */
function forbidden(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('@deploy-suite/')) return 'a workspace package of the suite';
  if (!specifier.startsWith('.')) return undefined;
  const target = relative(ROOT, resolve(dirname(file), specifier));
  if (target.startsWith('actions/') || target === 'actions') return 'action code';
  if (target.startsWith('packages/kit')) return 'the kit';
  return undefined;
}

test.each([
  ["import { a } from './x';", ['./x']],
  ["import type { A } from '../../../packages/kit/src/aws';", ['../../../packages/kit/src/aws']],
  ["export { b } from '@deploy-suite/kit';", ['@deploy-suite/kit']],
  ["export * from './y';", ['./y']],
  ["import './side-effect';", ['./side-effect']],
  [
    "const m = await import('../../../actions/deploy-ecs/src/plan');",
    ['../../../actions/deploy-ecs/src/plan'],
  ],
  ["const f = require('node:fs');", ['node:fs']],
  ['import {\n  a,\n  b,\n} from "./multi";', ['./multi']],
])('reads the specifiers of %j', (source, expected) => {
  expect(specifiers(source)).toEqual(expected);
});

test.each([
  ['services/ecs.ts', '../../../../actions/deploy-ecs/src/limits', 'action code'],
  ['services/elastic-beanstalk/state.ts', '../../../../../packages/kit/src/aws', 'the kit'],
  ['server.ts', '@deploy-suite/kit', 'a workspace package of the suite'],
  ['services/mwaa.ts', '../service', undefined],
  ['services/mwaa.ts', '../../stack/ports', undefined],
  ['server.ts', 'node:http', undefined],
])('%s importing %s reaches %s', (file, specifier, why) => {
  expect(forbidden(join(SIMULATOR, file), specifier)).toBe(why);
});

test('the simulator has source files to scan', () => {
  expect(sourceFiles(SIMULATOR).length).toBeGreaterThan(10);
});

test('no simulator module imports action or kit code', () => {
  const offences = sourceFiles(SIMULATOR).flatMap((file) =>
    specifiers(readFileSync(file, 'utf8')).flatMap((specifier) => {
      const why = forbidden(file, specifier);
      return why === undefined ? [] : [`${relative(ROOT, file)} imports ${specifier} (${why})`];
    }),
  );
  expect(offences).toEqual([]);
});
