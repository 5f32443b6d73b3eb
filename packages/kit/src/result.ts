import * as core from '@actions/core';
import { Cancelled, DeployFailed, InputError, messageOf } from './errors';
import { escapeSummary, setOutputs, Summary, summaryText, writeSummary, type OutputValue } from './report';
import { STATUS_ICON, STATUS_VERDICT, type FailureStatus, type Status } from './status';

/**
 * What every action's run comes to, succeeded or not: the one shape run() turns into the step's
 * outputs and its job summary. An action builds it in its report module from what it saw.
 */
export interface ActionResult {
  /** How the run ended, in the suite's vocabulary (./status); also the `status` output. */
  status: Status;
  /** One sentence after the verdict: what happened to what and, for a failure, why. */
  headline: string;
  /** The failure's own line, quoted under the headline. */
  error?: string | undefined;
  /** The evidence quoted under the error: events, stopped-task reasons, a tool's last lines. */
  evidence?: readonly string[] | undefined;
  /** The step's outputs other than `status`; undefined values stay unset. */
  outputs: Readonly<Record<string, OutputValue>>;
  /** Everything under the headline and the quote: facts, tables, the timeline. */
  body?: Summary | undefined;
}

/** Evidence lines quoted under the error; the rest is the body's to show. */
const QUOTED_EVIDENCE = 10;
/** A headline is one sentence: a longer cause is cut here and quoted in full below it. */
const HEADLINE_CHARACTERS = 300;

const attached = new WeakMap<object, ActionResult>();

/**
 * The failure `err`, unchanged, carrying the result its step still reports (outputs, summary):
 * `throw withResult(err, resultOf(...))`. run() publishes the result, then fails with `err`.
 */
export function withResult(err: unknown, result: ActionResult): unknown {
  const carrier = typeof err === 'object' && err !== null ? err : new Error(String(err));
  attached.set(carrier, result);
  return carrier;
}

/** The result a failure carries, if its action attached one. */
export function attachedResult(err: unknown): ActionResult | undefined {
  return typeof err === 'object' && err !== null ? attached.get(err) : undefined;
}

/** How a thrown failure ended, read from its type and typed field, never from its message. */
export function failureStatus(err: unknown): FailureStatus {
  if (err instanceof Cancelled) return 'cancelled';
  if (err instanceof DeployFailed) return err.status;
  return 'failed';
}

/** What the summary quotes of a failure: its line and its evidence; nothing without one. */
export function quoteOf(failure: unknown): Pick<ActionResult, 'error' | 'evidence'> {
  if (failure === undefined) return {};
  return { error: messageOf(failure), evidence: failure instanceof DeployFailed ? failure.reasons : [] };
}

/** The result of a failure its action had nothing to add to (bad input, a failure before any work). */
export function resultOfFailure(action: string, err: unknown): ActionResult {
  const message = messageOf(err);
  const headline =
    err instanceof InputError
      ? `${action} did not start: input '${err.input}' ${err.why}`
      : `${action} stopped: ${message}`;
  return { status: failureStatus(err), headline, ...quoteOf(err), outputs: {} };
}

/**
 * The job summary: first line ✅ / ❌ / ⚠️, the verdict and the cause in one sentence; then the
 * error and its evidence as a quote, above any table of the body. Every value is escaped.
 */
export function renderResult(action: string, result: ActionResult): string {
  const verdict = STATUS_VERDICT[result.status].toLowerCase();
  const parts = [
    `## ${STATUS_ICON[result.status]} ${escapeSummary(action)} ${verdict}: ${summaryText(cut(oneLine(result.headline)))}`,
  ];
  const quote: string[] = [];
  if (result.error !== undefined && result.error !== '')
    quote.push(`**Error:** ${summaryText(result.error)}`);
  const evidence = result.evidence ?? [];
  if (evidence.length > 0) {
    quote.push(
      evidence
        .slice(0, QUOTED_EVIDENCE)
        .map((line) => `- ${summaryText(line)}`)
        .join('\n'),
    );
    if (evidence.length > QUOTED_EVIDENCE)
      quote.push(`… and ${evidence.length - QUOTED_EVIDENCE} more lines in the step log.`);
  }
  if (quote.length > 0) parts.push(quote.join('\n\n').replace(/^/gm, '> ').replace(/^> $/gm, '>'));
  const body = result.body?.toMarkdown().trimEnd();
  if (body) parts.push(body);
  return parts.join('\n\n') + '\n';
}

/** Where run() sends a result; tests pass recorders. */
export interface ResultSink {
  setOutput: (name: string, value: string) => void;
  writeSummary: (markdown: string) => Promise<void>;
}

const runnerSink: ResultSink = { setOutput: core.setOutput, writeSummary };

/** Outputs (with `status`) and the job summary, from one result, in one place. */
export async function publishResult(
  action: string,
  result: ActionResult,
  sink: ResultSink = runnerSink,
): Promise<void> {
  setOutputs({ ...result.outputs, status: result.status }, sink.setOutput);
  await sink.writeSummary(renderResult(action, result));
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\u0085\u2028\u2029]+\s*/g, ' ').trim();
}

function cut(text: string): string {
  return text.length <= HEADLINE_CHARACTERS ? text : `${text.slice(0, HEADLINE_CHARACTERS - 1)}…`;
}
