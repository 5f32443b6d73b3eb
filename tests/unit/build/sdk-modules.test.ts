/**
 * What the bundles leave out through the root tsconfig.json's `paths` (which ncc follows).
 *
 * deploy-sagemaker's bundle takes SageMaker's client as ES modules (the root tsconfig.json's
 * `paths`, which ncc follows), so it holds the commands the action calls and none of the ~380 it
 * does not; the client's one-file CommonJS build would bring every operation, some 0.19 MB more.
 * These read the committed bundle, which `npm run check-dist` keeps equal to what the source builds.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseConfigFileTextToJson } from 'typescript';

const root = join(__dirname, '..', '..', '..');
const ACTIONS = readdirSync(join(root, 'actions'));
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
    '%s: types first (what TypeScript takes), then a JavaScript file (what only ncc can load)',
    (_name, candidates) => {
      expect(candidates).toHaveLength(2);
      const [types, code] = candidates as [string, string];
      expect(existsSync(join(root, `${types}.d.ts`))).toBe(true);
      expect(existsSync(join(root, types)) || existsSync(join(root, `${types}.js`))).toBe(false);
      expect(code).toMatch(/\.js$/);
      expect(existsSync(join(root, code))).toBe(true);
    },
  );
});

// @actions/http-client (brought by @actions/core) requires undici only for getAgentDispatcher, which
// no action calls; every bundle takes packages/kit/bundle/undici-unused.js instead (0.44 MB less).
describe.each(ACTIONS)('%s bundle', (action) => {
  const code = readFileSync(join(root, 'actions', action, 'dist', 'bundle.js'), 'utf8');
  test("holds the stand-in, not undici (whose errors' codes start UND_ERR_)", () => {
    expect(code).not.toMatch(/UND_ERR_/);
    expect(code).toMatch(/undici is not bundled with this action/);
  });
});

test('the stand-in fails loudly if a future path asks for a proxy dispatcher', () => {
  const load = createRequire(__filename);
  const { ProxyAgent } = load(join(root, 'packages', 'kit', 'bundle', 'undici-unused.js')) as {
    ProxyAgent: new () => unknown;
  };
  expect(() => new ProxyAgent()).toThrow('undici is not bundled with this action');
});
