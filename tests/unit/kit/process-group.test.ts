/**
 * runToolInGroup with real processes: what is asserted is who is left running, never how long
 * anything took. A tool's child started in the background stands for a builder's own children.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cancelled, runToolInGroup, ToolTimedOut } from '@deploy-suite/kit';

const quietly = async <T>(work: () => Promise<T>): Promise<T> => {
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return await work();
  } finally {
    write.mockRestore();
  }
};

/** Running, not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

/** Resolves once the file exists: the event the test waits for, checked every few ms. */
function whenFile(path: string): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (!existsSync(path)) return;
      clearInterval(timer);
      resolve();
    }, 10);
  });
}

// A tool that starts a child of its own, writes both pids, and ignores SIGTERM itself, as a
// builder in the middle of a push may: only SIGKILL to the whole group ends both.
const STUBBORN = 'trap "" TERM; sleep 300 & echo "$$ $!" > "$1.tmp"; mv "$1.tmp" "$1"; wait; wait';

/**
 * Whether `pid` is gone within a few seconds: SIGKILL is delivered by the kernel after kill()
 * returns, so on a loaded machine the process may still be listed for a moment.
 */
async function goneSoon(pid: number): Promise<boolean> {
  for (let waited = 0; waited < 5_000; waited += 20) {
    if (!running(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return !running(pid);
}

function pidsIn(file: string): number[] {
  return readFileSync(file, 'utf8').trim().split(' ').map(Number);
}

test('output, exit code and stdin, as runTool gives them', async () => {
  const result = await quietly(() =>
    runToolInGroup('sh', ['-c', 'cat; echo err >&2; exit 4'], { stdin: 'in', quiet: true }),
  );
  expect(result).toEqual({ exitCode: 4, stdout: 'in', stderr: 'err\n' });
});

test('a tool not on PATH rejects, as runTool does', async () => {
  await expect(runToolInGroup('no-such-builder-here', [], { quiet: true })).rejects.toThrow(/ENOENT/);
});

test("the run's cancel stops the whole group, SIGTERM-proof children included, and rejects with Cancelled", async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'group-')), 'pids');
  const controller = new AbortController();
  void whenFile(file).then(() => controller.abort(new Cancelled('SIGINT')));
  const error = await quietly(() =>
    runToolInGroup('sh', ['-c', STUBBORN, 'sh', file], { quiet: true, signal: controller.signal }),
  ).catch((err: unknown) => err);
  expect(error).toEqual(new Cancelled('SIGINT'));
  for (const pid of pidsIn(file)) expect({ pid, gone: await goneSoon(pid) }).toEqual({ pid, gone: true });
});

test('at the deadline the whole group is stopped and the call rejects with ToolTimedOut', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'group-')), 'pids');
  const error = await quietly(() =>
    runToolInGroup('sh', ['-c', STUBBORN, 'sh', file], { quiet: true, timeoutMs: 200 }),
  ).catch((err: unknown) => err);
  expect(error).toBeInstanceOf(ToolTimedOut);
  expect((error as ToolTimedOut).message).toBe(
    'sh did not finish within 0.2 s; its process group was stopped',
  );
  if (existsSync(file)) for (const pid of pidsIn(file)) expect(await goneSoon(pid)).toBe(true);
});

test('an aborted run starts no tool', async () => {
  const controller = new AbortController();
  controller.abort(new Cancelled('SIGTERM'));
  await expect(runToolInGroup('sh', ['-c', 'exit 0'], { signal: controller.signal })).rejects.toEqual(
    new Cancelled('SIGTERM'),
  );
});
