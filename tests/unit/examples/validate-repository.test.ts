import * as path from 'node:path';
import type { SchemaCheck } from '../../../scripts/validate-workflows/github-schema';
import { findTargets } from '../../../scripts/validate-workflows/targets';
import { validateRepository } from '../../../scripts/validate-workflows/validate';

const BAD_REPO = path.join(__dirname, 'fixtures', 'bad-repo');

test('the targets are the example workflows, the repository workflows and every action.yml', () => {
  expect(findTargets(BAD_REPO)).toEqual([
    { kind: 'workflow', path: 'examples/workflows/missing-required.yml' },
    { kind: 'workflow', path: 'examples/workflows/schema-violation.yml' },
    { kind: 'workflow', path: 'examples/workflows/unknown-key.yml' },
    { kind: 'workflow', path: 'examples/workflows/valid.yml' },
    { kind: 'action', path: 'actions/broken/action.yml' },
    { kind: 'action', path: 'actions/greet/action.yml' },
  ]);
});

test('every file goes through the schema check, and its problems are reported with the input problems', async () => {
  const seen: string[] = [];
  const schemaCheck: SchemaCheck = async (kind, file) => {
    seen.push(`${kind} ${file}`);
    return file.endsWith('broken/action.yml')
      ? [{ file, line: 5, message: "Unexpected value 'node99'" }]
      : [];
  };
  const { problems } = await validateRepository(BAD_REPO, [schemaCheck]);
  expect(seen).toHaveLength(6);
  expect(problems.map((p) => `${p.file}:${p.line}`)).toEqual([
    'examples/workflows/missing-required.yml:10',
    'examples/workflows/unknown-key.yml:11',
    'actions/broken/action.yml:5',
  ]);
});
