/**
 * How a refusal quotes an outside value: recognisable, on one line, and unable to act on the
 * terminal or the log around it, however long or strange the value is.
 */

/** The longest stretch of an outside value a refusal quotes: enough to recognise it, one line still. */
export const QUOTE_MAX = 80;

/** `text` cut to `max` characters, saying how long it was: a 100,000-character value stays readable in one line. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}… (${chars.length} characters)`;
}

/**
 * Control and format characters (a newline, a terminal escape, a zero-width space, a right-to-left
 * override, a byte order mark) written as \uXXXX escapes: a refusal shows what the value holds, and
 * what it holds cannot break the line, colour the terminal or reorder the text around it.
 */
export function visible(text: string): string {
  return text.replace(
    /[\p{Cc}\p{Cf}\u2028\u2029]/gu,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/** `value` quoted for a refusal: cut to QUOTE_MAX characters, its invisible characters shown. */
export function quoted(value: string): string {
  return `'${visible(clip(value, QUOTE_MAX))}'`;
}
