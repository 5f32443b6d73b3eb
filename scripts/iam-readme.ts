/**
 * Rewrites the role table in each action's README from examples/iam/template.yaml (between the
 * iam-role markers). tests/unit/iam/readme-lists.test.ts fails when one is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { readmePath, withRoleTable } from '../tests/support/iam/readme-lists';
import { ACTIONS } from '../tests/support/iam/sdk-calls';

for (const action of ACTIONS) {
  const path = readmePath(action);
  const before = readFileSync(path, 'utf8');
  const after = withRoleTable(action, before);
  if (after !== before) {
    writeFileSync(path, after);
    process.stdout.write(`updated ${path}\n`);
  }
}
