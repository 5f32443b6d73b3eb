/**
 * Each action's README shows its role as examples/iam/template.yaml grants it: the table between
 * the iam-role markers is what `npx tsx scripts/iam-readme.ts` generates from the template.
 */
import { END, roleTable, START, staleReadmes } from '../../support/iam/readme-lists';
import { ACTIONS } from '../../support/iam/sdk-calls';

test('every action README shows its role as the template grants it (run npx tsx scripts/iam-readme.ts)', () => {
  expect(staleReadmes()).toEqual([]);
});

test.each(ACTIONS)('%s: the table lists each statement of its role between the markers', (action) => {
  const table = roleTable(action);
  expect(table.startsWith(START)).toBe(true);
  expect(table.endsWith(END)).toBe(true);
  expect(table).toMatch(/^\| \w+ \| `[a-z0-9-]+:\w+/m);
});
