import { clip, createInputReader, InputError, quoted, visible } from '@deploy-suite/kit';

// A refusal quotes the outside value it refuses: cut to a readable length, with the characters
// that could break the line, colour the terminal or reorder the text shown as \uXXXX escapes.
describe('refusals show the value, never act on it', () => {
  test.each([
    ['a\nb', 'a\\u000ab'],
    ['\r::add-mask::x', '\\u000d::add-mask::x'],
    ['\u001b[31mred', '\\u001b[31mred'],
    ['data\u200b', 'data\\u200b'],
    ['\u202eatad', '\\u202eatad'],
    ['\ufeffdata', '\\ufeffdata'],
    ['\u0085x\u2028y', '\\u0085x\\u2028y'],
    ['plain-name_1', 'plain-name_1'],
  ])('visible(%j) is %s', (text, shown) => {
    expect(visible(text)).toBe(shown);
  });

  test('a long value is cut and its length said', () => {
    expect(clip('a'.repeat(100_000), 10)).toBe('aaaaaaaaaa… (100000 characters)');
    expect(quoted('short')).toBe("'short'");
    expect(quoted('x'.repeat(100_000))).toHaveLength(82 + ' (100000 characters)'.length + 1);
  });
});

test.each([
  ['a whole number', (read: ReturnType<typeof createInputReader>) => read.int('n')],
  ['true or false', (read: ReturnType<typeof createInputReader>) => read.bool('n')],
  ['one of a, b', (read: ReturnType<typeof createInputReader>) => read.oneOf('n', ['a', 'b'])],
])('the kit refusing %s quotes the value cut and visible', (_what, readIt) => {
  const read = createInputReader({ INPUT_N: `\u001b[31m${'x'.repeat(100_000)}` });
  let error: unknown;
  try {
    readIt(read);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(InputError);
  const message = (error as Error).message;
  expect(message).toContain("got '\\u001b[31m");
  expect(message).toContain('(100005 characters)');
  expect(message.length).toBeLessThan(300);
});
