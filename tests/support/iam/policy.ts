/**
 * The identity policies of the IAM template's roles, and the part of IAM's evaluation the tests need:
 * an Allow statement matches a request when one of its Action patterns matches the action (case
 * insensitively) and one of its Resource patterns matches the resource ARN (case sensitively), `*`
 * standing for any run of characters and `?` for one (IAM User Guide, "IAM JSON policy elements:
 * Action" and "... Resource"). The template has no Deny, NotAction or NotResource; reading one fails.
 * Given the request's context keys, a statement's Condition must hold too: every operator block,
 * every key in it, any of its values (IAM User Guide, "Condition element": StringEquals,
 * StringLike, ArnEquals, ArnLike; a key the request lacks makes the condition false). Without a
 * context (a check of actions alone) conditions are not evaluated.
 */
import { join } from 'node:path';
import { readTemplate, resolveTemplate, type Resolved } from './cfn';

export interface Statement {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly condition: unknown;
}

export interface RolePolicy {
  readonly statements: readonly Statement[];
  readonly trust: readonly Record<string, unknown>[];
  readonly managedPolicyArns: readonly string[];
}

export const TEMPLATE_PATH = join(__dirname, '..', '..', '..', 'examples', 'iam', 'template.yaml');

export const PSEUDO = { partition: 'aws', region: 'us-east-1', accountId: '123456789012' } as const;

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function statementsOf(document: unknown, where: string): Statement[] {
  const raw = (document as { Statement?: unknown }).Statement;
  return (Array.isArray(raw) ? raw : [raw]).map((entry: Record<string, unknown>, index) => {
    for (const key of ['NotAction', 'NotResource', 'NotPrincipal']) {
      if (key in entry)
        throw new Error(`${where} statement ${index} uses ${key}, which is not evaluated here`);
    }
    if (entry.Effect !== 'Allow') throw new Error(`${where} statement ${index} is not an Allow`);
    return {
      sid: String(entry.Sid ?? `#${index}`),
      actions: list(entry.Action),
      resources: list(entry.Resource),
      condition: entry.Condition,
    };
  });
}

/** Every role of the resolved template, with its inline policies' statements. */
export function rolesOf(resolved: Resolved): Record<string, RolePolicy> {
  const roles: Record<string, RolePolicy> = {};
  for (const [id, resource] of Object.entries(resolved.resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const properties = resource.Properties as Record<string, unknown>;
    const policies = (properties.Policies ?? []) as { PolicyDocument: unknown }[];
    roles[id] = {
      statements: policies.flatMap((policy) => statementsOf(policy.PolicyDocument, id)),
      trust: statementsOfTrust(properties.AssumeRolePolicyDocument),
      managedPolicyArns: list(properties.ManagedPolicyArns),
    };
  }
  return roles;
}

function statementsOfTrust(document: unknown): Record<string, unknown>[] {
  const raw = (document as { Statement?: unknown }).Statement;
  return (Array.isArray(raw) ? raw : [raw]) as Record<string, unknown>[];
}

/** The template resolved for these parameters, on the tests' account and region. */
export function templateFor(parameters: Readonly<Record<string, string>>): Resolved {
  return resolveTemplate(readTemplate(TEMPLATE_PATH), parameters, PSEUDO);
}

function globToRegExp(pattern: string, flags: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, flags);
}

export function actionMatches(pattern: string, action: string): boolean {
  return globToRegExp(pattern, 'i').test(action);
}

export function resourceMatches(pattern: string, arn: string): boolean {
  return globToRegExp(pattern, '').test(arn);
}

export type RequestContext = Readonly<Record<string, string>>;

const OPERATORS: Readonly<Record<string, (pattern: string, value: string) => boolean>> = {
  StringEquals: (pattern, value) => pattern === value,
  StringLike: (pattern, value) => resourceMatches(pattern, value),
  ArnEquals: (pattern, value) => pattern === value,
  ArnLike: (pattern, value) => resourceMatches(pattern, value),
};

export function conditionHolds(condition: unknown, context: RequestContext): boolean {
  if (condition === undefined) return true;
  return Object.entries(condition as Record<string, Record<string, unknown>>).every(([operator, keys]) => {
    const test = OPERATORS[operator];
    if (!test) throw new Error(`Condition operator ${operator} is not evaluated here`);
    return Object.entries(keys).every(([key, expected]) => {
      const value = context[key];
      return value !== undefined && list(expected).some((pattern) => test(pattern, value));
    });
  });
}

/**
 * The statements allowing `action` on `resource` (any resource when it is undefined), with the
 * request's condition keys when `context` is given.
 */
export function allowing(
  statements: readonly Statement[],
  action: string,
  resource?: string,
  context?: RequestContext,
): Statement[] {
  return statements.filter(
    (statement) =>
      statement.actions.some((pattern) => actionMatches(pattern, action)) &&
      (resource === undefined || statement.resources.some((pattern) => resourceMatches(pattern, resource))) &&
      (context === undefined || conditionHolds(statement.condition, context)),
  );
}
