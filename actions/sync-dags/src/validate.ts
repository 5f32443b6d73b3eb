import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DeployFailed, type Log, type RunTool, type ToolResult, type ToolRun } from '@deploy-suite/kit';
import type { IgnoreSyntax } from './airflowignore';
import type { Validation } from './inputs';
import type { LocalFile } from './local-tree';

export interface ValidatePorts {
  runTool: RunTool;
  /** Full path of a program on PATH, or undefined. */
  findExecutable: (name: string) => string | undefined;
  log: Log;
  /** Annotations name files relative to this folder (the repository checkout). */
  workspace: string;
  /** Where the list of DAG files for a validation command is written. */
  tempDir: string;
}

/** What validation needs beyond the files: the DAG files for a command, the syntax, the deadline. */
export interface ValidationContext {
  /** The files Airflow would parse as DAG files (computed only when a command needs them). */
  dagFiles: () => Promise<readonly LocalFile[]>;
  syntax: IgnoreSyntax;
  /** The syntax check or the command is stopped after this long (validate-timeout-minutes). */
  timeoutMs: number;
}

export interface SyntaxProblem {
  file: string;
  line: number;
  message: string;
}

/**
 * Compiles each file named on stdin exactly as `python3 -m py_compile` does (compile() on the
 * source bytes), without writing .pyc files into the DAGs folder, in one interpreter for the whole
 * tree. One JSON line per file that does not compile.
 */
export const SYNTAX_CHECK_SCRIPT = [
  'import json, sys',
  'for name in sys.stdin.read().split("\\0"):',
  '    if not name: continue',
  '    try:',
  '        with open(name, "rb") as f: compile(f.read(), name, "exec", dont_inherit=True)',
  '    except SyntaxError as e:',
  '        print(json.dumps({"file": name, "line": e.lineno or 1, "message": "%s: %s" % (type(e).__name__, e.msg)}))',
  '    except (ValueError, UnicodeDecodeError) as e:',
  '        print(json.dumps({"file": name, "line": 1, "message": "%s: %s" % (type(e).__name__, e)}))',
].join('\n');

/**
 * Runs the chosen check before anything is uploaded; throws DeployFailed, with annotations, when
 * it fails. The syntax check covers every uploaded .py file: helpers .airflowignore names are
 * not parsed for DAGs but are imported by them, so their syntax errors break DAGs too.
 */
export async function validateDags(
  files: readonly LocalFile[],
  validation: Validation,
  source: string,
  context: ValidationContext,
  ports: ValidatePorts,
): Promise<string> {
  if (validation.kind === 'none') return 'not validated (validate: none)';
  if (validation.kind === 'command') {
    return runValidationCommand(validation.command, source, context, ports);
  }
  return checkSyntax(files, context, ports);
}

/** GNU timeout's exit status when the deadline passed and the program stopped on SIGTERM. */
const TIMED_OUT = 124;

/** Grace between SIGTERM and SIGKILL once the deadline has passed. */
const KILL_AFTER_SECONDS = 10;

/**
 * Runs a tool under coreutils `timeout`, so a hung import (a DAG that opens a connection at import
 * time) cannot hold the job: SIGTERM at the deadline, SIGKILL 10 s later. Where `timeout` is not
 * installed (macOS runners) the tool runs without a deadline and the job's own timeout applies.
 */
async function runWithDeadline(
  tool: string,
  args: readonly string[],
  options: ToolRun,
  timeoutMs: number,
  ports: ValidatePorts,
): Promise<ToolResult & { timedOut: boolean }> {
  const timeout = ports.findExecutable('timeout');
  if (timeout === undefined) {
    ports.log.info(
      "timeout (coreutils) is not on PATH: validation runs without a deadline; the job's timeout-minutes applies",
    );
    return { ...(await ports.runTool(tool, args, options)), timedOut: false };
  }
  const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  const result = await ports.runTool(
    timeout,
    [`--kill-after=${KILL_AFTER_SECONDS}`, seconds, tool, ...args],
    options,
  );
  return { ...result, timedOut: result.exitCode === TIMED_OUT };
}

function minutes(ms: number): string {
  const value = Number((ms / 60_000).toFixed(2));
  return value === 1 ? '1 minute' : `${value} minutes`;
}

