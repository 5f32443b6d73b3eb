/**
 * Job summaries read the way GitHub shows them: parsed as GitHub-flavoured Markdown (tables,
 * strikethrough, autolinks, inline HTML) by markdown-it, then looked at block by block.
 */
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: true, linkify: true });
type Token = ReturnType<typeof markdown.parse>[number];

export interface RenderedSummary {
  html: string;
  /** The first block's text as a reader sees it (escapes resolved, markup gone). */
  headline: string;
  /** The first block's kind: `heading_open` for a summary that starts with its verdict. */
  firstBlock: string;
  /** The text of the first quote, or undefined when there is none. */
  quote: string | undefined;
  /** Where the first quote and the first table start, in block order (-1: none). */
  quoteAt: number;
  tableAt: number;
  /** Each table's header cells, as text. */
  tableHeaders: string[][];
  /** Everything a reader sees, as text. */
  text: string;
}

function textOf(tokens: readonly Token[]): string {
  return tokens
    .flatMap((token) => (token.type === 'inline' ? (token.children ?? []) : []))
    .map((child) =>
      child.type === 'text' || child.type === 'code_inline'
        ? child.content
        : child.type === 'softbreak'
          ? ' '
          : '',
    )
    .join('');
}

export function renderSummary(source: string): RenderedSummary {
  const tokens = markdown.parse(source, {});
  const blocks = tokens.filter((t) => t.level === 0 && t.nesting !== -1);
  const quoteStart = tokens.findIndex((t) => t.type === 'blockquote_open');
  const quoteEnd = tokens.findIndex((t) => t.type === 'blockquote_close');
  const tableStart = tokens.findIndex((t) => t.type === 'table_open');
  const firstEnd = tokens.findIndex((t) => t.level === 0 && t.nesting === -1);
  const tableHeaders: string[][] = [];
  tokens.forEach((token, i) => {
    if (token.type !== 'thead_open') return;
    const end = tokens.findIndex((t, j) => j > i && t.type === 'thead_close');
    const cells: string[] = [];
    for (let j = i; j < end; j++) {
      if (tokens[j]?.type === 'th_open') cells.push(textOf([tokens[j + 1] as Token]));
    }
    tableHeaders.push(cells);
  });
  return {
    html: markdown.render(source),
    headline: textOf(tokens.slice(0, firstEnd)),
    firstBlock: blocks[0]?.type ?? '',
    quote: quoteStart < 0 ? undefined : textOf(tokens.slice(quoteStart, quoteEnd)),
    quoteAt: quoteStart,
    tableAt: tableStart,
    tableHeaders,
    text: textOf(tokens),
  };
}
