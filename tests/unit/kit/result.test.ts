import { Cancelled, DeployFailed, InputError, Summary } from '@deploy-suite/kit';
import { escapeSummary, summaryText } from '../../../packages/kit/src/report';
import {
  attachedResult,
  failureStatus,
  publishResult,
  renderResult,
  resultOfFailure,
  withResult,
  type ActionResult,
} from '../../../packages/kit/src/result';
import { run } from '../../../packages/kit/src/run';
import { redact } from '../../../packages/kit/src/secrets';
import { STATUSES, STATUS_ICON, STATUS_MEANING } from '../../../packages/kit/src/status';
import { maskSecret } from '@deploy-suite/kit';
import { renderSummary } from '../../support/rendered-summary';

// CommonMark turns a backslash before any ASCII punctuation back into the character, and HTML
// entities into theirs (spec: "Backslash escapes", "Entity and numeric character references"), so
// a reader sees each value exactly as it was, and no markup it held.
test.each([
  ['emphasis and code', '*bold* _it_ `code` ~~gone~~'],
  ['a link and an image', '[click](https://evil.example) ![x](https://evil.example/x.png)'],
  ['HTML', '<img src=x onerror=alert(1)> <script>alert(1)</script> </details>'],
  ['an entity', '&amp; &lt;'],
  ['a table cell', 'a | b | c'],
  ['a heading start', '# not a heading'],
  ['backslashes', 'C:\\Users\\x \\*'],
])('escapeSummary keeps %s as text', (_name, value) => {
  const rendered = renderSummary(`## ✅ x: ${escapeSummary(value)}`);
  expect(rendered.headline).toBe(`✅ x: ${value}`);
  expect(rendered.html).not.toMatch(/<(img|script|em|strong|code|del)\b/);
  // GitHub links a bare URL (the GFM autolink extension); the link then reads as where it goes.
  for (const [, href, text] of rendered.html.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g))
    expect(text).toBe(href);
});

test('a line break in a value cannot start a block of its own', () => {
  const rendered = renderSummary(`- **file:** ${escapeSummary('a.py\n# heading\n> quote\n- item')}`);
  expect(rendered.html).not.toMatch(/<h1|<blockquote|<li>item/);
  expect(rendered.text).toContain('# heading');
});

test('digests are shortened, the whole digest in the title', () => {
  const digest = `sha256:0123abcd${'f'.repeat(56)}`;
  expect(summaryText(`repo@${digest}`)).toBe(`repo@<code title="${digest}">sha256:0123abcd…</code>`);
  // Not a digest: left as it is.
  expect(summaryText('sha256:short')).toBe('sha256:short');
});

test('every status has a meaning and an icon', () => {
  for (const status of STATUSES) {
    expect(STATUS_MEANING[status]).toBeTruthy();
    expect(['✅', '❌', '⚠️']).toContain(STATUS_ICON[status]);
  }
});

test.each([
  [new DeployFailed('x', [], 'rolled-back'), 'rolled-back'],
  [new DeployFailed('x'), 'failed'],
  [new DeployFailed('x', [], 'cancelled'), 'cancelled'],
  [new Cancelled('SIGINT'), 'cancelled'],
  [new InputError('wait', 'must be true or false'), 'failed'],
  [new Error('bug'), 'failed'],
  ['a string', 'failed'],
])('failureStatus(%p) = %p, from the type and the typed field', (err, status) => {
  expect(failureStatus(err)).toBe(status);
});

const failed: ActionResult = {
  status: 'rolled-back',
  headline: 'prod/api runs api:41 again; api:42 failed: exit 137',
  error: 'Deployment ecs-svc/1 failed: tasks failed to start',
  evidence: Array.from({ length: 12 }, (_, i) => `reason ${i + 1}`),
  outputs: { 'deployment-id': 'ecs-svc/1', absent: undefined },
  body: new Summary().table(['task', 'reason'], [['t1', 'exit 137']]),
};

test('the summary: verdict first, then the error and its evidence quoted, then the body', () => {
  const rendered = renderSummary(renderResult('deploy-ecs', failed));
  expect(rendered.headline).toBe(
    '❌ deploy-ecs rolled back: prod/api runs api:41 again; api:42 failed: exit 137',
  );
  expect(rendered.quote).toContain('Error: Deployment ecs-svc/1 failed: tasks failed to start');
  expect(rendered.quote).toContain('reason 10');
  expect(rendered.quote).not.toContain('reason 11');
  expect(rendered.quote).toContain('… and 2 more lines in the step log.');
  expect(rendered.quoteAt).toBeLessThan(rendered.tableAt);
});

