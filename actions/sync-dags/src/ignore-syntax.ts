import type { Environment } from '@aws-sdk/client-mwaa';
import type { IgnoreSyntax } from './airflowignore';

/** The `airflowignore-syntax` input: a syntax, or `auto` to follow the MWAA environment. */
export type SyntaxChoice = 'auto' | IgnoreSyntax;

export const SYNTAX_CHOICES: readonly SyntaxChoice[] = ['auto', 'regexp', 'glob'];

export interface SyntaxDecision {
  syntax: IgnoreSyntax;
  /** Regexp lines are compiled by RE2 (Airflow 2.6.3 to 2.x), not Python's re (see IgnoreOptions). */
  re2: boolean;
  /** Why, for the log: which input or which environment setting decided. */
  reason: string;
  /** Set when the environment holds a value Airflow itself would refuse. */
  warning?: string;
}

/** MWAA lists Airflow configuration overrides as `section.key`; Airflow reads keys case-insensitively. */
const CONFIG_KEY = 'core.dag_ignore_file_syntax';

/**
 * Which syntax Airflow will read `.airflowignore` in. An explicit input wins; then the MWAA
 * environment's own `core.dag_ignore_file_syntax` override; then its Airflow version's default
 * (`regexp` before 3, `glob` from 3 on: Airflow docs, Core Concepts > DAGs > .airflowignore).
 * Without an environment: `regexp`, the default of Airflow 2, which every MWAA environment ran
 * until MWAA offered Airflow 3, and the syntax this action always read.
 */
export function chooseIgnoreSyntax(
  choice: SyntaxChoice,
  environment: Pick<Environment, 'Name' | 'AirflowVersion' | 'AirflowConfigurationOptions'> | undefined,
): SyntaxDecision {
  const decision = chooseSyntax(choice, environment);
  return { ...decision, re2: decision.syntax === 'regexp' && usesRe2(environment?.AirflowVersion) };
}

function chooseSyntax(
  choice: SyntaxChoice,
  environment: Pick<Environment, 'Name' | 'AirflowVersion' | 'AirflowConfigurationOptions'> | undefined,
): Omit<SyntaxDecision, 're2'> {
  if (choice !== 'auto') return { syntax: choice, reason: `airflowignore-syntax: ${choice}` };
  if (environment === undefined) {
    return {
      syntax: 'regexp',
      reason: "Airflow 2's default (no mwaa-environment; set airflowignore-syntax: glob for Airflow 3)",
    };
  }
  const name = environment.Name ?? 'the environment';
  const byVersion = versionDefault(environment.AirflowVersion);
  const versionReason = `MWAA environment ${name} runs Airflow ${environment.AirflowVersion ?? '(version not reported)'}`;
  const configured = configuredSyntax(environment.AirflowConfigurationOptions);
  if (configured === undefined || configured === '') return { syntax: byVersion, reason: versionReason };
  if (configured === 'regexp' || configured === 'glob') {
    return { syntax: configured, reason: `MWAA environment ${name} sets ${CONFIG_KEY} = ${configured}` };
  }
  return {
    syntax: byVersion,
    reason: versionReason,
    warning: `MWAA environment ${name} sets ${CONFIG_KEY} to '${configured}', which Airflow does not accept (regexp or glob); judging .airflowignore as ${byVersion}, its version's default`,
  };
}

function configuredSyntax(options: Record<string, string> | undefined): string | undefined {
  for (const [key, value] of Object.entries(options ?? {})) {
    if (key.trim().toLowerCase() === CONFIG_KEY) return value.trim();
  }
  return undefined;
}

/** Airflow 3 switched the default to glob; an unreadable version is taken as Airflow 2's regexp. */
function versionDefault(version: string | undefined): IgnoreSyntax {
  const parsed = parseVersion(version);
  return parsed !== undefined && parsed[0] >= 3 ? 'glob' : 'regexp';
}

/**
 * Airflow compiled .airflowignore regexps with RE2 from 2.6.3 to the last 2.x, and with Python's
 * re before and from 3.0 on. Without a version (no environment): a current Airflow 2, so RE2.
 */
function usesRe2(version: string | undefined): boolean {
  const parsed = parseVersion(version);
  if (parsed === undefined) return true;
  const [major, minor, patch] = parsed;
  return major === 2 && (minor > 6 || (minor === 6 && patch >= 3));
}

function parseVersion(version: string | undefined): [number, number, number] | undefined {
  const match = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version ?? '');
  if (match === null) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}
