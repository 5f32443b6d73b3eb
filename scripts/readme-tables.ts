/**
 * Keeps the inputs and outputs tables of each actions/<name>/README.md equal to its action.yml.
 * The tables live between `<!-- inputs:start -->`/`<!-- inputs:end -->` and
 * `<!-- outputs:start -->`/`<!-- outputs:end -->`; missing markers are added under the `## Inputs`
 * / `## Outputs` heading (replacing a hand-written table there).
 *
 *   npx tsx scripts/readme-tables.ts           rewrite the tables
 *   npx tsx scripts/readme-tables.ts --check   exit 1 naming every README that differs
 *   --root=<dir>                                a checkout other than this one
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseActionManifest, type ActionManifest } from './release/action-manifest';

export type ActionInterface = Pick<ActionManifest, 'inputs' | 'outputs'>;

type Block = 'inputs' | 'outputs';

export const readActionInterface: (actionYml: string) => ActionInterface = parseActionManifest;

/** One line, pipes escaped (a pipe ends a table cell even inside a code span). */
function oneLine(value: string): string {
  return value
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replaceAll('|', '\\|');
}

/**
 * A table cell of prose: one line, pipes escaped, and `<` / `>` outside code spans escaped with a
 * backslash. Unescaped, `<context>` is an HTML tag to a Markdown renderer and GitHub drops it
 * (CommonMark 0.31, "Raw HTML" and "Backslash escapes"); inside a code span it is literal already.
 */
export function cell(value: string): string {
  // Code spans: a run of backticks up to the next run of the same length (CommonMark "Code spans").
  const parts = oneLine(value).split(/(`+)/);
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    const closing = part.startsWith('`') ? parts.indexOf(part, i + 1) : -1;
    if (closing > i) {
      out += parts.slice(i, closing + 1).join('');
      i = closing;
    } else out += part.startsWith('`') ? part : part.replace(/[<>]/g, (c) => `\\${c}`);
  }
  return out;
}

function code(value: string): string {
  const fence = value.includes('`') ? '``' : '`';
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${oneLine(value)}${pad}${fence}`;
}

export function renderTable(block: Block, spec: ActionInterface): string {
  if (block === 'inputs') {
    const rows = spec.inputs.map(
      (input) =>
        `| ${code(input.name)} | ${cell(input.description)} | ${input.required ? 'yes' : 'no'} | ` +
        `${input.default === undefined || input.default === '' ? '' : code(input.default)} |`,
    );
    return ['| Name | Description | Required | Default |', '| --- | --- | --- | --- |', ...rows].join('\n');
  }
  const rows = spec.outputs.map((output) => `| ${code(output.name)} | ${cell(output.description)} |`);
  return ['| Name | Description |', '| --- | --- |', ...rows].join('\n');
}

function markers(block: Block): { start: string; end: string } {
  return { start: `<!-- ${block}:start -->`, end: `<!-- ${block}:end -->` };
}

function generatedBlock(block: Block, spec: ActionInterface): string {
  const { start, end } = markers(block);
  return `${start}\n<!-- generated from action.yml by scripts/readme-tables.ts; edit action.yml instead -->\n\n${renderTable(block, spec)}\n\n${end}`;
}

export class ReadmeError extends Error {
  override readonly name = 'ReadmeError';
}

/** Inserts the markers under the section heading, taking the place of a table already there. */
function insertBlock(readme: string, block: Block, generated: string): string {
  const title = block === 'inputs' ? 'Inputs' : 'Outputs';
  const lines = readme.split('\n');
  const heading = lines.findIndex((line) => new RegExp(`^#{2,3}\\s+${title}\\s*$`, 'i').test(line));
  if (heading < 0)
    throw new ReadmeError(`has no ${block} markers and no "## ${title}" heading to put them under`);
  // Lines inside fenced code (a YAML example with `# comments`, a sample table) are not structure.
  let fenced = false;
  const outside = lines.map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
  let end = lines.findIndex(
    (line, index) => index > heading && outside[index] === true && /^#{1,6}\s/.test(line),
  );
  if (end < 0) end = lines.length;
  const tableStart = lines.findIndex(
    (line, index) =>
      index > heading && index < end && outside[index] === true && line.trimStart().startsWith('|'),
  );
  if (tableStart < 0) {
    const rest = lines.slice(heading + 1);
    while (rest[0]?.trim() === '') rest.shift();
    return [...lines.slice(0, heading + 1), '', generated, '', ...rest].join('\n');
  }
  let tableEnd = tableStart;
  while (tableEnd < end && lines[tableEnd]?.trimStart().startsWith('|') === true) tableEnd++;
  return [...lines.slice(0, tableStart), generated, ...lines.slice(tableEnd)].join('\n');
}

/** The README with both tables regenerated (a block is added only when the action has entries). */
export function updateReadme(readme: string, spec: ActionInterface): string {
  let result = readme;
  for (const block of ['inputs', 'outputs'] as const) {
    const { start, end } = markers(block);
    const generated = generatedBlock(block, spec);
    const from = result.indexOf(start);
    const to = result.indexOf(end);
    if (from >= 0 && to > from) {
      result = `${result.slice(0, from)}${generated}${result.slice(to + end.length)}`;
    } else if (from >= 0 || to >= 0) {
      throw new ReadmeError(`has a ${start} or ${end} marker without the other`);
    } else if ((block === 'inputs' ? spec.inputs : spec.outputs).length > 0) {
      result = insertBlock(result, block, generated);
    }
  }
  return result;
}

export interface ReadmeResult {
  readonly readme: string;
  readonly status: 'up-to-date' | 'updated' | 'drifted' | 'error';
  readonly message?: string;
}

export function syncReadmeTables(root: string, options: { check: boolean }): ReadmeResult[] {
  const actionsDir = join(root, 'actions');
  const names = readdirSync(actionsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(actionsDir, entry.name, 'action.yml')))
    .map((entry) => entry.name)
    .sort();
  return names.map((name): ReadmeResult => {
    const readme = `actions/${name}/README.md`;
    const file = join(root, readme);
    if (!existsSync(file)) return { readme, status: 'error', message: 'is missing' };
    const current = readFileSync(file, 'utf8');
    let wanted: string;
    try {
      wanted = updateReadme(
        current,
        readActionInterface(readFileSync(join(actionsDir, name, 'action.yml'), 'utf8')),
      );
    } catch (err) {
      if (err instanceof ReadmeError) return { readme, status: 'error', message: err.message };
      throw err;
    }
    if (wanted === current) return { readme, status: 'up-to-date' };
    if (options.check) return { readme, status: 'drifted', message: 'tables differ from action.yml' };
    writeFileSync(file, wanted);
    return { readme, status: 'updated' };
  });
}

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  // --root=<dir> points at another checkout (tests use fixtures); the default is this repository.
  const root =
    argv.find((arg) => arg.startsWith('--root='))?.slice('--root='.length) ?? join(__dirname, '..');
  let failed = 0;
  for (const result of syncReadmeTables(root, { check })) {
    if (result.status === 'drifted' || result.status === 'error') {
      failed++;
      const hint = result.status === 'drifted' ? '; run npx tsx scripts/readme-tables.ts and commit' : '';
      console.log(`::error file=${result.readme}::${result.readme} ${result.message ?? ''}${hint}`);
    } else {
      console.log(`${result.readme}: ${result.status}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
