import { parseCliArgs } from '../../support/harness/cli-args';
import { HarnessError } from '../../support/harness/harness-error';

describe('parseCliArgs', () => {
  it('reads the action and repeated inputs and env', () => {
    expect(
      parseCliArgs([
        'build-push',
        '--input',
        'region=eu-west-1',
        '--input=tags=a,b',
        '--env',
        'AWS_REGION=x',
      ]),
    ).toEqual({
      help: false,
      action: 'build-push',
      inputs: { region: 'eu-west-1', tags: 'a,b' },
      env: { AWS_REGION: 'x' },
      keepTemp: false,
    });
  });

  it('splits only at the first = so values keep theirs, and newlines', () => {
    const parsed = parseCliArgs(['x', '--input', 'build-args=A=1\nB=2']);
    expect(parsed).toMatchObject({ inputs: { 'build-args': 'A=1\nB=2' } });
  });

  it('keeps an empty value', () => {
    expect(parseCliArgs(['x', '--input', 'tag='])).toMatchObject({ inputs: { tag: '' } });
  });

  it('reads the other options', () => {
    expect(
      parseCliArgs([
        './fixtures/a',
        '--workspace',
        '/ws',
        '--cwd',
        '/c',
        '--event',
        'e.json',
        '--timeout',
        '30',
        '--clock-speed',
        '300',
        '--keep-temp',
      ]),
    ).toEqual({
      help: false,
      action: './fixtures/a',
      inputs: {},
      env: {},
      workspace: '/ws',
      cwd: '/c',
      eventFile: 'e.json',
      timeoutSeconds: 30,
      clockSpeed: 300,
      keepTemp: true,
    });
  });

  it.each([[['--help']], [['-h']], [['a', '--input', 'x=1', '--help']], [['--help', '--bogus']]])(
    'answers help for %j, whatever else is given',
    (argv) => {
      expect(parseCliArgs(argv)).toEqual({ help: true });
    },
  );

  it('takes the last of a repeated option and the last value of a repeated input', () => {
    expect(
      parseCliArgs(['a', '--cwd', '/one', '--cwd=/two', '--input', 'k=1', '--input', 'k=2']),
    ).toMatchObject({ cwd: '/two', inputs: { k: '2' } });
  });

  it('reads the action wherever it stands among the options', () => {
    expect(parseCliArgs(['--keep-temp', '--timeout', '5', 'deploy-ecs'])).toMatchObject({
      action: 'deploy-ecs',
      timeoutSeconds: 5,
      keepTemp: true,
    });
  });

  it.each([
    [[], /Name the action/],
    [['a', 'b'], /Expected one action, got a b/],
    [['a', '--input', 'novalue'], /--input expects NAME=VALUE/],
    [['a', '--input', '=v'], /--input expects NAME=VALUE/],
    [['a', '--input'], /--input needs a value/],
    [['a', '--bogus', 'x'], /Unknown option --bogus/],
    [['a', '--timeout', '0'], /--timeout must be a positive number/],
    [['a', '--clock-speed', 'fast'], /--clock-speed must be a positive number, got 'fast'/],
    [['a', '--clock-speed', '-1'], /--clock-speed must be a positive number/],
    [['a', '--timeout=soon'], /--timeout must be a positive number of seconds, got 'soon'/],
    [['a', '--bogus=x'], /Unknown option --bogus/],
    [['a', '--bogus'], /--bogus needs a value/],
    [['a', '--env', 'NOVALUE'], /--env expects NAME=VALUE, got 'NOVALUE'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(HarnessError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
