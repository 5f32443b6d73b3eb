import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { ManifestKind, SchemaCheck } from './github-schema';

const SCHEMAS = join(__dirname, 'schemastore');

/**
 * SchemaStore's JSON Schemas for workflows and action.yml (vendored in ./schemastore, see
 * SOURCE.md there), applied with Ajv: the schemas editors use, a second opinion on structure
 * beside GitHub's own parser.
 */
export function schemaStoreCheck(): SchemaCheck {
  // The schemas use keywords and formats Ajv's strict mode rejects; they are draft-07 as written.
  const ajv = new Ajv({ strict: false, allErrors: true });
  const load = (name: string): ValidateFunction =>
    ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, name), 'utf8')) as object);
  const validators: Record<ManifestKind, ValidateFunction> = {
    workflow: load('github-workflow.json'),
    action: load('github-action.json'),
  };
  return async (kind, file, text) => {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines });
    if (doc.errors.length > 0) return []; // GitHub's parser reports YAML errors
    const validate = validators[kind];
    if (validate(doc.toJS())) return [];
    return mainErrors(validate.errors ?? []).map((error) => {
      const path = error.instancePath.split('/').slice(1).map(unescapePointer);
      const node = doc.getIn(path, true);
      const range = isNode(node) ? node.range : undefined;
      const line = range === undefined || range === null ? undefined : lines.linePos(range[0]).line;
      const where = error.instancePath === '' ? 'the document' : error.instancePath;
      return {
        file,
        ...(line === undefined ? {} : { line }),
        message: `SchemaStore: ${where} ${describe(error)}`,
      };
    });
  };
}

/**
 * Ajv reports every branch of a oneOf/anyOf that failed; the errors at the deepest place say what
 * is wrong. One error is kept per place (the first branch's: for "a number or an expression" that
 * is "must be number"), the branch summaries only where nothing more specific failed.
 */
function mainErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => !['oneOf', 'anyOf', 'if', 'not'].includes(e.keyword));
  const chosen = specific.length > 0 ? specific : [...errors];
  const deepest = chosen.filter(
    (e) => !chosen.some((other) => other !== e && other.instancePath.startsWith(`${e.instancePath}/`)),
  );
  const seen = new Set<string>();
  return deepest.filter((e) => {
    if (seen.has(e.instancePath)) return false;
    seen.add(e.instancePath);
    return true;
  });
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties')
    return `has an unknown key '${String(params['additionalProperty'])}'`;
  if (error.keyword === 'enum') return `must be one of ${JSON.stringify(params['allowedValues'])}`;
  return error.message ?? error.keyword;
}

function unescapePointer(segment: string): string | number {
  const text = segment.replace(/~1/g, '/').replace(/~0/g, '~');
  return /^\d+$/.test(text) ? Number(text) : text;
}
