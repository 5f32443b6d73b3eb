import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(tsx, [path.join(root, 'scripts', 'action.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run action (scripts/action.ts)', () => {
  it('prints the log, outputs, summary and stage results, and exits 0', () => {
    const run = cli(
      './tests/support/fixtures/round-trip',
      '--input',
      'build-args=A=1\nB=2',
      '--input',
      'greeting=hey',
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^▶ Run Round trip fixture$/m);
    expect(run.stdout).toMatch(
      /── Outputs ─+\n(?:.*\n)*greeting = hey\nbuild-args:\n {2}\| A=1\n {2}\| B=2\n/,
    );
    expect(run.stdout).toMatch(/── Job summary ─+\n### Main/);
    expect(run.stdout).toMatch(
      /── Result ─+\npre: success \(exit 0\)\nmain: success \(exit 0\)\npost: success \(exit 0\)/,
    );
  });

  it("exits with main's code when main fails, after running post", () => {
    const run = cli('tests/support/fixtures/failing-main');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('post closing sess-7');
    expect(run.stdout).toContain('main: failure (exit 1)');
  });

  it("exits with post's code when main passed and post failed", () => {
    const run = cli('tests/support/fixtures/failing-post');
    expect(run.status).toBe(4);
    expect(run.stdout).toContain('::error::cleanup failed');
    expect(run.stdout).toContain('post: failure (exit 4)');
  });

  it('never prints a masked value', () => {
    const run = cli('tests/support/fixtures/secret', '--input', 'token=cli-secret-123');
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).not.toContain('cli-secret-123');
    expect(run.stdout).toContain('leak = prefix-***-suffix');
  });

  it('explains a wrong action name and exits 2', () => {
    const run = cli('deploy-nothing');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^action harness: No action 'deploy-nothing'/);
  });
});
