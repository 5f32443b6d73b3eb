/**
 * What every hostile-input row shares: the hostile values themselves, and the checks the issue asks
 * of each row. A refused row fails with exit 1, exactly one error annotation that names the input,
 * no stack, and no call that changes anything; an accepted row must not let a value it logs act
 * as a workflow command. "Acts as a command" is judged by the harness, which parses the step's
 * output as the runner does (tests/support/harness/step-log.ts).
 */
import type { RunActionResult } from '../../support/harness';
import type { Stack } from '../../support/stack';

/** Every injected command carries this marker, so what it would have done can be searched for. */
export const MARK = 'HOSTILE';

/**
 * Workflow commands as a hostile value would smuggle them onto a line of their own (docs.github.com,
 * "Workflow commands for GitHub Actions"): outputs, masks, annotations, stopping command processing
 * (which would silence the action's own error), the retired set-env/add-path, and the runner's
 * legacy `##[command]` form, which it recognises anywhere in a line.
 */
export const INJECTED_COMMANDS = [
  `::set-output name=${MARK.toLowerCase()}::${MARK}-output`,
  `::add-mask::${MARK}-mask`,
  `::error::${MARK}-error`,
  `::warning title=${MARK}::${MARK}-warning`,
  `::notice::${MARK}-notice`,
  `::save-state name=${MARK.toLowerCase()}::${MARK}-state`,
  `::set-env name=${MARK}_ENV::${MARK}-env`,
  `::add-path::/${MARK}-path`,
  `##[set-output name=${MARK.toLowerCase()}-legacy;]${MARK}-legacy`,
  `##[error]${MARK}-legacy-error`,
  `::stop-commands::${MARK}token`,
] as const;

/** A value that opens a new line and issues every command above on it. */
export const newlineInjection = (base: string): string => `${base}\n${INJECTED_COMMANDS.join('\n')}`;
/**
 * The same within a file name's 255 bytes: an output, a mask, an error, the legacy form and a stop,
 * for repository files whose names the actions log.
 */
export const nameInjection = (base: string): string =>
  [base, ...[0, 1, 2, 8, 10].map((i) => INJECTED_COMMANDS[i])].join('\n');
/** The same with carriage returns only: the runner splits lines on \r too. */
export const carriageReturnInjection = (base: string): string => `${base}\r${INJECTED_COMMANDS[1]}\r`;
/** A value that is itself a command. */
export const commandValue = (index = 0): string => INJECTED_COMMANDS[index] ?? INJECTED_COMMANDS[0];

/** Unicode a reviewer's eye does not see: the "Trojan Source" bidirectional overrides and zero-width characters. */
export const RTL_OVERRIDE = '\u202e';
export const ZERO_WIDTH_SPACE = '\u200b';
export const ZERO_WIDTH_JOINER = '\u200d';
export const BYTE_ORDER_MARK = '\ufeff';
/** C0 and C1 controls that can reach an environment variable (NUL cannot: see the rows' notes). */
export const ESCAPE = '\u001b';
export const BELL = '\u0007';
export const NEXT_LINE = '\u0085';
export const TERMINAL_COLOUR = `${ESCAPE}[31m`;

export const oversize = (length: number, unit = 'a'): string => unit.repeat(length);

export type Expectation =
  /** Refused before any change: exit 1, one error naming `input` (and matching `accepted` when given). */
  | { readonly refused: string; readonly accepted?: RegExp }
  /** Not a refusal: exit 0; the hostile value is logged as text at most. */
  | { readonly succeeds: true }
  /**
   * The run fails for a reason outside the input (no credentials, a DAG that does not compile, a
   * deployment that failed): one error line matching `fails`. Nothing may change unless `changes`.
   */
  | { readonly fails: RegExp; readonly changes?: true };

/** Whether the row must leave AWS as it found it: refusals, and failures before any change. */
export function changesNothing(expectation: Expectation): boolean {
  return 'refused' in expectation || ('fails' in expectation && expectation.changes !== true);
}

export interface Row<Extra = unknown> {
  /** What the row shows; the test's name. */
  readonly name: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly expect: Expectation;
  readonly extra?: Extra;
  /** Text the log must show (as text): proof that the hostile value was really logged. */
  readonly shows?: string;
}

