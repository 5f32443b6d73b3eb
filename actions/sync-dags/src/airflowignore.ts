/**
 * `.airflowignore` in Airflow's default (regexp) syntax: each line is a regular expression searched
 * for in the path relative to the folder holding the file; it applies to that folder and every
 * folder below it; a matching folder is skipped whole. `#` starts a comment.
 */

export interface IgnoreRule {
  /** Folder holding the .airflowignore, relative to the DAGs folder ('' for the root). */
  base: string;
  pattern: RegExp;
  source: string;
  line: number;
}

export interface InvalidPattern {
  base: string;
  line: number;
  pattern: string;
  reason: string;
}

export interface ParsedIgnoreFile {
  rules: IgnoreRule[];
  invalid: InvalidPattern[];
}

/** Parses one .airflowignore; patterns JavaScript cannot compile are reported, not fatal (as in Airflow). */
export function parseAirflowIgnore(text: string, base: string): ParsedIgnoreFile {
  const rules: IgnoreRule[] = [];
  const invalid: InvalidPattern[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const source = raw.replace(/\s*#.*$/, '').trim();
    if (source === '') return;
    try {
      rules.push({ base, pattern: toJsRegExp(source), source, line: index + 1 });
    } catch (err) {
      invalid.push({ base, line: index + 1, pattern: source, reason: (err as Error).message });
    }
  });
  return { rules, invalid };
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

/** Every rule found so far, by the folder that holds it. Paths use `/` and are relative to the DAGs folder. */
export class AirflowIgnore {
  private readonly byFolder = new Map<string, IgnoreRule[]>();

  add(rules: readonly IgnoreRule[]): void {
    for (const rule of rules) {
      const list = this.byFolder.get(rule.base) ?? [];
      list.push(rule);
      this.byFolder.set(rule.base, list);
    }
  }

  get size(): number {
    let count = 0;
    for (const rules of this.byFolder.values()) count += rules.length;
    return count;
  }

  /** True when the rules of the folders above `path` match it (the walk asks for each entry it meets). */
  matches(path: string): boolean {
    for (const folder of ancestors(path)) {
      for (const rule of this.byFolder.get(folder) ?? []) {
        rule.pattern.lastIndex = 0;
        if (rule.pattern.test(relativeTo(folder, path))) return true;
      }
    }
    return false;
  }

  /** True when `path` or a folder on the way to it is ignored: for paths found remotely, not by the walk. */
  ignores(path: string): boolean {
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      if (this.matches(parts.slice(0, i).join('/'))) return true;
    }
    return false;
  }
}

/** The folders strictly above a path, root ('') first. */
function ancestors(path: string): string[] {
  const parts = path.split('/');
  const folders = [''];
  for (let i = 1; i < parts.length; i++) folders.push(parts.slice(0, i).join('/'));
  return folders;
}

function relativeTo(folder: string, path: string): string {
  return folder === '' ? path : path.slice(folder.length + 1);
}