async function checkSyntax(
  files: readonly LocalFile[],
  context: ValidationContext,
  ports: ValidatePorts,
): Promise<string> {
  const python = files.filter((file) => file.path.endsWith('.py'));
  if (python.length === 0) return 'no .py files to check';
  const interpreter = ports.findExecutable('python3');
  if (interpreter === undefined) {
    ports.log.warning(
      'python3 is not on PATH, so DAG syntax was not checked; set up Python before this step, or set validate: none',
    );
    return 'syntax not checked (no python3)';
  }
  const result = await runWithDeadline(
    interpreter,
    ['-c', SYNTAX_CHECK_SCRIPT],
    { stdin: python.map((file) => file.absolutePath).join('\0'), quiet: true },
    context.timeoutMs,
    ports,
  );
  if (result.timedOut) {
    throw new DeployFailed(
      `The syntax check of ${python.length} .py files did not finish within ${minutes(context.timeoutMs)} (validate-timeout-minutes); nothing was uploaded`,
    );
  }
  const problems = parseSyntaxProblems(result.stdout);
  if (problems.length === 0 && result.exitCode !== 0) {
    throw new Error(
      `python3 could not run the syntax check (exit ${result.exitCode}): ${result.stderr.trim()}`,
    );
  }
  if (problems.length === 0)
    return `${python.length} .py ${python.length === 1 ? 'file compiles' : 'files compile'}`;
  const reasons = problems.map((problem) => {
    const file = relative(ports.workspace, problem.file);
    ports.log.error(problem.message, { file, line: problem.line, title: 'DAG does not compile' });
    return `${file}:${problem.line}: ${problem.message}`;
  });
  throw new DeployFailed(
    `${problems.length} of ${python.length} DAG .py files ${problems.length === 1 ? 'does' : 'do'} not compile; nothing was uploaded`,
    reasons,
  );
}

export function parseSyntaxProblems(stdout: string): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const parsed = JSON.parse(line) as Partial<SyntaxProblem>;
    if (typeof parsed.file === 'string') {
      problems.push({
        file: parsed.file,
        line: typeof parsed.line === 'number' ? parsed.line : 1,
        message: String(parsed.message ?? 'does not compile'),
      });
    }
  }
  return problems;
}

/** The file a validation command reads its DAG files from, one absolute path per line. */
export const DAG_FILES_LIST = 'dag-files.txt';

async function runValidationCommand(
  command: string,
  source: string,
  context: ValidationContext,
  ports: ValidatePorts,
): Promise<string> {
  ports.log.info(`Validating DAGs: ${command}`);
  const listed = await listDagFiles(await context.dagFiles(), ports);
  const options: ToolRun = {
    cwd: ports.workspace,
    env: {
      DAGS_FOLDER: source,
      DAG_FILES_LIST: listed,
      // A DagBag built by the command reads .airflowignore the way the target Airflow does.
      AIRFLOW__CORE__DAG_IGNORE_FILE_SYNTAX: context.syntax,
    },
  };
  const result = await runWithDeadline('bash', ['-c', command], options, context.timeoutMs, ports);
  if (result.exitCode !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20);
    throw new DeployFailed(
      result.timedOut
        ? `Validation command did not finish within ${minutes(context.timeoutMs)} (validate-timeout-minutes); nothing was uploaded`
        : `Validation command failed with exit code ${result.exitCode}; nothing was uploaded`,
      output.filter((line) => line.trim() !== ''),
    );
  }
  return 'validation command passed';
}

/**
 * Writes the DAG files' absolute paths, one per line. A name holding a line break cannot be
 * listed that way; it is left out of the list with a warning (the folder itself still has it).
 */
async function listDagFiles(files: readonly LocalFile[], ports: ValidatePorts): Promise<string> {
  const path = join(ports.tempDir, DAG_FILES_LIST);
  const listable = files.filter((file) => {
    if (!/[\r\n]/.test(file.absolutePath)) return true;
    ports.log.warning(
      `DAG file ${JSON.stringify(file.path)} has a line break in its name and is not in DAG_FILES_LIST`,
    );
    return false;
  });
  await writeFile(path, listable.map((file) => `${file.absolutePath}\n`).join(''));
  ports.log.info(`${listable.length} DAG files Airflow would parse are listed in DAG_FILES_LIST`);
  return path;
}
