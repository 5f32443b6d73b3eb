import { isMap, parseDocument } from 'yaml';

/** An input as a caller sees it: whether it must be given. */
export interface DeclaredInput {
  /** Required and without a default: leaving it out is an error. */
  mustBeGiven: boolean;
}

/** The inputs an action.yml declares, by name. */
export function actionInputs(text: string): Map<string, DeclaredInput> {
  const manifest: unknown = parseDocument(text).toJS();
  return declaredInputs(field(manifest, 'inputs'));
}

/** The inputs a reusable workflow declares under `on.workflow_call.inputs`, or undefined when it is not one. */
export function workflowCallInputs(text: string): Map<string, DeclaredInput> | undefined {
  const doc = parseDocument(text);
  if (!isMap(doc.contents)) return undefined;
  const workflow: unknown = doc.toJS();
  const on = field(workflow, 'on');
  if (on === 'workflow_call' || (Array.isArray(on) && on.includes('workflow_call'))) return new Map();
  const call = field(on, 'workflow_call');
  if (call === undefined) return undefined;
  return declaredInputs(field(call, 'inputs'));
}

function declaredInputs(inputs: unknown): Map<string, DeclaredInput> {
  const declared = new Map<string, DeclaredInput>();
  if (typeof inputs !== 'object' || inputs === null) return declared;
  for (const [name, spec] of Object.entries(inputs)) {
    const required = field(spec, 'required') === true;
    const fallback = field(spec, 'default');
    const hasDefault = fallback !== undefined && fallback !== null && fallback !== '';
    declared.set(name, { mustBeGiven: required && !hasDefault });
  }
  return declared;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
