import { formatBytes, maskSecret, Summary } from '@deploy-suite/kit';
import { setOutputs } from '../../../packages/kit/src/report';
import { formatOffset } from '../../../packages/kit/src/report';
import { redact } from '../../../packages/kit/src/secrets';

test('tables escape pipes, newlines and markup so a value cannot break the table', () => {
  const md = new Summary()
    .table(
      ['file', 'action'],
      [
        ['a|b.py', 'upload\nnow'],
        ['<c>.py', 'skip'],
      ],
    )
    .toMarkdown();
  expect(md).toBe(
    [
      '| file | action |',
      '| --- | --- |',
      '| a\\|b.py | upload<br>now |',
      '| &lt;c&gt;.py | skip |',
      '',
    ].join('\n'),
  );
});

test('the timeline shows offsets from the start', () => {
  const md = new Summary()
    .timeline(1_000, [
      { at: 1_000, text: 'update started' },
      { at: 96_400, text: 'steady' },
    ])
    .toMarkdown();
  expect(md).toContain('| +0:00 | update started |');
  expect(md).toContain('| +1:35 | steady |');
});

test.each([
  [0, '+0:00'],
  [59_400, '+0:59'],
  [61_000, '+1:01'],
  [3_600_000, '+60:00'],
  [-5, '+0:00'],
])('formatOffset(%p) = %p', (ms, text) => expect(formatOffset(ms)).toBe(text));

test('parts are separated by blank lines, headings and lists rendered', () => {
  expect(new Summary().heading('Deploy', 3).list(['a', 'b']).toMarkdown()).toBe('### Deploy\n\n- a\n- b\n');
});

test('setOutputs leaves undefined outputs unset and stringifies the rest', () => {
  const set: Array<[string, string]> = [];
  setOutputs({ uploaded: 3, skipped: false, image: 'x', absent: undefined }, (n, v) => set.push([n, v]));
  expect(set).toEqual([
    ['uploaded', '3'],
    ['skipped', 'false'],
    ['image', 'x'],
  ]);
});

test('redact hides every masked secret, wherever it appears', () => {
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    maskSecret('s3cr3t-token');
    maskSecret('');
  } finally {
    write.mockRestore();
  }
  expect(redact('login with s3cr3t-token and s3cr3t-token again')).toBe('login with *** and *** again');
  expect(redact('nothing here')).toBe('nothing here');
});

test.each([
  [0, '0 B'],
  [512, '512 B'],
  [2048, '2.0 KiB'],
  [5 * 1024 * 1024, '5.0 MiB'],
  [1536 * 1024 * 1024, '1.5 GiB'],
  [3 * 1024 ** 4, '3.0 TiB'],
])('formatBytes(%p) = %s', (bytes, text) => {
  expect(formatBytes(bytes)).toBe(text);
});
