import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { DeclaredInput } from './manifests';
import type { Problem } from './problem';

/** What a `uses:` can name that this repository declares. */
export interface KnownCallees {
  /** actions/<name>/action.yml inputs, by action name. */
  actions: ReadonlyMap<string, ReadonlyMap<string, DeclaredInput>>;
  /** Reusable workflows beside the caller (as they will be in .github/workflows/), by file name. */
  workflows: ReadonlyMap<string, ReadonlyMap<string, DeclaredInput>>;
}

// `owner/<action>@ref` (published to its own repository), `owner/repo/actions/<action>@ref` (this
// repository by path, the form GitHub resolves as `{owner}/{repo}/{path}@{ref}`) or
// `./actions/<action>` (in this repository's own workflows).
const PUBLISHED_ACTION = /^[A-Za-z0-9_.-]+\/([A-Za-z0-9_.-]+)@\S+$/;
const MONOREPO_ACTION = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/actions\/([A-Za-z0-9_.-]+)@(\S+)$/;
const LOCAL_ACTION = /^\.\/actions\/([A-Za-z0-9_.-]+)\/?$/;
// A release tag of one action in this repository: `<action>/v1`, `<action>/v1.2`, `<action>/v1.2.3`.
const ACTION_TAG = /^([A-Za-z0-9_.-]+)\/v\d+(?:\.\d+){0,2}$/;

/** The action of this repository a `uses:` names, and a problem with its ref if any. */
export function usedAction(uses: string): { action: string; refProblem?: string } | undefined {
  const path = MONOREPO_ACTION.exec(uses);
  if (path !== null) {
    const [, action = '', ref = ''] = path;
    const tagged = ACTION_TAG.exec(ref)?.[1];
    return tagged === undefined || tagged === action
      ? { action }
      : {
          action,
          refProblem: `the ref '${ref}' is a tag of '${tagged}', not of '${action}'; use '${action}/${ref.slice(tagged.length + 1)}'`,
        };
  }
  const action = PUBLISHED_ACTION.exec(uses)?.[1] ?? LOCAL_ACTION.exec(uses)?.[1];
  return action === undefined ? undefined : { action };
}
const LOCAL_WORKFLOW = /^\.\/\.github\/workflows\/([A-Za-z0-9_.-]+\.ya?ml)$/;

/**
 * Checks every step that uses one of this repository's actions, and every job that calls a
 * reusable workflow beside it: each `with:` key must be an input the callee declares, and each
 * input it requires (without a default) must be given. Anything else `uses:` names is left alone.
 */
export function checkStepInputs(file: string, text: string, callees: KnownCallees): Problem[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const lineOf = (node: Node | null | undefined): number | undefined =>
    node?.range ? lines.linePos(node.range[0]).line : undefined;
  const problems: Problem[] = [];
  const jobs = isMap(doc.contents) ? doc.contents.get('jobs', true) : undefined;
  if (!isMap(jobs)) return problems;

  for (const jobPair of jobs.items) {
    const jobId = String(isScalar(jobPair.key) ? jobPair.key.value : jobPair.key);
    const job = jobPair.value;
    if (!isMap(job)) continue;
    const calledWorkflow = scalar(job, 'uses');
    if (calledWorkflow !== undefined) {
      const name = LOCAL_WORKFLOW.exec(calledWorkflow)?.[1];
      const inputs = name === undefined ? undefined : callees.workflows.get(name);
      if (inputs !== undefined) {
        const where = `job '${jobId}' (uses ${calledWorkflow})`;
        problems.push(...checkWith(file, where, job, inputs, `workflow '${name}'`, lineOf));
      }
      continue;
    }
    const steps = job.get('steps', true);
    if (!isSeq(steps)) continue;
    steps.items.forEach((step, index) => {
      if (!isMap(step)) return;
      const uses = scalar(step, 'uses');
      if (uses === undefined) return;
      const used = usedAction(uses);
      const inputs = used === undefined ? undefined : callees.actions.get(used.action);
      if (used === undefined || inputs === undefined) return;
      const label = scalar(step, 'id') ?? scalar(step, 'name') ?? `#${index + 1}`;
      const where = `job '${jobId}', step '${label}' (uses ${uses})`;
      if (used.refProblem !== undefined) {
        const line = lineOf(step.get('uses', true) as Node);
        problems.push({
          file,
          ...(line === undefined ? {} : { line }),
          message: `${where}: ${used.refProblem}`,
        });
      }
      problems.push(...checkWith(file, where, step, inputs, `action '${used.action}'`, lineOf));
    });
  }
  return problems;
}

function checkWith(
  file: string,
  where: string,
  caller: YAMLMap,
  inputs: ReadonlyMap<string, DeclaredInput>,
  callee: string,
  lineOf: (node: Node | null | undefined) => number | undefined,
): Problem[] {
  const problems: Problem[] = [];
  const withNode = caller.get('with', true);
  const given = new Set<string>();
  if (isMap(withNode)) {
    for (const pair of withNode.items) {
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      const value = isScalar(pair.value) ? pair.value.value : pair.value;
      if (value !== null && value !== '') given.add(key);
      if (!inputs.has(key)) {
        const line = lineOf(isScalar(pair.key) ? pair.key : withNode);
        problems.push({
          file,
          ...(line === undefined ? {} : { line }),
          message: `${where}: '${key}' is not an input of ${callee}${suggestion(key, inputs)}`,
        });
      }
    }
  }
  for (const [name, input] of inputs) {
    if (input.mustBeGiven && !given.has(name)) {
      const line = lineOf(withNode ?? caller);
      problems.push({
        file,
        ...(line === undefined ? {} : { line }),
        message: `${where}: required input '${name}' of ${callee} is not given`,
      });
    }
  }
  return problems;
}

function scalar(map: YAMLMap, key: string): string | undefined {
  const node = map.get(key, true);
  return isScalar(node) && node.value !== null ? String(node.value) : undefined;
}

/** A near name (a typo, a different separator), for the message. */
function suggestion(key: string, inputs: ReadonlyMap<string, DeclaredInput>): string {
  const normal = (name: string) => name.toLowerCase().replace(/[-_ ]/g, '');
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of inputs.keys()) {
    const distance = normal(name) === normal(key) ? 0 : editDistance(name, key);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best === undefined
    ? ' (it declares: ' + [...inputs.keys()].join(', ') + ')'
    : `; did you mean '${best}'?`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitute));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