const errorsOf = (result: RunActionResult): string[] =>
  result.annotations.filter((a) => a.level === 'error').map((a) => a.message);

/** Lines a Node stack trace would print (`    at fn (file.js:1:2)`). */
const STACK_LINE = /^\s+at .*(?:\(.*:\d+:\d+\)|:\d+:\d+)$/m;

/** Nothing a hostile value carried was obeyed by the runner. */
export function expectNothingInjected(result: RunActionResult): void {
  const marked = (text: string): boolean => text.includes(MARK) || text.includes(MARK.toLowerCase());
  expect(Object.keys(result.outputs).filter(marked)).toEqual([]);
  // Output values may hold a hostile AWS text (a version label) as data; a command sets new names.
  expect(Object.keys(result.state).filter(marked)).toEqual([]);
  expect(result.masked.filter(marked)).toEqual([]);
  expect(Object.entries(result.exportedEnv).filter(([k, v]) => marked(k) || marked(v))).toEqual([]);
  expect(result.path.filter(marked)).toEqual([]);
  // An injected annotation's message starts with the marker; the action's own may quote it inside.
  expect(result.annotations.filter((a) => a.message.startsWith(MARK) || a.title === MARK)).toEqual([]);
  // The harness reports a command the runner could not process (set-env, add-path) as an error.
  expect(result.annotations.filter((a) => /Unable to process command/.test(a.message))).toEqual([]);
}

/** The row's outcome as the issue states it; a failure shows the step's log. */
export function expectOutcome(result: RunActionResult, row: Row<unknown>): void {
  try {
    checkOutcome(result, row.expect);
    if (row.shows !== undefined) expect(result.stdout).toContain(row.shows);
  } catch (error) {
    if (error instanceof Error) error.message += `\n\nstep log:\n${result.stdout}`;
    throw error;
  }
}

function checkOutcome(result: RunActionResult, expectation: Expectation): void {
  const errors = errorsOf(result);
  expect(result.stdout).not.toMatch(STACK_LINE);
  expect(result.stdout).not.toContain('an error in the action');
  expectNothingInjected(result);
  if ('succeeds' in expectation) {
    expect(errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    return;
  }
  expect(result.exitCode).toBe(1);
  // A failed deployment may point at files (a DAG that does not compile) with annotations of their
  // own; the step's failure is still one line. A refusal has nothing else to point at.
  const fileErrors = result.annotations.filter((a) => a.level === 'error' && a.file !== undefined);
  if (!('fails' in expectation)) expect(fileErrors).toEqual([]);
  expect(errors).toHaveLength(1 + fileErrors.length);
  const [error = ''] = result.annotations
    .filter((a) => a.level === 'error' && a.file === undefined)
    .map((a) => a.message);
  if ('fails' in expectation) {
    expect(error).toMatch(expectation.fails);
    return;
  }
  expect(error.startsWith(`Input '${expectation.refused}' `)).toBe(true);
  if (expectation.accepted) expect(error).toMatch(expectation.accepted);
}

/**
 * Calls that change something. Reads are Describe/List/Get/Head (and ECR's BatchGet/BatchCheck);
 * REST calls the simulator passes on are logged as `METHOD /path`, of which GET and HEAD read.
 */
export function isMutating(operation: string): boolean {
  if (/^(?:GET|HEAD) /.test(operation)) return false;
  if (/^[A-Z]+ \//.test(operation)) return true;
  return !/^(?:Describe|List|Get|Head|BatchGet|BatchCheck)/.test(operation);
}

/** The simulator's log of calls that change something, since the last clear. */
export async function mutatingCalls(stack: Stack): Promise<string[]> {
  const calls = await stack.simulator.calls();
  return calls.filter((c) => isMutating(c.operation)).map((c) => `${c.service} ${c.operation}`);
}

/** An environment with no credentials anywhere the SDK looks: no AWS_* keys, an empty HOME, no instance metadata. */
export function noCredentialsEnv(stack: Stack, emptyHome: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(stack.env)) {
    if (!/^AWS_(?:ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$/.test(name)) env[name] = value;
  }
  return { ...env, HOME: emptyHome, AWS_EC2_METADATA_DISABLED: 'true' };
}
