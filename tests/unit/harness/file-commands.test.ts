import {
  FileCommandError,
  parseKeyValueFile,
  parsePathFile,
  toRecord,
} from '../../support/harness/file-commands';

describe('parseKeyValueFile', () => {
  it('reads name=value lines, splitting at the first =', () => {
    expect(parseKeyValueFile('a=1\nb=x=y\nempty=\n')).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: 'x=y' },
      { key: 'empty', value: '' },
    ]);
  });

  it('reads heredocs verbatim, inner blank lines and = signs included', () => {
    const text = 'args<<ghadelimiter_abc\nA=1\n\nB=2\nghadelimiter_abc\nnext=ok\n';
    expect(toRecord(parseKeyValueFile(text))).toEqual({ args: 'A=1\n\nB=2', next: 'ok' });
  });

  it('gives an empty value for a heredoc closed at once', () => {
    expect(parseKeyValueFile('x<<EOF\nEOF\n')).toEqual([{ key: 'x', value: '' }]);
  });

  it('uses whichever of = and << comes first on the line', () => {
    expect(parseKeyValueFile('a=b<<c\n')).toEqual([{ key: 'a', value: 'b<<c' }]);
    expect(parseKeyValueFile('a<<X=Y\nv\nX=Y\n')).toEqual([{ key: 'a', value: 'v' }]);
  });

  it('skips empty lines and reads a last line without a newline', () => {
    expect(parseKeyValueFile('\n\na=1\n\nb=2')).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
  });

  it('keeps a carriage return, as the runner does on Linux', () => {
    expect(parseKeyValueFile('a=1\r\n')).toEqual([{ key: 'a', value: '1\r' }]);
  });

  it.each([
    ['a heredoc without its closing delimiter', 'x<<EOF\nvalue\n', /Matching delimiter not found 'EOF'/],
    ['a line that is neither form', 'just text\n', /Invalid format 'just text'/],
    ['an empty name', '=value\n', /Name must not be empty/],
    ['an empty delimiter', 'x<<\nv\n', /delimiter must not be empty/],
  ])('rejects %s', (_what, text, message) => {
    expect(() => parseKeyValueFile(text)).toThrow(FileCommandError);
    expect(() => parseKeyValueFile(text)).toThrow(message);
  });

  it('lets the last of repeated names win', () => {
    expect(toRecord(parseKeyValueFile('a=1\na=2\n'))).toEqual({ a: '2' });
  });
});

describe('parsePathFile', () => {
  it('returns one entry per non-empty line', () => {
    expect(parsePathFile('/opt/a/bin\n\n/opt/b/bin\n')).toEqual(['/opt/a/bin', '/opt/b/bin']);
  });
});
