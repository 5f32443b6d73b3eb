import { compileWildmatchLine } from '@deploy-suite/kit';

/**
 * `.airflowignore` as Airflow's DAG processor reads it. It decides which files Airflow *parses* for
 * DAGs, never which files exist: ignored files stay in the DAGs folder and are imported by DAGs.
 *
 * Two syntaxes, chosen by `[core] dag_ignore_file_syntax` (Airflow 2 default `regexp`, Airflow 3
 * default `glob`; see the Airflow docs, Core Concepts > DAGs > .airflowignore, and the walk in
 * `airflow/utils/file.py` (Airflow 2) / `module_loading/file_discovery.py` (Airflow 3)):
 *
 * - Every line loses everything from its first `#` (and the blanks before it); empty lines are
 *   skipped. Nothing else is trimmed.
 * - A file's rules apply to its folder and every folder below; rules of folders above come first.
 * - A folder the rules match is not entered, so nothing below it is parsed.
 * - regexp: a line is a regular expression searched for anywhere in the path relative to the
 *   DAGs folder (not to the folder holding the .airflowignore); any match ignores the path.
 * - glob: a line is a gitignore-style pattern. With a `/` at its start or in its middle it is
 *   matched against the path relative to the folder holding the .airflowignore; without one,
 *   against the entry's name alone. Folders are matched with a trailing `/`, so `logs/` matches
 *   a folder and not a file. Rules are read in order and the last one that matches decides:
 *   `!` re-includes (but not below an ignored folder, which is never entered).
 */

export type IgnoreSyntax = 'regexp' | 'glob';

export interface IgnoreOptions {
  /**
   * Compile regexp lines as RE2 does: Airflow 2.6.3 and later (to the last 2.x) use Google's RE2,
   * which has no look-around and no back-references, and skip such a line with a warning
   * (apache/airflow#32303, #40672). Airflow 3 compiles them with Python's `re` again.
   */
  re2?: boolean;
}

export interface InvalidPattern {
  /** Folder holding the .airflowignore, relative to the DAGs folder ('' for the root). */
  folder: string;
  line: number;
  pattern: string;
  reason: string;
}

interface RegexpRule {
  kind: 'regexp';
  pattern: RegExp;
}

interface GlobRule {
  kind: 'glob';
  pattern: RegExp;
  /** False for a `!` line: a match re-includes. */
  ignores: boolean;
  /** The folder a pattern with a `/` is relative to; undefined: matched against the name alone. */
  anchor: string | undefined;
}

type Rule = RegexpRule | GlobRule;

export interface ParsedIgnoreFile {
  rules: Rule[];
  invalid: InvalidPattern[];
}

