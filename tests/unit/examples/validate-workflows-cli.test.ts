/**
 * The validator as CI runs it (under tsx, with GitHub's schemas from @actions/workflow-parser,
 * which is an ES module and so runs in its own process rather than inside Jest).
 */
import * as path from 'node:path';
import { runCommand, type CommandResult } from '../../support/run-command';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'scripts', 'validate-workflows', 'main.ts');

async function validate(...args: string[]): Promise<CommandResult> {
  const env = { ...process.env, GITHUB_ACTIONS: '' };
  return runCommand(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [CLI, ...args], { cwd: ROOT, env });
}

test('the repository: examples, its own workflows and every action.yml are valid', async () => {
  const { code, stdout } = await validate();
  expect(stdout).toMatch(/^\d+ files valid$/m);
  expect(code).toBe(0);
});

test('bad fixtures: each problem is caught, named by file and line, and the exit code is 1', async () => {
  const { code, stdout } = await validate('--root', path.join(__dirname, 'fixtures', 'bad-repo'));
  expect(code).toBe(1);
  const lines = stdout.trim().split('\n');
  expect(lines).toEqual(
    expect.arrayContaining([
      // Schema: a workflow value of the wrong type, and an action.yml with an unknown runtime.
      "examples/workflows/schema-violation.yml:6: Unexpected value 'soon'",
      "actions/broken/action.yml:5: Unexpected value 'node99'",
      // Inputs: an undeclared key, and a required input left out.
      "examples/workflows/unknown-key.yml:11: job 'hello', step 'greet' (uses org/greet@v1): 'greting' is not an input of action 'greet'; did you mean 'greeting'?",
      "examples/workflows/missing-required.yml:10: job 'hello', step 'Greet nobody' (uses org/greet@v1): required input 'who' of action 'greet' is not given",
    ]),
  );
  expect(lines.at(-1)).toBe('4 problem(s) in 6 files');
});
