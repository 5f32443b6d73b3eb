import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ManifestKind, SchemaCheck } from './github-schema';
import { actionInputs, workflowCallInputs, type DeclaredInput } from './manifests';
import { checkOidcPermissions } from './oidc';
import type { Problem } from './problem';
import { wrapSnippet, yamlSnippets } from './snippets';
import { checkStepInputs } from './step-inputs';
import { findReadmes, findTargets, type Target } from './targets';

export interface Validation {
  checked: Target[];
  /** README snippets checked as workflows. */
  snippets: number;
  problems: Problem[];
}

/** One text to check: a file, or a README snippet made into a workflow. */
interface Unit {
  kind: ManifestKind;
  path: string;
  text: string;
  /** The line in `path` of a line of `text`. */
  sourceLine(line: number): number;
}

/**
 * Every target and every README snippet against each check (GitHub's parser, SchemaStore's
 * schema, actionlint), then every workflow's OIDC permissions and its use of this repository's
 * actions (and of reusable workflows beside it) against what they declare.
 */
export async function validateRepository(root: string, checks: readonly SchemaCheck[]): Promise<Validation> {
  const targets = findTargets(root);
  const problems: Problem[] = [];
  const units: Unit[] = targets.map((target) => ({
    ...target,
    text: readFileSync(join(root, target.path), 'utf8'),
    sourceLine: (line) => line,
  }));
  const texts = new Map(units.map((unit) => [unit.path, unit.text]));
  let snippets = 0;
  for (const readme of findReadmes(root)) {
    for (const snippet of yamlSnippets(readFileSync(join(root, readme), 'utf8'))) {
      snippets++;
      const wrapped = wrapSnippet(snippet.text);
      if (typeof wrapped === 'string') {
        problems.push({ file: readme, line: snippet.line, message: `YAML snippet: ${wrapped}` });
        continue;
      }
      const fence = snippet.line - 1;
      units.push({
        kind: 'workflow',
        path: readme,
        text: wrapped.text,
        sourceLine: (line) => {
          const at = wrapped.sourceLine(line);
          return at === 0 ? fence : fence + at;
        },
      });
    }
  }

  const actions = new Map<string, Map<string, DeclaredInput>>();
  // The suite's actions, by name, whose inputs `with:` is checked against.
  for (const target of targets.filter((t) => t.kind === 'action' && t.path.startsWith('actions/')))
    actions.set(
      basename(dirname(target.path)),
      orElse(() => actionInputs(texts.get(target.path) ?? ''), new Map()),
    );

  for (const unit of units) {
    const found: Problem[] = [];
    for (const check of checks) found.push(...(await check(unit.kind, unit.path, unit.text)));
    if (unit.kind === 'workflow') {
      found.push(...orElse(() => checkOidcPermissions(unit.path, unit.text), []));
      const callees = { actions, workflows: reusableBeside(unit, units) };
      found.push(...orElse(() => checkStepInputs(unit.path, unit.text, callees), []));
    }
    problems.push(
      ...found.map((problem) =>
        problem.line === undefined ? problem : { ...problem, line: unit.sourceLine(problem.line) },
      ),
    );
  }
  return { checked: targets, snippets, problems };
}

/** Reusable workflows in the same folder as a workflow file, by file name, with their inputs. */
function reusableBeside(unit: Unit, units: readonly Unit[]): Map<string, Map<string, DeclaredInput>> {
  const workflows = new Map<string, Map<string, DeclaredInput>>();
  if (unit.path.endsWith('.md')) return workflows;
  for (const sibling of units) {
    if (sibling.kind !== 'workflow' || sibling.path.endsWith('.md')) continue;
    if (dirname(sibling.path) !== dirname(unit.path)) continue;
    const inputs = orElse(() => workflowCallInputs(sibling.text), undefined);
    if (inputs !== undefined) workflows.set(basename(sibling.path), inputs);
  }
  return workflows;
}

/** A file the YAML reader cannot read is already reported by the schema check; nothing to add. */
function orElse<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}
