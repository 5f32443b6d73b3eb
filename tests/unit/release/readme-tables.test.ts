import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cell,
  readActionInterface,
  renderTable,
  syncReadmeTables,
  updateReadme,
} from '../../../scripts/readme-tables';

const ACTION_YML = `
name: 'Demo'
description: 'demo'
inputs:
  bucket:
    description: 'S3 bucket.'
    required: true
  prefix:
    description: |
      Key prefix;
      a | in text.
    required: false
    default: 'dags/'
  mode:
    description: '\`sync\` or \`copy\`.'
    default: '\`sync\`'
outputs:
  uploaded:
    description: 'Files uploaded.'
runs:
  using: 'node24'
  main: 'dist/index.js'
`;

const repoRoot = join(__dirname, '..', '..', '..');
const spec = readActionInterface(ACTION_YML);
const INPUTS_TABLE = [
  '| Name | Description | Required | Default |',
  '| --- | --- | --- | --- |',
  '| `bucket` | S3 bucket. | yes |  |',
  '| `prefix` | Key prefix; a \\| in text. | no | `dags/` |',
  '| `mode` | `sync` or `copy`. | no | `` `sync` `` |',
].join('\n');

describe('renderTable', () => {
  test('inputs: name, one-line description with pipes escaped, required, default', () => {
    expect(renderTable('inputs', spec)).toBe(INPUTS_TABLE);
  });
  test('outputs: name and description', () => {
    expect(renderTable('outputs', spec)).toBe(
      '| Name | Description |\n| --- | --- |\n| `uploaded` | Files uploaded. |',
    );
  });
});

describe('updateReadme', () => {
  test('inserts markers under the headings, replacing a hand-written table, keeping prose', () => {
    const readme = [
      '# Demo',
      '',
      '## Inputs',
      '',
      'All but bucket are optional.',
      '',
      '| Name | Description |',
      '| --- | --- |',
      '| `bucket` | old text |',
      '',
      '## Outputs',
      '',
      '## Permissions',
      '',
      'x',
      '',
    ].join('\n');
    const updated = updateReadme(readme, spec);
    expect(updated).toContain(`All but bucket are optional.\n\n<!-- inputs:start -->`);
    expect(updated).toContain(
      `${INPUTS_TABLE}\n\n<!-- inputs:end -->\n\n## Outputs\n\n<!-- outputs:start -->`,
    );
    expect(updated).toContain('<!-- outputs:end -->\n\n## Permissions\n\nx\n');
    expect(updated).not.toContain('old text');
  });

  test('rewrites only what is between existing markers, and is stable', () => {
    const readme =
      '# Demo\n\nintro\n\n<!-- inputs:start -->\nstale\n<!-- inputs:end -->\n\ntext\n\n<!-- outputs:start --><!-- outputs:end -->\n';
    const once = updateReadme(readme, spec);
    expect(once.startsWith('# Demo\n\nintro\n\n<!-- inputs:start -->\n')).toBe(true);
    expect(once).toContain('<!-- inputs:end -->\n\ntext\n\n<!-- outputs:start -->');
    expect(once).not.toContain('stale');
    expect(updateReadme(once, spec)).toBe(once);
  });

  test('an action without outputs needs no Outputs section', () => {
    const noOutputs = { inputs: spec.inputs, outputs: [] };
    expect(updateReadme('# X\n\n## Inputs\n', noOutputs)).toContain('<!-- inputs:end -->');
  });

  test('refuses a README with neither markers nor heading, or half a marker pair', () => {
    expect(() => updateReadme('# X\n\n## Outputs\n', spec)).toThrow(
      /no inputs markers and no "## Inputs" heading/,
    );
    expect(() => updateReadme('<!-- inputs:start -->\n## Outputs\n', spec)).toThrow(/without the other/);
  });
});

