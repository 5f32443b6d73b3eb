import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface CommandResult {
  code: number;
  /** What it printed: standard output, then (on failure) standard error. */
  stdout: string;
}

/** Runs a program to its end and returns its exit code and output instead of throwing on failure. */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandResult> {
  try {
    const { stdout } = await promisify(execFile)(file, [...args], {
      cwd: options.cwd,
      env: options.env,
      timeout: options.timeoutMs ?? 60_000,
    });
    return { code: 0, stdout };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}
