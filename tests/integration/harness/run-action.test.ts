import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HarnessError, overallExitCode, runAction } from '../../support/harness';

const fixture = (name: string): string => path.join(__dirname, '..', '..', 'support', 'fixtures', name);

describe('runAction on fixture actions', () => {
  describe('round trip through pre, main and post', () => {
    let workspace: string;
    let result: Awaited<ReturnType<typeof runAction>>;

    beforeAll(async () => {
      workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-ws-'));
      result = await runAction({
        action: fixture('round-trip'),
        inputs: { greeting: 'hi there', 'build-args': 'A=1\nB=x=y', unknown: 'z' },
        env: { GITHUB_SHA: 'f'.repeat(40), GITHUB_RUN_ATTEMPT: '3' },
        workspace,
      });
    });

    afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

    it('runs every stage on Node 24 and succeeds', () => {
      expect(result.stages.map((s) => [s.stage, s.status])).toEqual([
        ['pre', 'success'],
        ['main', 'success'],
        ['post', 'success'],
      ]);
      expect(result.exitCode).toBe(0);
      expect(result.preExitCode).toBe(0);
      expect(result.postExitCode).toBe(0);
      const version = /^node (v\d+)\./m.exec(result.stdout)?.[1];
      expect(version).toBe('v24');
      expect(result.stdout).toMatch(/^pre ran on v24\./m);
      expect(result.stdout).toMatch(/^post node v24\./m);
    });

    it('runs in the workspace and reads the outputs, heredoc ones included', () => {
      expect(result.stdout).toContain(`cwd ${fs.realpathSync(workspace)}`);
      expect(result.outputs).toMatchObject({
        greeting: 'hi there',
        'build-args': 'A=1\nB=x=y',
        runner: 'Linux/X64/true/true',
        'event-name': 'refs/heads/main',
        'action-path': fixture('round-trip'),
      });
    });

    it('fills defaults, evaluating their expressions against the step env', () => {
      expect(result.outputs).toMatchObject({
        commit: 'f'.repeat(40),
        ref: 'refs/heads/main',
        attempt: 'attempt-3',
        token: '',
        'old-name': '',
      });
    });

    it("warns about the undeclared input in the runner's words", () => {
      expect(result.annotations).toContainEqual(
        expect.objectContaining({
          level: 'warning',
          stage: 'pre',
          message: expect.stringMatching(/^Unexpected input\(s\) 'unknown', valid inputs are \['greeting', /),
        }),
      );
    });

    it('hands state from pre and main to the later stages as STATE_*', () => {
      expect(result.stdout).toContain('state from pre: pre was here');
      expect(result.stdout).toContain('post sees started-at=2024-01-01T00:00:00Z');
      expect(result.stdout).toContain('post sees notes="first line\\nsecond line"');
      expect(result.stdout).toContain('post sees from-pre=pre was here');
      expect(result.state).toEqual({
        'from-pre': 'pre was here',
        'started-at': '2024-01-01T00:00:00Z',
        notes: 'first line\nsecond line',
      });
    });

    it('gives post the env and PATH that main exported', () => {
      expect(result.exportedEnv).toEqual({ FROM_MAIN: 'exported by main' });
      expect(result.stdout).toContain('post sees FROM_MAIN=exported by main');
      expect(result.path).toHaveLength(1);
      expect(result.stdout).toContain(`post sees PATH head=${result.path[0]}`);
    });

    it('collects the job summary of main and post', () => {
      expect(result.summary).toContain('| greeting | hi there |');
      expect(result.summary.indexOf('### Main')).toBeLessThan(result.summary.indexOf('### Post'));
    });

    it('processes workflow commands from both streams', () => {
      expect(result.annotations).toContainEqual({
        level: 'warning',
        stage: 'main',
        message: 'multi\nline, 100%',
        title: 'Careful',
        file: 'src/main.ts',
        line: 3,
        col: 7,
      });
      expect(result.annotations).toContainEqual({ level: 'notice', stage: 'main', message: 'a notice' });
      expect(result.stdout).toContain('▸ Details\n    inside the group');
      expect(result.stdout).toContain('written to stderr');
      for (const consumed of ['::group::', '::endgroup::', '::add-mask::', '::debug::', '::save-state']) {
        expect(result.stdout).not.toContain(consumed);
      }
      expect(result.stdout).toContain('::warning file=src/main.ts,line=3,col=7,title=Careful::multi');
      expect(result.stdout).not.toContain('only with step debug');
    });
  });

  it('does not leak the host AWS credentials into the action', async () => {
    const saved = process.env['AWS_ACCESS_KEY_ID'];
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIAHOSTONLY';
    try {
      const hostOnly = await runAction({ action: fixture('round-trip') });
      expect(hostOnly.outputs['aws-key']).toBe('<unset>');
      const given = await runAction({
        action: fixture('round-trip'),
        env: { AWS_ACCESS_KEY_ID: 'AKIAGIVEN' },
      });
      expect(given.outputs['aws-key']).toBe('AKIAGIVEN');
    } finally {
      if (saved === undefined) delete process.env['AWS_ACCESS_KEY_ID'];
      else process.env['AWS_ACCESS_KEY_ID'] = saved;
    }
  });

  it('shows debug lines with ACTIONS_STEP_DEBUG', async () => {
    const result = await runAction({ action: fixture('round-trip'), env: { ACTIONS_STEP_DEBUG: 'true' } });
    expect(result.stdout).toContain('Debug: only with step debug');
  });

  describe('a masked secret', () => {
    const token = 'tok_9f8e7d6c5b4a';
    let result: Awaited<ReturnType<typeof runAction>>;
    const printed: string[] = [];

    beforeAll(async () => {
      result = await runAction({
        action: fixture('secret'),
        inputs: { token },
        onLog: (line) => printed.push(line),
      });
    });

    it('never appears in the log, the outputs, the summary or the annotations', () => {
      const late = `late-${token.split('').reverse().join('')}`;
      const everything = JSON.stringify({ ...result, masked: [] }) + printed.join('\n');
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(late);
      expect(everything).not.toContain(Buffer.from(token).toString('base64').replace(/=+$/, ''));
      expect(result.masked).toEqual([token, late]);
    });

    it('is replaced by *** where it was used', () => {
      expect(result.stdout).toContain('the token is ***');
      expect(result.stdout).toContain('stderr ***');
      expect(result.outputs).toEqual({ leak: 'prefix-***-suffix', late: '***' });
      expect(result.summary).toBe('Summary mentions ***\n');
      expect(result.annotations).toEqual([
        { level: 'error', stage: 'main', message: 'failed with ***', title: 'Leak ***' },
      ]);
    });
  });

  describe('a failing main', () => {
    it('still runs post, with the state main saved, and reports main’s exit code', async () => {
      const result = await runAction({ action: fixture('failing-main') });
      expect(result.exitCode).toBe(1);
      expect(result.postExitCode).toBe(0);
      expect(overallExitCode(result)).toBe(1);
      expect(result.stdout).toContain('Error: deploy exploded');
      expect(result.stdout).toContain('post closing sess-7');
      expect(result.summary).toBe('main started\n\npost closed sess-7\n');
    });

    it('skips post when post-if is success()', async () => {
      const result = await runAction({ action: fixture('conditional-post'), inputs: { fail: 'true' } });
      expect(result.exitCode).toBe(3);
      expect(result.stages.map((s) => [s.stage, s.status])).toEqual([
        ['main', 'failure'],
        ['post', 'skipped'],
      ]);
      expect(result.postExitCode).toBeUndefined();
      expect(result.stdout).not.toContain('post cleaning');
    });

    it('runs a success() post when main passes', async () => {
      const result = await runAction({ action: fixture('conditional-post') });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain('post cleaning res-42');
    });
  });

  it('refuses to run without the pinned Node 24, naming npm ci', async () => {
    await expect(runAction({ action: fixture('round-trip'), node: '/nonexistent/node' })).rejects.toThrow(
      /Node 24 not found.*npm ci/,
    );
  });

  it('refuses an unknown action before running anything', async () => {
    await expect(runAction({ action: 'no-such-action' })).rejects.toThrow(HarnessError);
  });
});
