import { inputEnvName, resolveInputs } from '../../support/harness/inputs';
import { HarnessError } from '../../support/harness/harness-error';

const context = {
  'github.sha': 'a'.repeat(40),
  'github.ref': 'refs/heads/main',
  'github.workspace': '/ws',
  'github.run_attempt': '2',
  'github.token': '',
};

describe('inputEnvName', () => {
  it.each([
    ['region', 'INPUT_REGION'],
    ['build-args', 'INPUT_BUILD-ARGS'],
    ['old name', 'INPUT_OLD_NAME'],
    ['Mixed Case-name', 'INPUT_MIXED_CASE-NAME'],
    ['a  b', 'INPUT_A__B'],
  ])('%s -> %s', (name, expected) => {
    expect(inputEnvName(name)).toBe(expected);
  });
});

describe('resolveInputs', () => {
  it('passes given values through unchanged, including = and newlines', () => {
    const { env } = resolveInputs({ 'build-args': {} }, { 'build-args': 'A=1\nB=2' }, context);
    expect(env).toEqual({ 'INPUT_BUILD-ARGS': 'A=1\nB=2' });
  });

  it('fills defaults only for inputs not given, and sets nothing for inputs without one', () => {
    const { env } = resolveInputs(
      { region: { default: 'eu-west-1' }, wait: { default: 'true' }, cluster: {} },
      { wait: 'false' },
      context,
    );
    expect(env).toEqual({ INPUT_REGION: 'eu-west-1', INPUT_WAIT: 'false' });
  });

  it('evaluates the github expressions a default may use', () => {
    const { env } = resolveInputs(
      {
        commit: { default: '${{ github.sha }}' },
        ref: { default: '${{github.ref}}' },
        dir: { default: '${{ github.workspace }}/dags' },
        tag: { default: 'run-${{ github.run_attempt }}' },
        token: { default: '${{ github.token }}' },
      },
      {},
      context,
    );
    expect(env).toEqual({
      INPUT_COMMIT: 'a'.repeat(40),
      INPUT_REF: 'refs/heads/main',
      INPUT_DIR: '/ws/dags',
      INPUT_TAG: 'run-2',
      INPUT_TOKEN: '',
    });
  });

  it('fails clearly, naming the input, on an expression it cannot evaluate', () => {
    const resolve = (): unknown =>
      resolveInputs({ version: { default: "${{ hashFiles('**/lock') }}" } }, {}, context);
    expect(resolve).toThrow(HarnessError);
    expect(resolve).toThrow(/default of input 'version'.*pass the input explicitly/s);
  });

  it('does not evaluate a default that was overridden, even an unsupported one', () => {
    const { env } = resolveInputs(
      { version: { default: '${{ steps.x.outputs.y }}' } },
      { version: '1' },
      context,
    );
    expect(env).toEqual({ INPUT_VERSION: '1' });
  });

  it("warns with the runner's wording about undeclared inputs but still passes them", () => {
    const { env, warnings } = resolveInputs(
      { region: {}, 'max-attempts': {} },
      { regoin: 'x', extra: 'y' },
      context,
    );
    expect(env).toMatchObject({ INPUT_REGOIN: 'x', INPUT_EXTRA: 'y' });
    expect(warnings).toEqual([
      "Unexpected input(s) 'regoin', 'extra', valid inputs are ['region', 'max-attempts']",
    ]);
  });

  it('matches declared names case-insensitively, as the runner does', () => {
    const { env, warnings } = resolveInputs(
      { Region: { default: 'eu-west-1' } },
      { region: 'us-east-1' },
      context,
    );
    expect(warnings).toEqual([]);
    expect(env).toEqual({ INPUT_REGION: 'us-east-1' });
  });

  it('warns when a deprecated input is given', () => {
    const { warnings } = resolveInputs({ old: { deprecationMessage: 'use new' } }, { old: '1' }, context);
    expect(warnings).toEqual(["Input 'old' has been deprecated with message: use new"]);
  });
});
