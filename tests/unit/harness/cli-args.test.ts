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

  it('answers --help', () => {
    expect(parseCliArgs(['--help'])).toEqual({ help: true });
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
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(HarnessError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
