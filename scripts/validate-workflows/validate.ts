import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { SchemaCheck } from './github-schema';
import { actionInputs, workflowCallInputs, type DeclaredInput } from './manifests';
import type { Problem } from './problem';
import { checkStepInputs } from './step-inputs';
import { findTargets, type Target } from './targets';

export interface Validation {
  checked: Target[];
  problems: Problem[];
}

/**
 * Every target against GitHub's schema, then every workflow's use of this repository's actions
 * (and of reusable workflows beside it) against what they declare.
 */
export async function validateRepository(root: string, schemaCheck: SchemaCheck): Promise<Validation> {
  const targets = findTargets(root);
  const texts = new Map(
    targets.map((target) => [target.path, readFileSync(join(root, target.path), 'utf8')]),
  );
  const problems: Problem[] = [];

  const actions = new Map<string, Map<string, DeclaredInput>>();
  for (const target of targets) {
    const text = texts.get(target.path) ?? '';
    problems.push(...(await schemaCheck(target.kind, target.path, text)));
    if (target.kind === 'action')
      actions.set(
        basename(dirname(target.path)),
        orElse(() => actionInputs(text), new Map()),
      );
  }

  for (const target of targets.filter((t) => t.kind === 'workflow')) {
    const folder = dirname(target.path);
    const workflows = new Map<string, Map<string, DeclaredInput>>();
    for (const sibling of targets.filter((t) => t.kind === 'workflow' && dirname(t.path) === folder)) {
      const inputs = orElse(() => workflowCallInputs(texts.get(sibling.path) ?? ''), undefined);
      if (inputs !== undefined) workflows.set(basename(sibling.path), inputs);
    }
    problems.push(
      ...orElse(() => checkStepInputs(target.path, texts.get(target.path) ?? '', { actions, workflows }), []),
    );
  }
  return { checked: targets, problems };
}

/** A file the YAML reader cannot read is already reported by the schema check; nothing to add. */
function orElse<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}
