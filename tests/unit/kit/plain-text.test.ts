import { runnerLog } from '@deploy-suite/kit';
import { plainText } from '../../../packages/kit/src/report';
import { parseWorkflowCommand } from '../../support/harness/workflow-commands';

// What the runner would obey in a line it reads from an action's output: a line that starts with
// `::name::` after its leading white space, or holds `##[name]` anywhere, for a registered command
// (actions/runner src/Runner.Common/ActionCommand.cs, TryParseV2 and TryParse). The harness's
// parser follows those rules; the runner splits output at \n, \r\n and a lone \r.
const obeyed = (printed: string): string[] =>
  printed
    .split(/\r\n|\r|\n/)
    .map((line) => parseWorkflowCommand(line)?.name)
    .filter((name): name is string => name !== undefined);

const hostile: readonly (readonly [string, string])[] = [
  ['a command at the start', '::set-output name=status::succeeded'],
  ['a command after leading spaces', '   ::add-mask::x'],
  ['a command after a tab and U+0085', '\t\u0085::error::forged'],
  ['a command after U+00A0 and U+3000', '\u00a0\u3000::warning::forged'],
  ['stop-commands', '::stop-commands::pwned'],
  ['a command on the next line', 'event: deploy ok\n::error file=a.py::forged'],
  ['a command after a lone CR', 'progress 10%\r::save-state name=isPost::true'],
  ['a command after CRLF', 'done\r\n::group::fake'],
  ['the legacy form anywhere in a line', 'reason: ##[set-output name=x;]y'],
  ['the legacy stop-commands', 'Task stopped: ##[stop-commands]token'],
  ['the legacy form twice', '##[error]a ##[warning]b'],
  ['an upper-case command', '::ERROR::shouting'],
];

test.each(hostile)('%s is printed as text the runner does not obey', (_, value) => {
  expect(obeyed(value).length).toBeGreaterThan(0); // the case is a real command as written
  expect(obeyed(plainText(value))).toEqual([]);
});

test.each([
  ['ordinary text', 'Service web is stable after 3 minutes'],
  ['colons inside a line', 'image: 123.dkr.ecr.us-east-1.amazonaws.com/ml::tag'],
  ['unicode', 'modèle déployé ✅ 模型'],
  ['a single hash bracket', 'item #[3]'],
])('%s reads exactly as written', (_, value) => {
  expect(plainText(value)).toBe(value);
});

test('only the marker changes, so the line still reads the same', () => {
  expect(plainText('::error::x').replace(/\u200b/g, '')).toBe('::error::x');
  expect(plainText('a\r\nb\rc')).toBe('a\nb\nc');
});

test('a group title holding an outside value is folded onto one line', async () => {
  const written: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await runnerLog.group('Rolling back env to v1\n::error::forged\r\nlabel', async () => undefined);
  } finally {
    write.mockRestore();
  }
  expect(written.join('').split('\n')[0]).toBe('::group::Rolling back env to v1 ::error::forged label');
});
