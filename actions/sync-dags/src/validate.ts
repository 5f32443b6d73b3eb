import { relative } from 'node:path';
import { DeployFailed, type Log, type RunTool } from '@deploy-suite/kit';
import type { Validation } from './inputs';
import type { LocalFile } from './local-tree';

export interface ValidatePorts {
  runTool: RunTool;
  /** Full path of a program on PATH, or undefined. */
  findExecutable: (name: string) => string | undefined;
  log: Log;
  /** Annotations name files relative to this folder (the repository checkout). */
  workspace: string;
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

/** Runs the chosen check before anything is uploaded; throws DeployFailed, with annotations, when it fails. */
export async function validateDags(
  files: readonly LocalFile[],
  validation: Validation,
  source: string,
  ports: ValidatePorts,
): Promise<string> {
  if (validation.kind === 'none') return 'not validated (validate: none)';
  if (validation.kind === 'command') return runValidationCommand(validation.command, source, ports);
  return checkSyntax(files, ports);
}

async function checkSyntax(files: readonly LocalFile[], ports: ValidatePorts): Promise<string> {
  const python = files.filter((file) => file.path.endsWith('.py'));
  if (python.length === 0) return 'no .py files to check';
  const interpreter = ports.findExecutable('python3');
  if (interpreter === undefined) {
    ports.log.warning(
      'python3 is not on PATH, so DAG syntax was not checked; set up Python before this step, or set validate: none',
    );
    return 'syntax not checked (no python3)';
  }
  const result = await ports.runTool(interpreter, ['-c', SYNTAX_CHECK_SCRIPT], {
    stdin: python.map((file) => file.absolutePath).join('\0'),
    quiet: true,
  });
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

async function runValidationCommand(command: string, source: string, ports: ValidatePorts): Promise<string> {
  ports.log.info(`Validating DAGs: ${command}`);
  const result = await ports.runTool('bash', ['-c', command], {
    cwd: ports.workspace,
    env: { DAGS_FOLDER: source },
  });
  if (result.exitCode !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20);
    throw new DeployFailed(
      `Validation command failed with exit code ${result.exitCode}; nothing was uploaded`,
      output.filter((line) => line.trim() !== ''),
    );
  }
  return 'validation command passed';
}
