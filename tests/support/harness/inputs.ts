/**
 * Turns the inputs a caller gives into the `INPUT_*` variables the runner sets, filling in
 * action.yml defaults and producing the runner's warnings for undeclared or deprecated inputs.
 */
import { containsExpression, evaluateTemplate, type ExpressionContext } from './expressions';
import type { InputSpec } from './manifest';

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export interface ResolvedInputs {
  readonly env: Record<string, string>;
  readonly warnings: string[];
}

export function resolveInputs(
  declared: Readonly<Record<string, InputSpec>>,
  given: Readonly<Record<string, string>>,
  context: ExpressionContext,
): ResolvedInputs {
  const env: Record<string, string> = {};
  const warnings: string[] = [];
  // The runner matches input names case-insensitively against action.yml.
  const declaredByLower = new Map(Object.keys(declared).map((name) => [name.toLowerCase(), name] as const));
  const givenLower = new Set<string>();
  const unexpected: string[] = [];

  for (const [name, value] of Object.entries(given)) {
    givenLower.add(name.toLowerCase());
    env[inputEnvName(name)] = value;
    const declaredName = declaredByLower.get(name.toLowerCase());
    if (declaredName === undefined) {
      unexpected.push(name);
      continue;
    }
    const deprecation = declared[declaredName]?.deprecationMessage;
    if (deprecation !== undefined) {
      warnings.push(`Input '${declaredName}' has been deprecated with message: ${deprecation}`);
    }
  }

  for (const [name, spec] of Object.entries(declared)) {
    if (givenLower.has(name.toLowerCase()) || spec.default === undefined) continue;
    env[inputEnvName(name)] = containsExpression(spec.default)
      ? evaluateTemplate(spec.default, context, `the default of input '${name}'`)
      : spec.default;
  }

  if (unexpected.length > 0) {
    warnings.push(
      `Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${Object.keys(declared).join("', '")}']`,
    );
  }
  return { env, warnings };
}
