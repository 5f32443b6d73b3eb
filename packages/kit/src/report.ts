import * as core from '@actions/core';
import type { Clock } from './poll';
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

/** What happened, when, as the action saw it: the job summary's timeline. */
export class Timeline {
  readonly start: number;
  readonly entries: TimelineEntry[] = [];

  constructor(private readonly clock: Pick<Clock, 'now'>) {
    this.start = clock.now();
  }

  note(text: string): void {
    this.entries.push({ at: this.clock.now(), text });
  }
}

/**
 * The one escape for outside values in a job summary (GitHub-flavoured Markdown with inline HTML).
 * HTML's specials become entities, so a value cannot open a tag, a comment or an autolink; the
 * Markdown punctuation that starts inline markup (emphasis, code, links, images, strikethrough,
 * table cells, headings) is backslash-escaped, which CommonMark turns back into the character
 * (spec: "Backslash escapes"); line breaks become <br>, so a value cannot start a block (a list,
 * a quote, a heading) on a line of its own.
 */
export function escapeSummary(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\\`*_[\]|~#!]/g, '\\$&')
    .replace(/\r\n|\r|\n|\u0085|\u2028|\u2029/g, '<br>');
}

/**
 * An outside value as summary Markdown: escaped, and every digest in it shortened to its first
 * eight hex digits (`sha256:1234abcd…`) with the whole digest in the title, shown on hover, so
 * the reason beside it stays on screen.
 */
export function summaryText(value: string): string {
  return escapeSummary(value).replace(
    /sha256:([a-f0-9]{8})[a-f0-9]{56}/g,
    (digest, head: string) => `<code title="${digest}">sha256:${head}…</code>`,
  );
}

/** A digest as plain text for a headline: `sha256:1234abcd…`. */
export function shortDigestText(digest: string): string {
  const match = /^(sha256:[a-f0-9]{8})[a-f0-9]{56}$/.exec(digest);
  return match === null ? digest : `${match[1]}…`;
}

/**
 * Builds the job summary as Markdown text: a pure value that tests read, written once at the end
 * by run(). Every string given to it is escaped with escapeSummary.
 */
export class Summary {
  private readonly parts: string[] = [];

  heading(text: string, level: 2 | 3 | 4 = 2): this {
    this.parts.push(`${'#'.repeat(level)} ${summaryText(oneLine(text))}`);
    return this;
  }

  text(paragraph: string): this {
    this.parts.push(summaryText(paragraph));
    return this;
  }

  /** Rows of cells under a header; cells are escaped so a `|` in a value cannot break the table. */
  table(header: readonly string[], rows: readonly (readonly string[])[]): this {
    const line = (cells: readonly string[]) => `| ${cells.map(summaryText).join(' | ')} |`;
    this.parts.push([line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n'));
    return this;
  }

  /** Key/value pairs as a list of `key: value` lines: a table would need a header row with nothing in it. */
  facts(pairs: readonly (readonly [string, string])[]): this {
    if (pairs.length === 0) return this;
    this.parts.push(
      pairs.map(([key, value]) => `- **${escapeSummary(key)}:** ${summaryText(value)}`).join('\n'),
    );
    return this;
  }

  list(items: readonly string[]): this {
    if (items.length === 0) return this;
    this.parts.push(items.map((item) => `- ${summaryText(item)}`).join('\n'));
    return this;
  }

  /** Events as offsets from `start` (mm:ss), so a reader sees how long each stage took. */
  timeline(start: number, entries: readonly TimelineEntry[]): this {
    return this.table(
      ['time', 'event'],
      entries.map((entry) => [formatOffset(entry.at - start), entry.text]),
    );
  }

  /** A folded block; `lines` are shown whole (digests too, to be copied), each escaped, one per line. */
  details(title: string, lines: readonly string[]): this {
    const body = lines.map(escapeSummary).join('<br>\n');
    this.parts.push(`<details><summary>${escapeSummary(title)}</summary>\n\n${body}\n\n</details>`);
    return this;
  }

  /** Appends another summary's parts (an action's body under the kit's headline). */
  append(other: Summary): this {
    this.parts.push(...other.parts);
    return this;
  }

  toMarkdown(): string {
    return this.parts.join('\n\n') + '\n';
  }
}

/** Appends the summary to the step's summary file, with every masked secret redacted, as given or escaped. */
export async function writeSummary(summary: Summary | string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const markdown = typeof summary === 'string' ? summary : summary.toMarkdown();
  await core.summary.addRaw(redact(markdown, escapeSummary)).write();
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
