import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stackStatus, stopStack } from '../../support/stack';
import { REPO_ROOT } from '../../support/stack/paths';
import { isAlive } from '../../support/stack/processes';

const run = promisify(execFile);
const stateDir = mkdtempSync(join(tmpdir(), 'stack-cli-test-'));

/** Runs `scripts/stack.ts` the way `npm run stack:up` does; resolves with exit code and output. */
async function stackCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      [join(REPO_ROOT, 'scripts', 'stack.ts'), ...args, '--state-dir', stateDir],
      { cwd: REPO_ROOT },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const endpointOf = (stdout: string): string | undefined =>
  stdout.match(/^export AWS_ENDPOINT_URL=(\S+)$/m)?.[1];

afterAll(async () => {
  await stopStack(stateDir);
  rmSync(stateDir, { recursive: true, force: true });
});

describe('scripts/stack.ts', () => {
  let firstEndpoint: string | undefined;

  it('up starts the stack in the background and prints the exports', async () => {
    const up = await stackCli('up');
    expect(up.code).toBe(0);
    expect(up.stdout).toContain('# local AWS stack started');
    expect(up.stdout).toMatch(/^export AWS_REGION=us-east-1$/m);
    expect(up.stdout).toMatch(/^export STACK_REGISTRY_PASSWORD=\S+$/m);
    firstEndpoint = endpointOf(up.stdout);
    expect(firstEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The CLI has exited; its servers have not.
    expect((await fetch(`${firstEndpoint}/_sim/health`)).status).toBe(200);
  });

  it('up again finds the running stack and says so', async () => {
    const again = await stackCli('up');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('# local AWS stack already running');
    expect(endpointOf(again.stdout)).toBe(firstEndpoint);
  });

  it('status and env describe the running stack', async () => {
    const status = await stackCli('status');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^moto +pid \d+ +port \d+ +running$/m);
    const env = await stackCli('env');
    expect(env.code).toBe(0);
    expect(endpointOf(env.stdout)).toBe(firstEndpoint);
  });

  it('up replaces a stack that partly died, leaving nothing of the old one', async () => {
    const old = stackStatus(stateDir).processes;
    const proxy = old.find((p) => p.name === 'proxy');
    process.kill(-(proxy?.pid ?? 0), 'SIGKILL');
    const status = await stackCli('status');
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^proxy .* DEAD$/m);

    const up = await stackCli('up');
    expect(up.stdout).toContain('# local AWS stack started');
    for (const p of old) expect(isAlive(p.pid, p.startTicks)).toBe(false);
  });

  it('down stops everything it started', async () => {
    const running = stackStatus(stateDir).processes;
    const down = await stackCli('down');
    expect(down.stdout).toContain('stopped: moto, registry, proxy, simulator');
    for (const p of running) expect(isAlive(p.pid, p.startTicks)).toBe(false);
    expect((await stackCli('status')).code).toBe(1);
    expect((await stackCli('env')).code).toBe(1);
    expect((await stackCli('down')).stdout).toContain('was not running');
  });
});
