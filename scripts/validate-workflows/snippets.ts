import { isMap, isSeq, parseDocument } from 'yaml';

/** A fenced ```yaml block of a Markdown file. */
export interface Snippet {
  /** Line of the block's first content line in the Markdown file (1-based). */
  line: number;
  text: string;
}

/** A snippet made into a whole workflow, and how its lines map back to the Markdown file. */
export interface WrappedSnippet {
  /** `workflow` (as written), `workflow without on`, `job` (a job's body) or `steps`. */
  shape: 'workflow' | 'workflow without on' | 'job' | 'steps';
  text: string;
  /** The snippet's line (1-based) a line of `text` comes from; 0 for a line the wrapper added. */
  sourceLine(line: number): number;
}

// A comment right before the fence takes a YAML block that is not a workflow out of the check.
const NOT_A_WORKFLOW = '<!-- not a workflow -->';
const FENCE = /^(\s*)(`{3,}|~{3,})\s*(yaml|yml)\s*$/;

/** Every ```yaml / ```yml block, except one right after `<!-- not a workflow -->`. */
export function yamlSnippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, indent = '', fence = ''] = open;
    let end = i + 1;
    while (end < lines.length && !(lines[end] ?? '').trim().startsWith(fence)) end++;
    const skipped = (lines[i - 1] ?? '').trim() === NOT_A_WORKFLOW;
    const body = lines
      .slice(i + 1, end)
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
    if (!skipped) snippets.push({ line: i + 2, text: body.join('\n') });
    i = end;
  }
  return snippets;
}

/** The job a fragment's `needs.build.outputs.image` reads: the build job of examples/workflows/deploy.yml. */
const BUILD_JOB = [
  '  build:',
  '    runs-on: ubuntu-24.04',
  '    outputs:',
  '      image: ${{ steps.image.outputs.image }}',
  '    steps:',
  '      - id: image',
  '        run: echo "image=$IMAGE" >> "$GITHUB_OUTPUT"',
  '        env:',
  '          IMAGE: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/model@sha256:0000000000000000000000000000000000000000000000000000000000000000',
];

/**
 * Makes a README snippet a workflow, by the rule in examples/workflows/README.md ("Checked in CI"):
 * - with `on:` and `jobs:` it is a workflow, checked as it is;
 * - with `jobs:` but no `on:`, it gets `on: workflow_dispatch`;
 * - a mapping with `steps:` is a job's body: it becomes the job `snippet`;
 * - a list, or one mapping with `uses:`/`run:`, is steps: they become the steps of the job `snippet`.
 * Every snippet but a whole workflow also gets the job `build` (unless it has its own), whose
 * output `image` is an image by digest, as the build job of the examples has; the job `snippet`
 * needs it and runs on ubuntu-24.04 unless it says otherwise. Nothing else is assumed: a snippet
 * that reads a step or a job it does not show or need, or that lacks a permission, is a finding.
 * Returns a message instead when the snippet is none of these.
 */
export function wrapSnippet(snippet: string): WrappedSnippet | string {
  const text = dedent(snippet);
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return `not YAML: ${doc.errors[0]?.message.split('\n')[0] ?? ''}`;
  const root = doc.contents;
  const lines = text.split('\n');
  const fromSnippet = (body: readonly string[]): Part => ({ lines: body, fromSnippet: true });
  const added = (body: readonly string[]): Part => ({ lines: body, fromSnippet: false });

  if (isMap(root) && root.has('jobs')) {
    if (root.has('on')) return assemble('workflow', [fromSnippet(lines)]);
    const jobs = root.get('jobs');
    const hasBuild = isMap(jobs) && jobs.has('build');
    const at = lines.findIndex((line) => /^jobs:\s*(#.*)?$/.test(line));
    if (hasBuild || at < 0)
      return assemble('workflow without on', [added(['on: workflow_dispatch']), fromSnippet(lines)]);
    return assemble('workflow without on', [
      added(['on: workflow_dispatch']),
      fromSnippet(lines.slice(0, at + 1)),
      added(BUILD_JOB),
      fromSnippet(lines.slice(at + 1)),
    ]);
  }
  const header = ['on: workflow_dispatch', 'jobs:', ...BUILD_JOB, '  snippet:'];
  if (isMap(root) && root.has('steps')) {
    const extra = [
      ...(root.has('needs') ? [] : ['    needs: build']),
      ...(root.has('runs-on') ? [] : ['    runs-on: ubuntu-24.04']),
    ];
    return assemble('job', [added([...header, ...extra]), fromSnippet(indent(lines, 4))]);
  }
  const steps = added([...header, '    needs: build', '    runs-on: ubuntu-24.04', '    steps:']);
  if (isSeq(root)) return assemble('steps', [steps, fromSnippet(indent(lines, 6))]);
  if (isMap(root) && (root.has('uses') || root.has('run'))) {
    const item = lines.map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`));
    return assemble('steps', [steps, fromSnippet(indent(item, 6))]);
  }
  return `not a workflow, a job or steps; put ${NOT_A_WORKFLOW} on the line before its fence if it is other YAML`;
}

interface Part {
  lines: readonly string[];
  fromSnippet: boolean;
}

function assemble(shape: WrappedSnippet['shape'], parts: readonly Part[]): WrappedSnippet {
  const out: string[] = [];
  const origin: number[] = [];
  let next = 1;
  for (const part of parts) {
    for (const line of part.lines) {
      out.push(line);
      origin.push(part.fromSnippet ? next++ : 0);
    }
  }
  return { shape, text: out.join('\n') + '\n', sourceLine: (line) => origin[line - 1] ?? 0 };
}

function dedent(text: string): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  const margins = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const margin = margins.length === 0 ? 0 : Math.min(...margins);
  return lines.map((line) => line.slice(margin)).join('\n');
}

function indent(lines: readonly string[], by: number): string[] {
  const pad = ' '.repeat(by);
  return lines.map((line) => (line.trim() === '' ? '' : pad + line));
}
