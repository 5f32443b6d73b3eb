import { evaluateCondition, evaluateTemplate } from '../../support/harness/expressions';

describe('evaluateTemplate', () => {
  const context = { 'github.sha': 'abc', 'runner.os': 'Linux' };

  it('replaces each expression and keeps the text around them', () => {
    expect(evaluateTemplate('${{ runner.os }}-${{ github.sha }}!', context, 'x')).toBe('Linux-abc!');
  });

  it('reads context names case-insensitively and accepts quoted strings', () => {
    expect(evaluateTemplate("${{ GitHub.SHA }} ${{ 'it''s' }}", context, 'x')).toBe("abc it's");
  });

  it('leaves text without expressions alone', () => {
    expect(evaluateTemplate('plain $ {{ text }}', context, 'x')).toBe('plain $ {{ text }}');
  });

  it('names what it could not evaluate and what it knows', () => {
    expect(() => evaluateTemplate('${{ secrets.TOKEN }}', context, 'the default of input t')).toThrow(
      /secrets\.TOKEN.*the default of input t.*github\.sha, runner\.os/s,
    );
  });
});

describe('evaluateCondition', () => {
  it.each([
    ['always()', false, true],
    ['always()', true, true],
    ['success()', false, true],
    ['success()', true, false],
    ['${{ failure() }}', true, true],
    ['failure()', false, false],
    ['cancelled()', true, false],
    ['!cancelled()', true, true],
    ['true', true, false],
    ['false', false, false],
  ])('%s with failed=%s is %s', (condition, failed, expected) => {
    expect(evaluateCondition(condition, { failed }, 'post-if')).toBe(expected);
  });

  it('refuses conditions it cannot evaluate', () => {
    expect(() => evaluateCondition("runner.os == 'Linux'", { failed: false }, 'runs.post-if')).toThrow(
      /runs\.post-if.*supports always\(\)/,
    );
  });
});
