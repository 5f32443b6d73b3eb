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

export const ACTIONS = [
  'build-push',
  'deploy-ecs',
  'deploy-beanstalk',
  'sync-dags',
  'deploy-sagemaker',
] as const;
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

/** A client module a function loads on demand: `function f() { return import('@aws-sdk/client-x'); }`. */
export type Loaders = ReadonlyMap<string, string>;

/** The functions of one module that load an `@aws-sdk/client-*` module with `import()`. */
export function clientLoadersIn(file: string, text: string): Map<string, string> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const loaders = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isFunctionDeclaration(statement) || statement.name === undefined) continue;
    const module = dynamicClientImport(statement);
    if (module !== undefined) loaders.set(statement.name.text, module);
  }
  return loaders;
}

function dynamicClientImport(node: ts.Node): string | undefined {
  if (
    ts.isCallExpression(node) &&
    node.expression.kind === ts.SyntaxKind.ImportKeyword &&
    node.arguments[0] !== undefined &&
    ts.isStringLiteral(node.arguments[0]) &&
    node.arguments[0].text.startsWith('@aws-sdk/client-')
  ) {
    return node.arguments[0].text;
  }
  return ts.forEachChild(node, dynamicClientImport);
}

/** The client module a destructured `await loader()` or `await import(...)` yields, if any. */
function loadedClient(initializer: ts.Expression | undefined, loaders: Loaders): string | undefined {
  if (initializer === undefined || !ts.isAwaitExpression(initializer)) return undefined;
  const call = initializer.expression;
  if (!ts.isCallExpression(call)) return undefined;
  if (ts.isIdentifier(call.expression)) return loaders.get(call.expression.text);
  return dynamicClientImport(call);
}

/** Command classes a module imports statically, by local name. */
function importedCommands(source: ts.SourceFile): Map<string, { client: string; operation: string }> {
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
  return commands;
}

/**
 * The operations one TypeScript module constructs commands for: command classes imported from an
 * `@aws-sdk/client-*` module, or destructured from one loaded on demand (`const { XCommand } =
 * await loader()`, the loader found by clientLoadersIn).
 */
export function sdkCallsIn(file: string, text: string, loaders: Loaders = new Map()): SdkCall[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const commands = importedCommands(source);
  const calls: SdkCall[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name)) {
      const client = loadedClient(node.initializer, loaders);
      for (const element of client === undefined ? [] : node.name.elements) {
        const imported = (element.propertyName ?? element.name).getText(source);
        const match = /^(\w+)Command$/.exec(imported);
        if (match?.[1] && ts.isIdentifier(element.name))
          commands.set(element.name.text, { client: client as string, operation: match[1] });
      }
    }
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
  const files = bundledSources(action).map((file) => ({
    file,
    text: readFileSync(join(REPO_ROOT, file), 'utf8'),
  }));
  const loaders = new Map(files.flatMap(({ file, text }) => [...clientLoadersIn(file, text)]));
  for (const { file, text } of files) {
    for (const call of sdkCallsIn(file, text, loaders)) {
      const key = `${call.client} ${call.operation}`;
      if (!seen.has(key)) seen.set(key, call);
    }
  }
  return [...seen.values()].sort((a, b) =>
    `${a.client} ${a.operation}`.localeCompare(`${b.client} ${b.operation}`),
  );
}