test('a success has no quote', () => {
  const rendered = renderSummary(
    renderResult('sync-dags', { status: 'succeeded', headline: 's3://b/dags/ matches dags', outputs: {} }),
  );
  expect(rendered.headline).toBe('✅ sync-dags succeeded: s3://b/dags/ matches dags');
  expect(rendered.quote).toBeUndefined();
});

test('publishing sets the outputs with status, and writes the summary once', async () => {
  const outputs: [string, string][] = [];
  const summaries: string[] = [];
  await publishResult('deploy-ecs', failed, {
    setOutput: (name, value) => void outputs.push([name, value]),
    writeSummary: async (markdown) => void summaries.push(markdown),
  });
  expect(outputs).toEqual([
    ['deployment-id', 'ecs-svc/1'],
    ['status', 'rolled-back'],
  ]);
  expect(summaries).toEqual([renderResult('deploy-ecs', failed)]);
});

test('a failure carries its result unchanged, and one without gets a summary of its own', () => {
  const err = new DeployFailed('boom', ['why']);
  expect(withResult(err, failed)).toBe(err);
  expect(attachedResult(err)).toBe(failed);
  expect(attachedResult(new Error('other'))).toBeUndefined();
  expect(resultOfFailure('sync-dags', new InputError('bucket', 'is required'))).toMatchObject({
    status: 'failed',
    headline: "sync-dags did not start: input 'bucket' is required",
    error: "Input 'bucket' is required",
  });
  expect(resultOfFailure('sync-dags', err)).toMatchObject({
    headline: 'sync-dags stopped: boom',
    evidence: ['why'],
  });
});

describe('run()', () => {
  const exitCode = process.exitCode;
  afterEach(() => {
    process.exitCode = exitCode;
  });

  function recorder() {
    const outputs: Record<string, string> = {};
    const summaries: string[] = [];
    return {
      outputs,
      summaries,
      sink: {
        setOutput: (name: string, value: string) => void (outputs[name] = value),
        writeSummary: async (markdown: string) => void summaries.push(markdown),
      },
    };
  }

  test('publishes what main returns', async () => {
    const { outputs, summaries, sink } = recorder();
    await run({ action: 'build-push', main: async () => ({ ...failed, status: 'succeeded' }) }, sink);
    expect(outputs.status).toBe('succeeded');
    expect(summaries).toHaveLength(1);
  });

  test('publishes the result a failure carries, then fails the step', async () => {
    const { outputs, summaries, sink } = recorder();
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await run(
        {
          action: 'deploy-ecs',
          main: async () => {
            throw withResult(new DeployFailed('boom', [], 'rolled-back'), failed);
          },
        },
        sink,
      );
      expect(outputs.status).toBe('rolled-back');
      expect(summaries[0]).toContain('## ❌ deploy-ecs rolled back');
      // A failure with nothing attached still says what stopped the run.
      await run(
        {
          action: 'sync-dags',
          main: async () => {
            throw new InputError('bucket', 'is required');
          },
        },
        sink,
      );
      expect(summaries[1]).toContain(
        "## ❌ sync-dags failed: sync-dags did not start: input 'bucket' is required",
      );
      expect(process.exitCode).toBe(1);
    } finally {
      write.mockRestore();
    }
  });

  test('a post step that returns nothing publishes nothing', async () => {
    const { outputs, summaries, sink } = recorder();
    await run({ action: 'build-push', main: async () => undefined }, sink);
    expect(outputs).toEqual({});
    expect(summaries).toEqual([]);
  });
});

test('a masked secret is redacted from a summary whether it appears as given or escaped', () => {
  maskSecret('tok_en*1');
  const markdown = `raw tok_en*1 and escaped ${escapeSummary('tok_en*1')}`;
  expect(redact(markdown, escapeSummary)).toBe('raw \\*\\*\\* and escaped \\*\\*\\*');
  expect(renderSummary(redact(markdown, escapeSummary)).text).toBe('raw *** and escaped ***');
});
