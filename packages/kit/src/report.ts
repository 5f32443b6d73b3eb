import * as core from '@actions/core';
import { redact } from './secrets';

/** Logging as a port: actions log through this, tests pass a recorder. */
export interface Log {
  info(message: string): void;
  warning(message: string, where?: Annotation): void;
  error(message: string, where?: Annotation): void;
  debug(message: string): void;
  group<T>(title: string, work: () => Promise<T>): Promise<T>;
}

export interface Annotation {
  file?: string;
  line?: number;
  title?: string;
}

function properties(where?: Annotation): core.AnnotationProperties {
  const props: core.AnnotationProperties = {};
  if (where?.file !== undefined) props.file = where.file;
  if (where?.line !== undefined) props.startLine = where.line;
  if (where?.title !== undefined) props.title = where.title;
  return props;
}

/**
 * Text as the runner will show it, and never obey. The runner reads every line an action prints
 * and runs it as a workflow command when, after its leading white space, it starts with `::`
 * (`ActionCommand.TryParseV2`), or when it holds `##[` anywhere (the legacy `TryParse`, still
 * tried when the first fails); it splits output at `\n`, `\r\n` and a lone `\r`
 * (actions/runner: src/Runner.Common/ActionCommand.cs, src/Runner.Worker/ActionCommandManager.cs).
 * So each line of the text is checked on its own, and a command-shaped line gets a zero-width
 * space inside the marker: it reads the same to a person and is plain text to the runner.
 * Annotations, debug lines and group titles need none of this: `@actions/core` sends them as
 * commands whose data it escapes already.
 */
export function plainText(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => {
      const unmarked = line.replace(/##\[/g, '#\u200b#[');
      // \u0085 is white space to .NET's TrimStart but not to JavaScript's \s.
      return /^[\s\u0085]*::/.test(unmarked) ? unmarked.replace('::', ':\u200b:') : unmarked;
    })
    .join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\u0085\u2028\u2029]+\s*/g, ' ');
}

/** The runner's log: every line written through it is plainText, whatever it holds. */
export const runnerLog: Log = Object.freeze({
  info: (message: string) => core.info(plainText(message)),
  warning: (message: string, where?: Annotation) => core.warning(message, properties(where)),
  error: (message: string, where?: Annotation) => core.error(message, properties(where)),
  debug: (message: string) => core.debug(message),
  // A title is one line: an outside value in it (a version label, an event) is folded, not
  // spread over several lines of the group's heading.
  group: <T>(title: string, work: () => Promise<T>) => core.group(oneLine(title), work),
});

export type OutputValue = string | number | boolean | undefined;

/** Sets step outputs; undefined values are left unset so a later step's default applies. */
export function setOutputs(
  values: Readonly<Record<string, OutputValue>>,
  set: (name: string, value: string) => void = core.setOutput,
): void {
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) set(name, String(value));
  }
}

export interface TimelineEntry {
  at: number;
  text: string;
}

/**
 * Builds the job summary as Markdown text: a pure value that tests read, written once at the end
 * through writeSummary.
 */
export class Summary {
  private readonly parts: string[] = [];

  heading(text: string, level: 2 | 3 | 4 = 2): this {
    this.parts.push(`${'#'.repeat(level)} ${escapeHtml(text)}`);
    return this;
  }

  text(paragraph: string): this {
    this.parts.push(escapeHtml(paragraph));
    return this;
  }

  /** Rows of cells under a header; cells are escaped so a `|` in a value cannot break the table. */
  table(header: readonly string[], rows: readonly (readonly string[])[]): this {
    const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
    this.parts.push([line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n'));
    return this;
  }

  /** Key/value pairs as a two-column table. */
  facts(pairs: readonly (readonly [string, string])[]): this {
    return this.table(['', ''], pairs);
  }

  list(items: readonly string[]): this {
    this.parts.push(items.map((item) => `- ${escapeHtml(item)}`).join('\n'));
    return this;
  }

  /** Events as offsets from `start` (mm:ss), so a reader sees how long each stage took. */
  timeline(start: number, entries: readonly TimelineEntry[]): this {
    return this.table(
      ['time', 'event'],
      entries.map((entry) => [formatOffset(entry.at - start), entry.text]),
    );
  }

  details(title: string, body: string): this {
    this.parts.push(`<details><summary>${escapeHtml(title)}</summary>\n\n${body}\n\n</details>`);
    return this;
  }

  toMarkdown(): string {
    return this.parts.join('\n\n') + '\n';
  }
}

/** Appends the summary to the step's summary file, with every masked secret redacted. */
export async function writeSummary(summary: Summary): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(redact(summary.toMarkdown())).write();
}

/** `512 B`, `2.0 KiB`, `1.5 GiB`: sizes as people read them, in the log and the summary alike. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function formatOffset(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `+${minutes}:${String(seconds).padStart(2, '0')}`;
}

function escapeCell(text: string): string {
  return escapeHtml(text).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
