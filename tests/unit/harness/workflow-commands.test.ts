import {
  parseWorkflowCommand,
  unescapeData,
  unescapeProperty,
} from '../../support/harness/workflow-commands';

describe('parseWorkflowCommand', () => {
  it('parses name, properties and data', () => {
    expect(parseWorkflowCommand('::error file=src/a.ts,line=3,col=5,title=Build failed::it broke')).toEqual({
      name: 'error',
      properties: { file: 'src/a.ts', line: '3', col: '5', title: 'Build failed' },
      data: 'it broke',
    });
  });

  it('accepts leading whitespace and any case in the name', () => {
    expect(parseWorkflowCommand('   ::WARNING::careful')).toEqual({
      name: 'warning',
      properties: {},
      data: 'careful',
    });
  });

  it('keeps everything after the second :: as data, colons included', () => {
    expect(parseWorkflowCommand('::notice::a::b: c')?.data).toBe('a::b: c');
  });

  it('unescapes data and properties with their own rules', () => {
    const command = parseWorkflowCommand('::warning title=a%3Ab%2Cc%25::line1%0Aline2%0D 100%25 %3A');
    expect(command?.properties['title']).toBe('a:b,c%');
    expect(command?.data).toBe('line1\nline2\r 100% %3A');
  });

  it('drops properties with an empty side and splits only at the first =', () => {
    expect(parseWorkflowCommand('::error a=,=b,c=d=e,,::x')?.properties).toEqual({ c: 'd=e' });
  });

  it.each([
    ['plain text'],
    ['::unknown-command::x'],
    [':: error::x'],
    ['::error'],
    ['text ::error::not at the start'],
  ])('treats %j as text', (line) => {
    expect(parseWorkflowCommand(line)).toBeUndefined();
  });

  it('recognises extra names such as a stop-commands token', () => {
    expect(parseWorkflowCommand('::tok123::', new Set(['tok123']))?.name).toBe('tok123');
  });

  it('parses the legacy ##[name k=v;k=v]data form', () => {
    expect(parseWorkflowCommand('prefix ##[warning file=a.ts;line=2]old%3Bstyle')).toEqual({
      name: 'warning',
      properties: { file: 'a.ts', line: '2' },
      data: 'old;style',
    });
  });
});

describe('unescaping', () => {
  it('unescapes in one pass, so an escaped percent is not unescaped twice', () => {
    expect(unescapeData('%250A')).toBe('%0A');
    expect(unescapeProperty('%252C')).toBe('%2C');
  });

  it('is case-sensitive, as the runner is', () => {
    expect(unescapeData('%0a')).toBe('%0a');
  });
});
