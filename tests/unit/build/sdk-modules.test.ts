/**
 * deploy-sagemaker's bundle takes SageMaker's client as ES modules (the root tsconfig.json's
 * `paths`, which ncc follows), so it holds the commands the action calls and none of the ~380 it
 * does not; the client's one-file CommonJS build would bring every operation, some 0.19 MB more.
 * These read the committed bundle, which `npm run check-dist` keeps equal to what the source builds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigFileTextToJson } from 'typescript';

const root = join(__dirname, '..', '..', '..');
const bundle = readFileSync(join(root, 'actions', 'deploy-sagemaker', 'dist', 'bundle.js'), 'utf8');

/** A command class as the minified bundle declares it (ncc keeps class names). */
function declares(command: string): boolean {
  return new RegExp(`class ${command} extends`).test(bundle);
}

describe('deploy-sagemaker bundle', () => {
  test.each([
    'CreateModelCommand',
    'CreateEndpointConfigCommand',
    'DescribeEndpointCommand',
    'UpdateEndpointCommand',
  ])('keeps %s, which the action calls', (command) => {
    expect(declares(command)).toBe(true);
  });

  test.each(['CreateTrainingJobCommand', 'ListNotebookInstancesCommand', 'DeleteDomainCommand'])(
    'leaves out %s, which the action never calls',
    (command) => {
      expect(declares(command)).toBe(false);
    },
  );

  test("leaves out the client's CommonJS build, which declares every command in one module", () => {
    expect(bundle).not.toMatch(/class SageMaker extends SageMakerClient/);
  });
});

describe('tsconfig.json paths for the bundler', () => {
  const file = join(root, 'tsconfig.json');
  const tsconfig = parseConfigFileTextToJson(file, readFileSync(file, 'utf8')).config as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  test.each(Object.entries(tsconfig.compilerOptions.paths))(
    '%s: types first (what TypeScript takes), then the ES module entry (what only ncc can load)',
    (_name, candidates) => {
      expect(candidates).toHaveLength(2);
      expect(candidates[0]).toMatch(/\/dist-types\/index$/);
      expect(candidates[1]).toMatch(/\/dist-es\/index\.js$/);
    },
  );
});
