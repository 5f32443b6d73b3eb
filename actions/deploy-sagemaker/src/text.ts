/** How much of an outside text (an answer, a refused value) a log line or the summary shows. */
export const SHOWN_CHARACTERS = 300;

/** An outside text on one line, cut to `limit`: runs of control characters become one space. */
export function shownText(text: string, limit = SHOWN_CHARACTERS): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f]+/gu, ' ').trim();
  return line.length > limit ? `${line.slice(0, limit)}…` : line;
}
