/**
 * Reads the files a step writes to talk to the runner: GITHUB_OUTPUT, GITHUB_STATE and
 * GITHUB_ENV hold `name=value` lines or `name<<DELIMITER` heredocs; GITHUB_PATH holds one
 * directory per line. The parsing follows the runner's rules, including its error texts.
 */
export class FileCommandError extends Error {
  override readonly name = 'FileCommandError';
}

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

export function parseKeyValueFile(text: string): KeyValue[] {
  const lines = splitLines(text);
  const pairs: KeyValue[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i++] ?? '';
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const key = line.slice(0, equals);
      if (key === '') throw new FileCommandError(`Invalid format '${line}'. Name must not be empty`);
      pairs.push({ key, value: line.slice(equals + 1) });
    } else if (heredoc >= 0) {
      const key = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (key === '' || delimiter === '') {
        throw new FileCommandError(
          `Invalid format '${line}'. Name must not be empty and delimiter must not be empty`,
        );
      }
      const body: string[] = [];
      for (;;) {
        if (i >= lines.length) {
          throw new FileCommandError(`Invalid value. Matching delimiter not found '${delimiter}'`);
        }
        const next = lines[i++] ?? '';
        if (next === delimiter) break;
        body.push(next);
      }
      pairs.push({ key, value: body.join('\n') });
    } else {
      throw new FileCommandError(`Invalid format '${line}'`);
    }
  }
  return pairs;
}

export function parsePathFile(text: string): string[] {
  return splitLines(text).filter((line) => line !== '');
}

/** Last value wins for a repeated key, as when the runner applies the pairs in order. */
export function toRecord(pairs: readonly KeyValue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of pairs) out[key] = value;
  return out;
}

/** Lines split on LF; a trailing newline does not make an extra empty line. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
