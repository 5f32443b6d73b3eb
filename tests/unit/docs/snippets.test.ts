import { parse } from 'yaml';
import { wrapSnippet, yamlSnippets } from '../../../scripts/validate-workflows/snippets';

describe('yamlSnippets: the ```yaml blocks of a README, with the line each starts on', () => {
  test('yaml and yml fences, indented ones (in a list) dedented by their fence; other languages left alone', () => {
    const markdown = [
      '# Title', //               1
      '```yaml', //               2
      'on: push', //              3
      '```', //                   4
      '```sh', //                 5
      'npm test', //              6
      '```', //                   7
      '- item', //                8
      '', //                      9
      '  ```yml', //              10
      '  - run: echo', //         11
      '  ```', //                 12
    ].join('\n');
    expect(yamlSnippets(markdown)).toEqual([
      { line: 3, text: 'on: push' },
      { line: 11, text: '- run: echo' },
    ]);
  });

  test('a block right after <!-- not a workflow --> is other YAML and is left out', () => {
    const markdown = [
      '<!-- not a workflow -->',
      '```yaml',
      'family: x',
      '```',
      '```yaml',
      'jobs: {}',
      '```',
    ].join('\n');
    expect(yamlSnippets(markdown)).toEqual([{ line: 6, text: 'jobs: {}' }]);
  });
});

describe('wrapSnippet: a snippet made into a workflow, by the documented rule', () => {
  const jobsOf = (text: string): Record<string, Record<string, unknown>> =>
    (parse(text) as { jobs: Record<string, Record<string, unknown>> }).jobs;

  test.each([
    ['on: push\njobs:\n  a:\n    runs-on: x\n    steps: []', 'workflow', ['a']],
    [
      'jobs:\n  deploy:\n    needs: build\n    runs-on: x\n    steps: []',
      'workflow without on',
      ['build', 'deploy'],
    ],
    ['jobs:\n  build:\n    runs-on: x\n    steps: []', 'workflow without on', ['build']],
    ['runs-on: x\nsteps:\n  - run: echo', 'job', ['build', 'snippet']],
    ['      - run: echo\n      - run: echo', 'steps', ['build', 'snippet']],
    ['uses: org/greet@v1\nwith:\n  who: me', 'steps', ['build', 'snippet']],
  ])('%j is a %s with the jobs %j', (snippet, shape, jobs) => {
    const wrapped = wrapSnippet(snippet);
    if (typeof wrapped === 'string') throw new Error(wrapped);
    expect(wrapped.shape).toBe(shape);
    expect(Object.keys(jobsOf(wrapped.text))).toEqual(jobs);
  });

  test('a whole workflow is not changed at all', () => {
    const snippet = 'on: push\njobs:\n  a:\n    runs-on: x\n    steps: []';
    const wrapped = wrapSnippet(snippet);
    if (typeof wrapped === 'string') throw new Error(wrapped);
    expect(wrapped.text).toBe(`${snippet}\n`);
  });

  test('steps need the build job and run on ubuntu-24.04; a job body keeps its own runs-on and needs', () => {
    const steps = wrapSnippet('- run: echo');
    const body = wrapSnippet('runs-on: self-hosted\nneeds: [build, test]\nsteps:\n  - run: echo');
    if (typeof steps === 'string' || typeof body === 'string') throw new Error('not wrapped');
    expect(jobsOf(steps.text)['snippet']).toMatchObject({ needs: 'build', 'runs-on': 'ubuntu-24.04' });
    expect(jobsOf(body.text)['snippet']).toMatchObject({
      needs: ['build', 'test'],
      'runs-on': 'self-hosted',
    });
    expect(jobsOf(steps.text)['build']).toMatchObject({
      outputs: { image: '${{ steps.image.outputs.image }}' },
    });
  });

  test("every line of the snippet maps back to its own line; the wrapper's lines map to 0", () => {
    const snippet = 'jobs:\n  deploy:\n    needs: build\n    runs-on: x\n    steps:\n      - run: echo';
    const wrapped = wrapSnippet(snippet);
    if (typeof wrapped === 'string') throw new Error(wrapped);
    const lines = wrapped.text.split('\n');
    const source = snippet.split('\n');
    lines.forEach((line, i) => {
      const from = wrapped.sourceLine(i + 1);
      if (from === 0) return;
      expect(line).toBe(source[from - 1]);
    });
    expect(wrapped.sourceLine(1)).toBe(0); // on: workflow_dispatch
    expect(lines.filter((_, i) => wrapped.sourceLine(i + 1) > 0)).toEqual(source);
  });

  test.each([
    ['family: model-server', /^not a workflow, a job or steps/],
    ['jobs: [a\n', /^not YAML/],
  ])('%j is reported: %s', (snippet, message) => {
    expect(wrapSnippet(snippet)).toMatch(message);
  });
});
