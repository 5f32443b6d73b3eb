import { HarnessError } from '../../support/harness/harness-error';
import { parseManifest } from '../../support/harness/manifest';

const yaml = (runs: string, rest = ''): string => `name: Demo\n${rest}runs:\n${runs}`;

describe('parseManifest', () => {
  it('reads inputs with every scalar as a string, as the runner does', () => {
    const manifest = parseManifest(
      yaml(
        '  using: node24\n  main: dist/index.js\n',
        'inputs:\n  wait:\n    default: true\n  timeout:\n    default: 1.0\n  name:\n    default: ${{ github.sha }}\n  bare:\n',
      ),
      '/a',
    );
    expect(manifest.inputs).toEqual({
      wait: { default: 'true' },
      timeout: { default: '1.0' },
      name: { default: '${{ github.sha }}' },
      bare: {},
    });
  });

  it('reads pre, post and their conditions', () => {
    const manifest = parseManifest(
      yaml(
        '  using: node20\n  main: m.js\n  pre: p.js\n  post: q.js\n  pre-if: always()\n  post-if: failure()\n',
      ),
      '/a',
    );
    expect(manifest.runs).toEqual({
      using: 'node20',
      main: 'm.js',
      pre: 'p.js',
      post: 'q.js',
      preIf: 'always()',
      postIf: 'failure()',
    });
  });

  it.each([
    ['composite', '  using: composite\n  steps: []\n', /runs\.using is 'composite'.*node24 or node20/],
    ['node16', '  using: node16\n  main: m.js\n', /runs\.using is 'node16'/],
    ['a missing main', '  using: node24\n', /runs\.main is missing/],
  ])('refuses %s', (_what, runs, message) => {
    expect(() => parseManifest(yaml(runs), '/a')).toThrow(HarnessError);
    expect(() => parseManifest(yaml(runs), '/a')).toThrow(message);
  });

  it('refuses a file without runs', () => {
    expect(() => parseManifest('name: x\n', '/a')).toThrow(/no 'runs' section/);
  });
});
