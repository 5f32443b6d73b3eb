import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { applyPins, pinnedFiles, PINS_FILE, readPins } from '../../../scripts/pins/pins';

const ROOT = join(__dirname, '..', '..', '..');
const SHA = 'e6de054238d6b7531b4efff3b6587d9aade6a06c';
const PINS = readPins(`
runs:
  using: composite
  steps:
    - uses: aws-actions/configure-aws-credentials@${SHA} # v6.2.3
    - uses: not-a-pin/at-a-tag@v1
`);

test('the pins file: only `@<40-hex SHA> # version` lines are pins', () => {
  expect([...PINS.values()]).toEqual([
    { repository: 'aws-actions/configure-aws-credentials', sha: SHA, version: 'v6.2.3' },
  ]);
});

test.each([
  [
    '      - uses: aws-actions/configure-aws-credentials@v4',
    `      - uses: aws-actions/configure-aws-credentials@${SHA} # v6.2.3`,
  ],
  [
    '  - uses: aws-actions/configure-aws-credentials@0000000000000000000000000000000000000000 # v5.0.0',
    `  - uses: aws-actions/configure-aws-credentials@${SHA} # v6.2.3`,
  ],
  [
    "        uses: 'aws-actions/configure-aws-credentials@main'",
    `        uses: 'aws-actions/configure-aws-credentials@${SHA}' # v6.2.3`,
  ],
  [
    '    uses: AWS-Actions/configure-aws-credentials/sub/path@v4 # old',
    `    uses: aws-actions/configure-aws-credentials/sub/path@${SHA} # v6.2.3`,
  ],
  [
    '      - uses: org/deploy-suite/actions/deploy-ecs@deploy-ecs/v1',
    '      - uses: org/deploy-suite/actions/deploy-ecs@deploy-ecs/v1',
  ],
  ['      - uses: ./actions/sync-dags', '      - uses: ./actions/sync-dags'],
  ['      - uses: docker://alpine:3', '      - uses: docker://alpine:3'],
  [
    '      # uses: aws-actions/configure-aws-credentials@v4 in a comment',
    '      # uses: aws-actions/configure-aws-credentials@v4 in a comment',
  ],
])('%s → %s', (line, expected) => {
  expect(applyPins(line, PINS)).toEqual({ text: expected, unpinned: [] });
});

test('a third-party action without a pin is reported with its line, and left as it is', () => {
  const text = 'steps:\n  - uses: actions/checkout@v4\n  - uses: org/build-push@v1';
  expect(applyPins(text, PINS)).toEqual({
    text,
    unpinned: [{ line: 2, message: `actions/checkout has no pin in ${PINS_FILE}` }],
  });
});

// The CI check: every example, workflow and README of the repository already holds the pins (run
// `npm run pins` after changing .github/pinned-actions/action.yml).
test('the repository: every pinned file agrees with the pins file, and every third-party action has a pin', () => {
  const pins = readPins(readFileSync(join(ROOT, PINS_FILE), 'utf8'));
  expect(pins.size).toBeGreaterThanOrEqual(4);
  const files = pinnedFiles(ROOT);
  expect(files).toEqual(
    expect.arrayContaining(['examples/workflows/deploy.yml', '.github/workflows/ci.yml', 'README.md']),
  );
  const drift = files.flatMap((file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const applied = applyPins(text, pins);
    return [
      ...(applied.text === text ? [] : [`${file}: differs from ${PINS_FILE}`]),
      ...applied.unpinned.map((p) => `${file}:${p.line}: ${p.message}`),
    ];
  });
  expect(drift).toEqual([]);
});

test('Dependabot updates the pins where they are kept: the workflows, the examples and the pins file', () => {
  const config = parse(readFileSync(join(ROOT, '.github', 'dependabot.yml'), 'utf8')) as {
    updates: Array<{ 'package-ecosystem': string; directory?: string; directories?: string[] }>;
  };
  const actions = config.updates.filter((u) => u['package-ecosystem'] === 'github-actions');
  const directories = actions.flatMap((u) => [
    ...(u.directories ?? []),
    ...(u.directory === undefined ? [] : [u.directory]),
  ]);
  expect(directories).toEqual(
    expect.arrayContaining(['/', '/examples/workflows', `/${PINS_FILE.replace(/\/action\.yml$/, '')}`]),
  );
});
