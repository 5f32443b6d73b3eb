/**
 * JSON given in an input, read strictly. JSON.parse keeps the last of two members of the same name
 * without a word, so `{"sizeInGiB": 30, "sizeInGiB": 3000}` would deploy 3000 GiB to someone who
 * reads 30; RFC 8259 §4 says names "SHOULD be unique" and that receivers of duplicates behave
 * unpredictably. A duplicate is refused here, as the task-definition file's reader (yaml, unique
 * keys) refuses it.
 */
import { clip, InputError, QUOTE_MAX, visible } from '@deploy-suite/kit';

/** The parsed value; InputError naming `input` for a syntax error or a name given twice in one object. */
export function parseJsonInput(input: string, text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // V8 quotes the text around the error, which may hold anything: shown, never obeyed.
    throw new InputError(input, `is not valid JSON: ${visible(clip((err as Error).message, 200))}`);
  }
  const twice = duplicateName(text);
  if (twice !== undefined) {
    throw new InputError(
      input,
      `gives ${twice.path} twice; JSON keeps only the last, so each name may appear once in an object`,
    );
  }
  return parsed;
}

/**
 * The first member name repeated within one object of `text` (valid JSON), with its path. Walks the
 * text with an explicit stack, so nesting depth cannot exhaust the call stack.
 */
export function duplicateName(text: string): { path: string } | undefined {
  const stack: { names: Set<string> | undefined; path: string; key: string | number }[] = [];
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack.at(-1);
    if (c === '{' || c === '[') {
      const path = top === undefined ? '' : pathOf(top.path, top.key);
      stack.push({ names: c === '{' ? new Set() : undefined, path, key: c === '[' ? 0 : '' });
      expectName = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectName = false;
    } else if (c === ',') {
      expectName = top?.names !== undefined;
      if (top !== undefined && typeof top.key === 'number') top.key += 1;
    } else if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (expectName && top?.names !== undefined) {
        const name = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.names.has(name)) return { path: pathOf(top.path, name) };
        top.names.add(name);
        top.key = name;
        expectName = false;
      }
      i = end;
    }
  }
  return undefined;
}

function pathOf(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(clip(key, QUOTE_MAX));
  return parent === '' ? name : /^"/.test(name) ? `${parent}[${name}]` : `${parent}.${name}`;
}