describe('syncReadmeTables', () => {
  let root: string;
  const readme = (name: string): string => join(root, 'actions', name, 'README.md');
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'readme-tables-'));
    for (const name of ['alpha', 'beta']) {
      mkdirSync(join(root, 'actions', name), { recursive: true });
      writeFileSync(join(root, 'actions', name, 'action.yml'), ACTION_YML);
      writeFileSync(readme(name), `# ${name}\n\n## Inputs\n\n## Outputs\n`);
    }
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('--check names the READMEs that drift and writes nothing', () => {
    const before = readFileSync(readme('alpha'), 'utf8');
    const results = syncReadmeTables(root, { check: true });
    expect(results.map((r) => [r.readme, r.status])).toEqual([
      ['actions/alpha/README.md', 'drifted'],
      ['actions/beta/README.md', 'drifted'],
    ]);
    expect(readFileSync(readme('alpha'), 'utf8')).toBe(before);
  });

  test('writing brings every README up to date; a later action.yml change drifts again', () => {
    expect(syncReadmeTables(root, { check: false }).map((r) => r.status)).toEqual(['updated', 'updated']);
    expect(syncReadmeTables(root, { check: true }).map((r) => r.status)).toEqual([
      'up-to-date',
      'up-to-date',
    ]);
    writeFileSync(
      join(root, 'actions', 'beta', 'action.yml'),
      ACTION_YML.replace('S3 bucket.', 'The bucket.'),
    );
    expect(syncReadmeTables(root, { check: true }).map((r) => [r.readme, r.status])).toEqual([
      ['actions/alpha/README.md', 'up-to-date'],
      ['actions/beta/README.md', 'drifted'],
    ]);
  });

  test('a missing README is an error, in both modes', () => {
    rmSync(readme('beta'));
    for (const check of [true, false]) {
      expect(syncReadmeTables(root, { check }).find((r) => r.readme === 'actions/beta/README.md')).toEqual({
        readme: 'actions/beta/README.md',
        status: 'error',
        message: 'is missing',
      });
    }
  });
});

describe('readme-tables command', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'readme-cli-'));
    mkdirSync(join(root, 'actions', 'alpha'), { recursive: true });
    writeFileSync(join(root, 'actions', 'alpha', 'action.yml'), ACTION_YML);
    writeFileSync(join(root, 'actions', 'alpha', 'README.md'), '# alpha\n\n## Inputs\n\n## Outputs\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const run = (...args: string[]) =>
    spawnSync(
      join(repoRoot, 'node_modules', '.bin', 'tsx'),
      [join(repoRoot, 'scripts', 'readme-tables.ts'), `--root=${root}`, ...args],
      {
        encoding: 'utf8',
      },
    );

  test('--check exits 1 naming the README; writing fixes it; --check then exits 0', () => {
    const drifted = run('--check');
    expect(drifted.status).toBe(1);
    expect(drifted.stdout).toContain('::error file=actions/alpha/README.md::');
    expect(run().status).toBe(0);
    const clean = run('--check');
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('actions/alpha/README.md: up-to-date');
  });
});

describe('updateReadme and fenced code', () => {
  test('a code block in the section is neither a heading nor the table to replace', () => {
    const readme = [
      '## Inputs',
      '',
      '```yaml',
      '# a comment, not a heading',
      '| not | a table |',
      '```',
      '',
      '| Name |',
      '| --- |',
      '| old |',
      '',
      '## Outputs',
      '',
    ].join('\n');
    const updated = updateReadme(readme, spec);
    expect(updated).toContain(
      '```yaml\n# a comment, not a heading\n| not | a table |\n```\n\n<!-- inputs:start -->',
    );
    expect(updated).not.toContain('| old |');
  });
});

// GitHub renders README tables as CommonMark/GFM: `<context>` outside a code span is raw HTML and
// is dropped from the page, so it is written `\<context\>` there (a backslash escape); inside a
// code span it is literal and stays as it is (CommonMark 0.31, "Raw HTML", "Code spans").
describe('cell: angle brackets in prose survive rendering', () => {
  test.each([
    ['defaults to <context>/Dockerfile.', 'defaults to \\<context\\>/Dockerfile.'],
    ['(<registry>/<repository>@sha256:...)', '(\\<registry\\>/\\<repository\\>@sha256:...)'],
    ['put it in `/etc/certs.d/<registry>/ca.crt`.', 'put it in `/etc/certs.d/<registry>/ca.crt`.'],
    ['`a` <b> ``c <d> ` e`` <f>', '`a` \\<b\\> ``c <d> ` e`` \\<f\\>'],
    ['an unclosed ` then <x>', 'an unclosed ` then \\<x\\>'],
    ['a | b\nc', 'a \\| b c'],
  ])('%j → %j', (text, expected) => {
    expect(cell(text)).toBe(expected);
  });

  test('a default is a code span and is not escaped', () => {
    const withDefault = readActionInterface(
      "name: x\ndescription: x\ninputs:\n  file:\n    description: 'Path; defaults to <context>/Dockerfile.'\n    default: '<context>/Dockerfile'\nruns: { using: node24, main: x.js }\n",
    );
    expect(renderTable('inputs', withDefault)).toContain(
      '| `file` | Path; defaults to \\<context\\>/Dockerfile. | no | `<context>/Dockerfile` |',
    );
  });
});
