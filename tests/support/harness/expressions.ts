/**
 * The small part of the runner's expression language the harness needs: `${{ github.x }}` /
 * `${{ runner.x }}` look-ups inside input defaults, and the status functions of `pre-if` /
 * `post-if`. Anything else is refused with a message saying what is supported.
 */
import { HarnessError } from './harness-error';

/** Context values by dotted name, e.g. `github.sha`; names are matched case-insensitively. */
export type ExpressionContext = Readonly<Record<string, string>>;

const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;

export function containsExpression(text: string): boolean {
  return /\$\{\{[\s\S]*?\}\}/.test(text);
}

/** Replaces each `${{ ... }}` in `text`; `what` names the text in error messages. */
export function evaluateTemplate(text: string, context: ExpressionContext, what: string): string {
  return text.replace(EXPRESSION, (_whole, body: string) => evaluateValue(body.trim(), context, what));
}

function evaluateValue(expression: string, context: ExpressionContext, what: string): string {
  const literal = /^'((?:[^']|'')*)'$/.exec(expression);
  if (literal) return (literal[1] ?? '').replace(/''/g, "'");
  const key = expression.toLowerCase();
  const value = context[key];
  if (value !== undefined) return value;
  throw new HarnessError(
    `Cannot evaluate \`\${{ ${expression} }}\` in ${what}: the harness knows only ` +
      `${Object.keys(context).sort().join(', ')} and quoted strings; pass the input explicitly`,
  );
}

/** How the steps before this one went, which is all the status functions look at. */
export interface StepStatus {
  readonly failed: boolean;
}

/**
 * Evaluates a `pre-if` / `post-if` condition. Like the runner, a condition without a status
 * function is read as `success() && (...)`; the harness supports only the status functions
 * and `true`/`false` on their own.
 */
export function evaluateCondition(condition: string, status: StepStatus, what: string): boolean {
  const unwrapped = condition
    .trim()
    .replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
    .trim();
  switch (unwrapped.replace(/\s+/g, '').toLowerCase()) {
    case 'always()':
      return true;
    case 'success()':
    case 'true':
      return !status.failed;
    case 'failure()':
      return status.failed;
    case 'cancelled()':
    case 'false':
      return false;
    case '!cancelled()':
      return true;
    default:
      throw new HarnessError(
        `Cannot evaluate ${what} '${condition}': the harness supports always(), success(), failure(), ` +
          'cancelled(), !cancelled(), true and false',
      );
  }
}
