/**
 * A job summary's markdown as plain text for a terminal: headings underlined, tables aligned,
 * inline markup dropped, long digests shortened (the outputs above it carry them in full).
 */
export interface TextStyle {
  heading(text: string): string;
}

export const PLAIN: TextStyle = { heading: (text) => text };

const shortenDigests = (text: string): string =>
  text.replace(/sha256:([0-9a-f]{12})[0-9a-f]{52}/g, 'sha256:$1…');

function inline(text: string): string {
  return shortenDigests(
    text
      .replace(/<br\s*\/?>/gi, ' ')
      .replace(/<\/?(details|summary|b|i|code|sub|sup)>/gi, '')
      .replace(/\*\*(.+?)\*\*/g, '$1')
      .replace(/`([^`]*)`/g, '$1')
      .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1'),
  );
}

function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => inline(cell.trim().replace(/\\\|/g, '|')));
}

const isSeparator = (row: string): boolean => /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$/.test(row.trim());

function table(rows: readonly string[]): string[] {
  const parsed = rows.filter((row) => !isSeparator(row)).map(cells);
  const [header, ...body] = parsed;
  const showHeader = header !== undefined && header.some((cell) => cell !== '');
  const shown = showHeader && header ? [header, ...body] : body;
  const columns = Math.max(0, ...shown.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max(0, ...shown.map((row) => (row[i] ?? '').length)),
  );
  const line = (row: readonly string[]): string =>
    widths
      .map((width, i) => (row[i] ?? '').padEnd(i === columns - 1 ? 0 : width))
      .join('  ')
      .trimEnd();
  const out = shown.map(line);
  if (showHeader) out.splice(1, 0, widths.map((width) => '─'.repeat(width)).join('  '));
  return out;
}

export function markdownToText(markdown: string, style: TextStyle = PLAIN): string {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trimStart().startsWith('|')) {
      const rows: string[] = [];
      while (i < lines.length && (lines[i] ?? '').trimStart().startsWith('|')) rows.push(lines[i++] ?? '');
      i--;
      out.push(...table(rows));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const text = inline(heading[2] ?? '');
      out.push(style.heading(text));
      continue;
    }
    if (/^<\/?details>|^<summary>/i.test(line.trim()) && inline(line).trim() === '') continue;
    out.push(inline(line));
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
