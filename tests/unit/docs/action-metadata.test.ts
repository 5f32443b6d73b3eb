/**
 * What GitHub Marketplace checks when a release of an action is listed, checked here on every
 * action.yml so that a release is never refused at the form: the description must be under 125
 * characters (the form's message: "Description must be less than 125 characters"). The
 * description is measured as GitHub reads it, after YAML folding.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..', '..');
const MARKETPLACE_DESCRIPTION_LIMIT = 125;

const manifests = readdirSync(join(ROOT, 'actions'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => `actions/${entry.name}/action.yml`)
  .filter((path) => existsSync(join(ROOT, path)));

test('every action has an action.yml', () => {
  expect(manifests.length).toBeGreaterThanOrEqual(4);
});

test.each(manifests)('%s: a name and a description under 125 characters', (path) => {
  const manifest = parse(readFileSync(join(ROOT, path), 'utf8')) as { name?: unknown; description?: unknown };
  expect(typeof manifest.name).toBe('string');
  expect(typeof manifest.description).toBe('string');
  const description = String(manifest.description).trim();
  expect(description.length).toBeGreaterThan(0);
  expect({ path, length: description.length }).toEqual({
    path,
    length: Math.min(description.length, MARKETPLACE_DESCRIPTION_LIMIT - 1),
  });
});
