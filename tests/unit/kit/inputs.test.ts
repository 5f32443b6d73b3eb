import { createInputReader, hasControlCharacter, InputError } from '@deploy-suite/kit';
import { inputEnvName } from '../../../packages/kit/src/inputs';

const reader = (inputs: Record<string, string>) =>
  createInputReader(Object.fromEntries(Object.entries(inputs).map(([k, v]) => [inputEnvName(k), v])));

const failure = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected an InputError');
};

describe('inputEnvName follows the runner', () => {
  test.each([
    ['bucket', 'INPUT_BUCKET'],
    ['aws-region', 'INPUT_AWS-REGION'],
    ['my input', 'INPUT_MY_INPUT'],
    ['Mixed-Case name', 'INPUT_MIXED-CASE_NAME'],
  ])('%s -> %s', (name, env) => expect(inputEnvName(name)).toBe(env));
});

describe('string inputs', () => {
  test('trimmed, empty when unset', () => {
    const read = reader({ a: '  x  ' });
    expect(read.string('a')).toBe('x');
    expect(read.string('b')).toBe('');
    expect(read.optional('b')).toBeUndefined();
  });
  test('required names the input', () => {
    expect(failure(() => reader({ bucket: '  ' }).required('bucket'))).toBe(
      "Input 'bucket' is required and was empty",
    );
  });
});

describe('bool inputs accept the YAML 1.2 core booleans only', () => {
  test.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    ['', false],
  ])('%p', (value, expected) => expect(reader({ flag: value }).bool('flag')).toBe(expected));
  test.each(['yes', '1', 'on', 'tru'])('%p is refused with the accepted values', (value) => {
    expect(failure(() => reader({ flag: value }).bool('flag'))).toBe(
      `Input 'flag' must be true or false; got '${value}'`,
    );
  });
});

describe('numbers', () => {
  test('whole numbers within bounds', () => {
    expect(reader({ n: '16' }).int('n', { min: 1, max: 64 })).toBe(16);
    expect(failure(() => reader({ n: '0' }).int('n', { min: 1, max: 64 }))).toBe(
      "Input 'n' must be from 1 to 64; got 0",
    );
    expect(failure(() => reader({ n: '1.5' }).int('n'))).toBe("Input 'n' must be a whole number; got '1.5'");
    expect(failure(() => reader({ n: '12abc' }).int('n', { min: 0 }))).toBe(
      "Input 'n' must be a whole number of at least 0; got '12abc'",
    );
  });
  test('optional int is undefined when empty', () => {
    expect(reader({}).optionalInt('n')).toBeUndefined();
    expect(reader({ n: '3' }).optionalInt('n')).toBe(3);
  });
  test('minutes become milliseconds, fractions allowed', () => {
    expect(reader({ t: '30' }).minutes('t')).toBe(1_800_000);
    expect(reader({ t: '0.5' }).minutes('t')).toBe(30_000);
    expect(failure(() => reader({ t: '400' }).minutes('t', { max: 360 }))).toBe(
      "Input 't' must be from 0 to 360; got 400",
    );
    expect(failure(() => reader({ t: '-1' }).minutes('t'))).toMatch(/of at least 0/);
  });
});

describe('lists and key-values', () => {
  test('list splits on commas and newlines, dropping empties', () => {
    expect(reader({ l: 'a, b\n c,,\n' }).list('l')).toEqual(['a', 'b', 'c']);
  });
  test('lines keep commas', () => {
    expect(reader({ l: 'a,b\n\n c ' }).lines('l')).toEqual(['a,b', 'c']);
  });
  test('key-values keep = in values and empty values; later keys win; comments skipped', () => {
    const pairs = reader({ kv: 'A=1\n# note\nB=x=y\nEMPTY=\nA=2' }).keyValues('kv');
    expect([...pairs]).toEqual([
      ['A', '2'],
      ['B', 'x=y'],
      ['EMPTY', ''],
    ]);
  });
  test('a line without a key names its line number', () => {
    expect(failure(() => reader({ kv: 'A=1\n=2' }).keyValues('kv'))).toBe(
      "Input 'kv' line 2 must be KEY=VALUE; got '=2'",
    );
    expect(failure(() => reader({ kv: 'novalue' }).keyValues('kv'))).toMatch(/line 1 must be KEY=VALUE/);
  });
});

test('oneOf names the accepted values', () => {
  expect(reader({ e: 'docker' }).oneOf('e', ['auto', 'docker'] as const)).toBe('docker');
  expect(failure(() => reader({ e: 'podman' }).oneOf('e', ['auto', 'docker', 'buildah'] as const))).toBe(
    "Input 'e' must be one of auto, docker, buildah; got 'podman'",
  );
});

test('the reader is frozen', () => {
  expect(Object.isFrozen(reader({}))).toBe(true);
});

describe('hasControlCharacter: C0, DEL and C1 controls, nothing else', () => {
  test.each([
    ['dags/', false],
    ['models-prod', false],
    ['tab\there', true],
    ['line\nbreak', true],
    ['nul\u0000', true],
    ['\u001f unit separator', true],
    ['space is fine', false],
    ['~ tilde (0x7e)', false],
    ['\u007f DEL', true],
    ['\u0085 next line (C1)', true],
    ['\u009f last C1', true],
    ['\u00a0 no-break space', false],
    ['é, 日本, emoji 🚀', false],
  ])('%j -> %p', (value, expected) => expect(hasControlCharacter(value)).toBe(expected));
});
