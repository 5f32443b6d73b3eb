/**
 * Validates the example workflows, the repository's workflows, every action.yml and every YAML
 * snippet of every README (made into a workflow, see snippets.ts) with GitHub's own parser,
 * SchemaStore's schema and actionlint; checks OIDC permissions and every `with:` of a step that
 * uses one of this repository's actions against that action's inputs. Prints each problem with
 * its file and line; exits 1 on any.
 *
 *   npx tsx scripts/validate-workflows/main.ts [--root <folder>]
 */
import { resolve } from 'node:path';
import { actionlintCheck } from './actionlint';
import { githubSchemaCheck } from './github-schema';
import { annotateProblem, formatProblem } from './problem';
import { schemaStoreCheck } from './schemastore';
import { validateRepository } from './validate';

async function main(argv: string[]): Promise<number> {
  const rootAt = argv.indexOf('--root');
  const root = resolve(rootAt >= 0 ? (argv[rootAt + 1] ?? '.') : resolve(__dirname, '..', '..'));
  const checks = [await githubSchemaCheck(), schemaStoreCheck(), actionlintCheck()];
  const { checked, snippets, problems } = await validateRepository(root, checks);
  const annotate = process.env['GITHUB_ACTIONS'] === 'true';
  for (const problem of problems) console.log(annotate ? annotateProblem(problem) : formatProblem(problem));
  const files =
    (checked.length === 1 ? '1 file' : `${checked.length} files`) +
    (snippets === 0 ? '' : ` and ${snippets} README snippet${snippets === 1 ? '' : 's'}`);
  if (checked.length === 0) {
    console.log(`No workflow or action.yml found under ${root}`);
    return 1;
  }
  console.log(problems.length === 0 ? `${files} valid` : `${problems.length} problem(s) in ${files}`);
  return problems.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 2;
  },
);
