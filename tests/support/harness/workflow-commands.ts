/**
 * Parses one log line into a workflow command with the runner's rules: `::name k=v,k=v::data`
 * (leading whitespace allowed, command names case-insensitive) and the legacy
 * `##[name k=v;k=v]data` form. Only known command names are commands; anything else is text.
 */
export interface WorkflowCommand {
  /** Lower-cased command name. */
  readonly name: string;
  /** Property names lower-cased (the runner compares them case-insensitively). */
  readonly properties: Readonly<Record<string, string>>;
  readonly data: string;
}

export const KNOWN_COMMANDS: ReadonlySet<string> = new Set([
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
]);

const DATA_ESCAPES: Readonly<Record<string, string>> = { '%0D': '\r', '%0A': '\n', '%25': '%' };
const PROPERTY_ESCAPES: Readonly<Record<string, string>> = { ...DATA_ESCAPES, '%3A': ':', '%2C': ',' };
const LEGACY_ESCAPES: Readonly<Record<string, string>> = { ...DATA_ESCAPES, '%3B': ';', '%5D': ']' };

export function unescapeData(text: string): string {
  return text.replace(/%(?:0D|0A|25)/g, (m) => DATA_ESCAPES[m] ?? m);
}

export function unescapeProperty(text: string): string {
  return text.replace(/%(?:0D|0A|25|3A|2C)/g, (m) => PROPERTY_ESCAPES[m] ?? m);
}

function unescapeLegacy(text: string): string {
  return text.replace(/%(?:0D|0A|25|3B|5D)/g, (m) => LEGACY_ESCAPES[m] ?? m);
}

/**
 * `extraNames` are names recognised in addition to KNOWN_COMMANDS (the stop-commands token
 * becomes a command name while commands are stopped).
 */
export function parseWorkflowCommand(
  line: string,
  extraNames: ReadonlySet<string> = new Set(),
): WorkflowCommand | undefined {
  const isKnown = (name: string): boolean =>
    KNOWN_COMMANDS.has(name.toLowerCase()) || hasIgnoringCase(extraNames, name);
  return parseCurrent(line, isKnown) ?? parseLegacy(line, isKnown);
}

function hasIgnoringCase(names: ReadonlySet<string>, name: string): boolean {
  const lower = name.toLowerCase();
  for (const candidate of names) if (candidate.toLowerCase() === lower) return true;
  return false;
}

function parseCurrent(line: string, isKnown: (name: string) => boolean): WorkflowCommand | undefined {
  // The runner trims with .NET's TrimStart, whose white space includes U+0085 (JavaScript's does not).
  const message = line.replace(/^[\s\u0085]+/, '');
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (name === '' || !isKnown(name)) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const part of info
      .slice(space + 1)
      .trim()
      .split(',')) {
      const pair = splitPair(part);
      if (pair) properties[pair[0].toLowerCase()] = unescapeProperty(pair[1]);
    }
  }
  return { name: name.toLowerCase(), properties, data: unescapeData(message.slice(end + 2)) };
}

function parseLegacy(line: string, isKnown: (name: string) => boolean): WorkflowCommand | undefined {
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const close = line.indexOf(']', prefix);
  if (close < 0) return undefined;
  const info = line.slice(prefix + 3, close);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (name === '' || !isKnown(name)) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const part of info.slice(space + 1).split(';')) {
      const pair = splitPair(part);
      if (pair) properties[pair[0].toLowerCase()] = unescapeLegacy(pair[1]);
    }
  }
  return { name: name.toLowerCase(), properties, data: unescapeLegacy(line.slice(close + 1)) };
}

/** `k=v` split at the first `=`; pairs with an empty side are dropped, as the runner does. */
function splitPair(part: string): [string, string] | undefined {
  const eq = part.indexOf('=');
  if (eq < 0) return undefined;
  const key = part.slice(0, eq);
  const value = part.slice(eq + 1);
  if (key === '' || value === '') return undefined;
  return [key, value];
}
