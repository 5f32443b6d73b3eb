/**
 * The chain told to a person on a terminal: a header per step, the action's log as the harness
 * prints it (trimmed; the whole of it goes to a file), its outputs, its job summary as text, what
 * the independent read-back saw, and a verdict. Summaries are also collected in summaries.md.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChainObserver } from './chain';
import { markdownToText } from './markdown-text';

export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
}

const ansi =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`;

export function paint(color: boolean): Paint {
  if (!color) return { bold: String, dim: String, green: String, red: String, yellow: String };
  return {
    bold: ansi(1, 22),
    dim: ansi(2, 22),
    green: ansi(32, 39),
    red: ansi(31, 39),
    yellow: ansi(33, 39),
  };
}

export interface TerminalReportOptions {
  readonly write: (text: string) => void;
  readonly paint: Paint;
  /** Where each step's whole log and all job summaries are written. */
  readonly logDir: string;
  /** Log lines shown per step before the rest is only written to the file (errors always show). */
  readonly maxLogLines?: number;
}

const LABELS: Readonly<Record<string, string>> = { error: 'Error', warning: 'Warning', notice: 'Notice' };

const indent = (text: string, prefix: string): string =>
  text
    .split('\n')
    .map((line) => `${prefix}${line}`.trimEnd())
    .join('\n');

export function terminalReport(options: TerminalReportOptions): ChainObserver {
  const { write, paint: p, logDir } = options;
  const maxLines = options.maxLogLines ?? 25;
  mkdirSync(logDir, { recursive: true });
  let shown = 0;
  let hidden = 0;
  let file = '';
  let inError = false;
  const logFileOf = (index: number, id: string): string =>
    join(logDir, `${String(index + 1).padStart(2, '0')}-${id}.log`);

  const showLine = (line: string): void => {
    const annotation = /^::(error|warning|notice)[^:]*::(.*)$/.exec(line);
    if (annotation) inError = annotation[1] === 'error';
    else if (!line.startsWith(' ')) inError = false;
    const important = annotation !== null || inError;
    if (shown >= maxLines && !important) {
      hidden++;
      return;
    }
    shown++;
    const level = annotation?.[1] ?? '';
    const text = annotation
      ? (level === 'error' ? p.red : p.yellow)(`${LABELS[level] ?? level}: ${annotation[2] ?? ''}`)
      : inError
        ? p.red(line)
        : line;
    write(`  ${p.dim('│')} ${text}\n`);
  };

  return {
    stepStarted: (step) => {
      shown = 0;
      hidden = 0;
      inError = false;
      file = logFileOf(step.index, step.id);
      write(
        `\n${p.bold(`━━ Step ${step.index + 1}/${step.total}: ${step.action}`)} ${p.dim('—')} ${step.title}\n`,
      );
    },
    log: (line) => {
      appendFileSync(file, `${line}\n`);
      for (const part of line.split('\n')) showLine(part);
    },
    stepFinished: (run) => {
      const { result } = run;
      if (hidden > 0) write(`  ${p.dim('│')} ${p.dim(`… ${hidden} more log lines in ${file}`)}\n`);
      const outputs = Object.entries(result.outputs);
      write(`\n  ${p.bold('Outputs')}\n`);
      write(
        outputs.length === 0 ? '    (none)\n' : `${outputs.map(([k, v]) => `    ${k} = ${v}`).join('\n')}\n`,
      );
      write(`\n  ${p.bold('Job summary')}\n`);
      const summary =
        result.summary.trim() === '' ? '(empty)' : markdownToText(result.summary, { heading: p.bold });
      write(`${indent(summary, '    ')}\n`);
      appendFileSync(
        join(logDir, 'summaries.md'),
        `<!-- step ${run.index + 1}: ${run.action} (${run.title}) -->\n\n${result.summary.trim()}\n\n`,
      );
      if (run.checked.length > 0) {
        write(`\n  ${p.bold('Read back with an independent client')}\n`);
        write(`${run.checked.map((line) => `    ${line}`).join('\n')}\n`);
      }
      const status = result.outputs['status'];
      const seconds = `${run.seconds.toFixed(1)} s`;
      const failed = result.exitCode !== 0 || (result.postExitCode ?? 0) !== 0;
      write(
        failed
          ? `\n  ${p.red(p.bold(`✘ ${run.action} failed`))} (exit ${result.exitCode}${status ? `, status ${status}` : ''}) in ${seconds}\n`
          : `\n  ${p.green(p.bold(`✔ ${run.action} succeeded`))}${status ? ` (status ${status})` : ''} in ${seconds}\n`,
      );
    },
  };
}
