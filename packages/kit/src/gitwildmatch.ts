/**
 * Git wildmatch patterns as Python pathspec's `gitwildmatch` compiles them: the EB CLI reads
 * `.ebignore` with it (pathspec 0.12.1, pinned in the EB CLI's requirements.txt), and Airflow 3
 * reads a glob `.airflowignore` with it. The EB CLI matches each pattern against a file's whole
 * path relative to the project root, the last matching line deciding. Unlike git itself there is no "a file under an excluded folder cannot be
 * re-included" rule: a `!` line re-includes any path it matches. That is why the `ignore` package
 * (git's semantics, parents first) is not used here.
 */

export interface WildmatchRule {
  /** 1-based line of the pattern in its file. */
  line: number;
  pattern: string;
  /** True for an excluding line, false for a `!` line that re-includes. */
  excludes: boolean;
  regex: RegExp;
}

export class WildmatchError extends Error {
  constructor(
    readonly line: number,
    readonly pattern: string,
    why: string,
  ) {
    super(`line ${line} '${pattern}': ${why}`);
    this.name = 'WildmatchError';
  }
}

// Python's str.splitlines() boundaries: pathspec reads the file line by line through codecs.
// eslint-disable-next-line no-control-regex -- \x1c-\x1e are among Python's line boundaries
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
// Python's str.strip() whitespace (str.isspace()); unlike String.prototype.trim it keeps U+FEFF.
const PY_SPACE =
  '[\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const LEADING_SPACE = new RegExp(`^${PY_SPACE}+`);
const TRAILING_SPACE = new RegExp(`${PY_SPACE}+$`);
// Python's `.` matches anything but a newline; JavaScript's also stops at \r, \u2028 and \u2029.
const ANY = '[^\\n]';

/** Compiles every line of an ignore file; blank lines and comments compile to nothing. */
export function compileWildmatch(text: string): WildmatchRule[] {
  const rules: WildmatchRule[] = [];
  text.split(LINE_BREAK).forEach((raw, index) => {
    const rule = compileWildmatchLine(raw, index + 1);
    if (rule) rules.push(rule);
  });
  return rules;
}

/**
 * Whether the rules exclude a path (relative, `/`-separated, no leading `./`): the last rule that
 * matches decides; no match means not excluded.
 */
export function excludedBy(rules: readonly WildmatchRule[], path: string): boolean {
  let excluded = false;
  for (const rule of rules) if (rule.regex.test(path)) excluded = rule.excludes;
  return excluded;
}

/** One line of an ignore file, or undefined for a blank line or a comment; `line` names it in errors. */
export function compileWildmatchLine(raw: string, line = 1): WildmatchRule | undefined {
  // An escaped trailing space is part of the pattern; otherwise both ends are stripped.
  const text = raw.endsWith('\\ ')
    ? raw.replace(LEADING_SPACE, '')
    : raw.replace(LEADING_SPACE, '').replace(TRAILING_SPACE, '');
  if (text === '' || text.startsWith('#') || text === '/') return undefined;
  const excludes = !text.startsWith('!');
  const pattern = excludes ? text : text.slice(1);
  try {
    return { line, pattern: text, excludes, regex: new RegExp(patternToRegex(pattern), 'u') };
  } catch (err) {
    throw new WildmatchError(line, text, err instanceof Error ? err.message : String(err));
  }
}

function patternToRegex(pattern: string): string {
  const segments = pattern.split('/');
  // Runs of `**` segments mean the same as one.
  for (let i = segments.length - 1; i > 0; i--) {
    if (segments[i - 1] === '**' && segments[i] === '**') segments.splice(i, 1);
  }
  // `**/` matches everything below the root but no file directly in it.
  if (segments.length === 2 && segments[0] === '**' && segments[1] === '') return `^${ANY}+/${ANY}*$`;
  if (segments[0] === '') {
    segments.shift(); // a leading slash anchors the pattern at the root
  } else if (segments.length === 1 || (segments.length === 2 && segments[1] === '')) {
    // A single name (or `name/`) matches at any depth.
    if (segments[0] !== '**') segments.unshift('**');
  }
  if (segments.length === 0) throw new Error('the pattern names nothing');
  // A trailing slash matches what is below the folder, never a file of that name.
  if (segments.length > 1 && segments[segments.length - 1] === '') segments[segments.length - 1] = '**';
  const last = segments.length - 1;
  let regex = '^';
  let needSlash = false;
  segments.forEach((segment, i) => {
    if (segment === '**') {
      if (i === 0 && i === last) regex += `[^/]+(?:/${ANY}*)?`;
      else if (i === 0) regex += `(?:${ANY}+/)?`;
      else if (i === last) regex += `/${ANY}*`;
      else regex += `(?:/${ANY}+)?`;
      needSlash = i > 0;
      return;
    }
    if (needSlash) regex += '/';
    regex += segment === '*' ? '[^/]+' : globToRegex(segment);
    // A last segment without a slash matches a file, or a folder and everything below it.
    if (i === last) regex += `(?:/${ANY}*)?`;
    needSlash = true;
  });
  return `${regex}$`;
}

/** One path segment's glob (`*`, `?`, `[...]`, `\` escapes) as a regular expression. */
function globToRegex(glob: string): string {
  const chars = [...glob];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] ?? '';
    if (char === '\\') {
      const next = chars[++i];
      if (next === undefined) throw new Error('it ends with an escape character');
      out += literal(next);
    } else if (char === '*') {
      out += '[^/]*';
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '[') {
      const bracket = bracketExpression(chars, i + 1);
      if (bracket === undefined) {
        out += literal('[');
      } else {
        out += bracket.regex;
        i = bracket.end;
      }
    } else {
      out += literal(char);
    }
  }
  return out;
}

/**
 * `[...]` starting after the `[` at `start`: `!` or `^` first negates, a `]` right after that is
 * literal, `a-z` is a range, everything else (a backslash too) is a literal character. Undefined
 * when it never closes: the `[` is then literal.
 */
function bracketExpression(
  chars: readonly string[],
  start: number,
): { regex: string; end: number } | undefined {
  let j = start;
  const negated = chars[j] === '!' || chars[j] === '^';
  if (negated) j++;
  const first = j;
  if (chars[j] === ']') j++;
  while (j < chars.length && chars[j] !== ']') j++;
  if (j >= chars.length) return undefined;
  const members = chars.slice(first, j);
  let body = '';
  for (let k = 0; k < members.length; k++) {
    const low = members[k] ?? '';
    const high = members[k + 2];
    if (members[k + 1] === '-' && high !== undefined) {
      if ((low.codePointAt(0) ?? 0) > (high.codePointAt(0) ?? 0)) {
        throw new Error(`bad character range ${low}-${high}`);
      }
      body += `${literal(low)}-${literal(high)}`;
      k += 2;
    } else {
      body += literal(low);
    }
  }
  return { regex: `[${negated ? '^' : ''}${body}]`, end: j };
}

function literal(char: string): string {
  return /^[A-Za-z0-9_]$/.test(char) ? char : `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`;
}
