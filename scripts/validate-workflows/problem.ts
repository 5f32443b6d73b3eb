/** One thing wrong with one file, at a line where known. */
export interface Problem {
  /** Path relative to the root checked. */
  file: string;
  line?: number;
  message: string;
}

/** `file:line: message`, as editors and terminals link it. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}${problem.line === undefined ? '' : `:${problem.line}`}: ${problem.message}`;
}

/** The same problem as a workflow command, so a CI run annotates the file. */
export function annotateProblem(problem: Problem): string {
  const line = problem.line === undefined ? '' : `,line=${problem.line}`;
  const message = problem.message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return `::error file=${problem.file}${line}::${message}`;
}
