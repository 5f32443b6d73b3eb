import { runTool } from '@deploy-suite/kit';

const quietly = async <T>(work: () => Promise<T>): Promise<T> => {
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return await work();
  } finally {
    write.mockRestore();
  }
};

test('a secret reaches the tool on stdin', async () => {
  const result = await quietly(() =>
    runTool('cat', [], { stdin: 'hunter2-password', secrets: ['hunter2-password'], quiet: true }),
  );
  expect(result).toEqual({ exitCode: 0, stdout: 'hunter2-password', stderr: '' });
});

test('a secret in the arguments is refused before the tool runs', async () => {
  await expect(
    quietly(() =>
      runTool('echo', ['--password', 'hunter2-password'], { secrets: ['hunter2-password'], quiet: true }),
    ),
  ).rejects.toThrow('refusing to pass a secret to echo as an argument; secrets go on stdin');
});

test('a failing tool returns its exit code instead of throwing', async () => {
  const result = await quietly(() => runTool('sh', ['-c', 'echo oops >&2; exit 3'], { quiet: true }));
  expect(result.exitCode).toBe(3);
  expect(result.stderr).toBe('oops\n');
});

test('env is added to the inherited environment', async () => {
  const result = await quietly(() =>
    runTool('sh', ['-c', 'printf "%s %s" "$EXTRA" "${PATH:+has-path}"'], {
      env: { EXTRA: 'yes' },
      quiet: true,
    }),
  );
  expect(result.stdout).toBe('yes has-path');
});

test("a tool's output and its arguments reach the log as plain text, never as commands", async () => {
  const written: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await runTool('sh', [
      '-c',
      'echo "::set-output name=digest::forged"; echo "##[error]x" >&2',
      '::add-mask::y',
    ]);
  } finally {
    write.mockRestore();
  }
  const lines = written.join('').split('\n');
  expect(lines.some((line) => line.includes('set-output name=digest'))).toBe(true);
  expect(lines.filter((line) => /^\s*::/.test(line) || line.includes('##['))).toEqual([]);
});

test('inheritEnv false: the tool sees only the env given, nothing of this process', async () => {
  process.env['KIT_EXEC_TEST_TOKEN'] = 'must-not-leak';
  try {
    const result = await quietly(() =>
      runTool('/bin/sh', ['-c', 'printf "%s|%s|%s" "$EXTRA" "$KIT_EXEC_TEST_TOKEN" "$PATH"'], {
        env: { EXTRA: 'yes', PATH: '/usr/bin:/bin' },
        inheritEnv: false,
        quiet: true,
      }),
    );
    expect(result.stdout).toBe('yes||/usr/bin:/bin');
  } finally {
    delete process.env['KIT_EXEC_TEST_TOKEN'];
  }
});