/** What remains of each line once Airflow has cut its comment; empty lines are gone. */
function patternLines(text: string): { pattern: string; line: number }[] {
  return text
    .split(/\r\n|\r|\n/) // Python reads the file in text mode: universal newlines
    .map((raw, index) => ({ pattern: raw.replace(/\s*#.*/, ''), line: index + 1 }))
    .filter(({ pattern }) => pattern !== '');
}

/** Parses one .airflowignore found in `folder`; a pattern that does not compile is reported and skipped, as Airflow does. */
export function parseAirflowIgnore(
  text: string,
  folder: string,
  syntax: IgnoreSyntax,
  options: IgnoreOptions = {},
): ParsedIgnoreFile {
  const rules: Rule[] = [];
  const invalid: InvalidPattern[] = [];
  for (const { pattern, line } of patternLines(text)) {
    try {
      const rule = syntax === 'regexp' ? regexpRule(pattern, options) : globRule(pattern, folder);
      if (rule !== undefined) rules.push(rule);
    } catch (err) {
      invalid.push({ folder, line, pattern, reason: (err as Error).message });
    }
  }
  return { rules, invalid };
}

function regexpRule(source: string, options: IgnoreOptions): RegexpRule {
  if (options.re2 === true) {
    const unsupported = re2Unsupported(source);
    if (unsupported !== undefined) throw new Error(`RE2, Airflow 2's regexp engine, has no ${unsupported}`);
  }
  return { kind: 'regexp', pattern: toJsRegExp(source) };
}

const RE2_GROUPS: readonly [string, string][] = [
  ['(?=', 'look-ahead'],
  ['(?!', 'look-ahead'],
  ['(?<=', 'look-behind'],
  ['(?<!', 'look-behind'],
  ['(?>', 'atomic group'],
  ['(?P=', 'back-reference'],
];

/** The first construct RE2 refuses that the pattern uses, outside escapes and character classes. */
function re2Unsupported(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') {
      if (!inClass && /[1-9]/.test(source[i + 1] ?? '')) return 'back-reference';
      i++;
    } else if (inClass) {
      if (char === ']') inClass = false;
    } else if (char === '[') {
      inClass = true;
      if (source[i + 1] === '^') i++;
      if (source[i + 1] === ']') i++; // a ] first in a class is literal
    } else if (char === '(') {
      const found = RE2_GROUPS.find(([opening]) => source.startsWith(opening, i));
      if (found !== undefined) return found[1];
    }
  }
  return undefined;
}

/** Python spellings JavaScript lacks: named groups `(?P<name>...)`, back-references `(?P=name)`, a leading `(?i)`. */
function toJsRegExp(source: string): RegExp {
  let body = source.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  let flags = '';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(body);
  if (inline?.[1] !== undefined) {
    body = body.slice(inline[0].length);
    if (inline[1].includes('i')) flags += 'i';
    if (inline[1].includes('m')) flags += 'm';
    if (inline[1].includes('s')) flags += 's';
  }
  return new RegExp(body, flags);
}

function globRule(raw: string, folder: string): GlobRule | undefined {
  // Airflow decides the anchoring on the line as written (a lone "/" is a no-op it skips).
  if (raw.trim() === '/') return undefined;
  const anchored = raw.startsWith('/') || raw.replace(/\/+$/, '').includes('/');
  // Airflow 3 compiles each line with pathspec's GitWildMatchPattern, as the kit's matcher does.
  const compiled = compileWildmatchLine(raw);
  if (compiled === undefined) return undefined;
  return {
    kind: 'glob',
    pattern: compiled.regex,
    ignores: compiled.excludes,
    anchor: anchored ? folder : undefined,
  };
}

/**
 * Every .airflowignore of a tree, by the folder holding it (relative to the DAGs folder), judged
 * as Airflow's walk would: `ignores(path)` is true when Airflow would not parse that file.
 */
export class AirflowIgnore {
  private readonly byFolder = new Map<string, Rule[]>();
  private readonly folders = new Map<string, { ignored: boolean; rules: Rule[] }>();
  readonly invalid: InvalidPattern[] = [];

  constructor(
    readonly syntax: IgnoreSyntax,
    ignoreFiles: ReadonlyMap<string, string>,
    options: IgnoreOptions = {},
  ) {
    for (const [folder, text] of ignoreFiles) {
      const parsed = parseAirflowIgnore(text, folder, syntax, options);
      this.byFolder.set(folder, parsed.rules);
      this.invalid.push(...parsed.invalid);
    }
  }

  get size(): number {
    let count = 0;
    for (const rules of this.byFolder.values()) count += rules.length;
    return count;
  }

  /** True when Airflow skips this file: it, or a folder on the way to it, is ignored. */
  ignores(path: string): boolean {
    const slash = path.lastIndexOf('/');
    const folder = this.folder(slash < 0 ? '' : path.slice(0, slash));
    return folder.ignored || this.matches(path, false, folder.rules);
  }

  /** Whether a folder is ignored (or lies in one), and the rules in force inside it. */
  private folder(path: string): { ignored: boolean; rules: Rule[] } {
    const known = this.folders.get(path);
    if (known !== undefined) return known;
    let state: { ignored: boolean; rules: Rule[] };
    if (path === '') {
      state = { ignored: false, rules: this.byFolder.get('') ?? [] };
    } else {
      const slash = path.lastIndexOf('/');
      const parent = this.folder(slash < 0 ? '' : path.slice(0, slash));
      const ignored = parent.ignored || this.matches(path, true, parent.rules);
      state = { ignored, rules: ignored ? [] : [...parent.rules, ...(this.byFolder.get(path) ?? [])] };
    }
    this.folders.set(path, state);
    return state;
  }

  private matches(path: string, isFolder: boolean, rules: readonly Rule[]): boolean {
    let ignored = false;
    for (const rule of rules) {
      if (rule.kind === 'regexp') {
        if (rule.pattern.test(path)) return true;
        continue;
      }
      const subject = rule.anchor === undefined ? baseName(path) : relativeTo(rule.anchor, path);
      if (rule.pattern.test(isFolder ? `${subject}/` : subject)) ignored = rule.ignores;
    }
    return ignored;
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function relativeTo(folder: string, path: string): string {
  return folder === '' ? path : path.slice(folder.length + 1);
}
