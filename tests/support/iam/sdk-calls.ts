/**
 * Every AWS SDK operation an action can call, read from what its bundle holds: the bundle's source
 * map lists the action's and the kit's modules that ncc kept (a kit module the action does not import
 * is not there), and each of those modules names its operations by constructing `new <Op>Command`
 * from an `@aws-sdk/client-*` import. The committed dist equals its source (`npm run check-dist`), so
 * these files are what runs.
 */
import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import * as ts from 'typescript';

export const ACTIONS = ['build-push', 'deploy-ecs', 'deploy-beanstalk', 'sync-dags'] as const;
export type ActionName = (typeof ACTIONS)[number];

export interface SdkCall {
  /** The client package, e.g. `@aws-sdk/client-s3`. */
  readonly client: string;
  /** The API operation, e.g. `ListObjectsV2`. */
  readonly operation: string;
  /** Where it is constructed, relative to the repository root. */
  readonly file: string;
}

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** The repository files a bundle was built from, as its source map lists them. */
export function bundledSources(action: ActionName): string[] {
  const map = JSON.parse(
    readFileSync(join(REPO_ROOT, 'actions', action, 'dist', 'bundle.js.map'), 'utf8'),
  ) as {
    sources: string[];
  };
  // Entries are written relative to the build's working copy; what follows the `../` steps is the
  // path inside the repository.
  return map.sources
    .map((source) => normalize(source.replace(/^(\.\.\/)+/, '')))
    .filter((source) => /^(actions|packages)\/.+\.ts$/.test(source));
}

/** The operations one TypeScript module constructs commands for. */
export function sdkCallsIn(file: string, text: string): SdkCall[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const commands = new Map<string, { client: string; operation: string }>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || statement.importClause?.isTypeOnly) continue;
    const module = (statement.moduleSpecifier as ts.StringLiteral).text;
    if (!module.startsWith('@aws-sdk/client-')) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      if (element.isTypeOnly) continue;
      const imported = (element.propertyName ?? element.name).text;
      const match = /^(\w+)Command$/.exec(imported);
      if (match?.[1]) commands.set(element.name.text, { client: module, operation: match[1] });
    }
  }
  const calls: SdkCall[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
      const command = commands.get(node.expression.text);
      if (command) calls.push({ ...command, file });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return calls;
}

/** Every SDK operation the action's bundle can call, once each, sorted. */
export function sdkCallsOf(action: ActionName): SdkCall[] {
  const seen = new Map<string, SdkCall>();
  for (const file of bundledSources(action)) {
    for (const call of sdkCallsIn(file, readFileSync(join(REPO_ROOT, file), 'utf8'))) {
      const key = `${call.client} ${call.operation}`;
      if (!seen.has(key)) seen.set(key, call);
    }
  }
  return [...seen.values()].sort((a, b) =>
    `${a.client} ${a.operation}`.localeCompare(`${b.client} ${b.operation}`),
  );
}
