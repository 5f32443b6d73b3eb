/**
 * Writes the pins of .github/pinned-actions/action.yml into the examples, this repository's
 * workflows and every README; with --check, changes nothing and exits 1 when a file differs or
 * uses a third-party action without a pin.
 *
 *   npx tsx scripts/pins.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applyPins, pinnedFiles, PINS_FILE, readPins } from './pins/pins';

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const root = resolve(__dirname, '..');
  const pins = readPins(readFileSync(join(root, PINS_FILE), 'utf8'));
  let problems = 0;
  for (const file of pinnedFiles(root)) {
    const before = readFileSync(join(root, file), 'utf8');
    const { text, unpinned } = applyPins(before, pins);
    for (const problem of unpinned) console.log(`${file}:${problem.line}: ${problem.message}`);
    problems += unpinned.length;
    if (text === before) continue;
    if (check) {
      console.log(`${file}: pins differ from ${PINS_FILE}; run npm run pins`);
      problems++;
    } else {
      writeFileSync(join(root, file), text);
      console.log(`${file}: pins updated`);
    }
  }
  return problems === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
