import * as actionsExec from '@actions/exec';
import { runnerLog } from './report';
import { maskSecret } from './secrets';

export interface ToolRun {
  /** Written to the tool's standard input: the only way a secret reaches a tool. */
  stdin?: string;
  /** Values masked before the tool starts; the run refuses if one appears in the arguments. */
  secrets?: readonly string[];
  env?: Readonly<Record<string, string>>;
  /**
   * false: the tool gets `env` and nothing of this process's environment (for tools that must not
   * see the step's inputs, credentials or tokens). Default true: `env` is added to it.
   */
  inheritEnv?: boolean;
  cwd?: string;
  /** Keep the tool's output out of the log (it is still returned). */
  quiet?: boolean;
}

export interface ToolResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Running a program as a port: actions take this, tests pass a fake that records calls. */
export type RunTool = (tool: string, args: readonly string[], run?: ToolRun) => Promise<ToolResult>;

/**
 * Runs a tool through the runner's exec, with secrets masked first and passed on stdin only:
 * arguments are visible to every process on the machine (/proc/<pid>/cmdline), stdin is not.
 */
export const runTool: RunTool = async (tool, args, run = {}) => {
  guardSecrets(tool, args, run.secrets);
  // @actions/exec would copy the tool's output and its own `[command]` echo of the arguments
  // straight to the runner; both can hold outside text, so every line goes through the log port.
  const echo = run.quiet ? () => undefined : (line: string) => runnerLog.info(line);
  echo(`[command]${[tool, ...args].join(' ')}`);
  const options: actionsExec.ExecOptions = {
    ignoreReturnCode: true,
    silent: true,
    listeners: { stdline: echo, errline: echo },
  };
  if (run.stdin !== undefined) options.input = Buffer.from(run.stdin);
  if (run.cwd !== undefined) options.cwd = run.cwd;
  if (run.inheritEnv === false) options.env = { ...run.env };
  else if (run.env !== undefined) options.env = { ...stringEnv(process.env), ...run.env };
  const result = await actionsExec.getExecOutput(tool, [...args], options);
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
};

/** Masks the secrets, and refuses a run that would put one on the command line. */
export function guardSecrets(tool: string, args: readonly string[], secrets: readonly string[] = []): void {
  for (const secret of secrets) {
    maskSecret(secret);
    if (secret !== '' && args.some((arg) => arg.includes(secret))) {
      throw new Error(`refusing to pass a secret to ${tool} as an argument; secrets go on stdin`);
    }
  }
}

export function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
