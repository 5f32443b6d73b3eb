import {
  DeployFailed,
  failureStatus,
  formatBytes,
  messageOf,
  quoteOf,
  shortDigestText,
  Summary,
  type ActionResult,
  type OutputValue,
} from '@deploy-suite/kit';
import { gatePasses, type BuildProgress, type BuildResult } from './build-push';
import type { Inputs } from './inputs';
import { repositoryUri } from './plan';
import { SEVERITY_ORDER, sortFindings, type SeverityCounts } from './scan';

const MAX_FINDING_ROWS = 50;

/** The step's outputs: deploy steps take `image`, which names the image by digest. */
export function outputsOf(result: BuildResult, firstTag: string): Record<string, OutputValue> {
  const repo = repositoryUri(result.destination);
  return {
    image: result.digest === undefined ? undefined : `${repo}@${result.digest}`,
    'image-uri': `${repo}:${firstTag}`,
    digest: result.digest,
    tags: JSON.stringify(result.tagUris),
    registry: result.destination.registry,
    skipped: result.skipped,
    'scan-findings': JSON.stringify(result.scan?.report?.counts ?? {}),
  };
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function countsText(counts: SeverityCounts): string {
  const entries = Object.entries(counts).sort(
    ([a], [b]) => SEVERITY_ORDER.indexOf(a as never) - SEVERITY_ORDER.indexOf(b as never),
  );
  return entries.length === 0 ? 'no findings' : entries.map(([severity, n]) => `${severity} ${n}`).join(', ');
}

/** What the run comes to: the outputs and the summary, with the gate's failure when it failed. */
export function resultOf(
  result: BuildResult,
  inputs: Pick<Inputs, 'tags' | 'failOnSeverity'>,
  failure: DeployFailed | undefined = gateFailure(result, inputs.failOnSeverity),
): ActionResult {
  const outputs = outputsOf(result, inputs.tags[0] ?? '');
  const body = summaryOf(result, inputs.failOnSeverity);
  if (failure !== undefined) {
    return {
      status: 'failed',
      headline: gateHeadline(result, inputs.failOnSeverity ?? ''),
      ...quoteOf(failure),
      outputs,
      body,
    };
  }
  return { status: result.skipped ? 'skipped' : 'succeeded', headline: headlineOf(result), outputs, body };
}

/**
 * A run that stopped before it had an image to report (a Dockerfile error, a refused login or
 * push): what it was asked to build, why it stopped, and the builder's last lines.
 */
export function failureResultOf(
  err: unknown,
  inputs: Pick<Inputs, 'repository' | 'tags' | 'file' | 'context' | 'push'>,
): ActionResult {
  const evidence = err instanceof DeployFailed ? err.reasons : [];
  const body = new Summary().facts([
    ['repository', inputs.repository],
    ['tags', inputs.tags.join(', ')],
    ['Dockerfile', inputs.file],
    ['context', inputs.context],
  ]);
  if (evidence.length > 0) body.details('Last lines of the output', evidence);
  const what = inputs.push ? `building and pushing ${inputs.repository}` : `building ${inputs.repository}`;
  // The builder's own error line says why (a Dockerfile step, a refused push); the exit code does not.
  const cause = evidence.findLast((line) => /^(error|failed)\b/i.test(line.trim()));
  return {
    status: failureStatus(err),
    headline: `${what} stopped: ${messageOf(err)}${cause ? `: ${cause.trim()}` : ''}; nothing was pushed under the asked tags`,
    ...quoteOf(err),
    outputs: {},
    body,
  };
}

function headlineOf(result: BuildResult): string {
  const tags = result.tagUris.map((uri) => uri.slice(uri.lastIndexOf(':') + 1)).join(', ');
  const digest = result.digest === undefined ? '' : shortDigestText(result.digest);
  const repo = result.destination.repository;
  if (result.skipped) return `${repo} already holds ${digest} under the first tag; nothing was built`;
  if (!result.pushed) return `built ${repo} (${tags || 'no tags'}) on the runner; nothing was pushed`;
  return `pushed ${repo} ${tags ? `(${tags}) ` : ''}as ${digest}`;
}

function gateHeadline(result: BuildResult, threshold: string): string {
  const scan = result.scan;
  const image = `${result.destination.repository}@${shortDigestText(result.digest ?? '')}`;
  if (scan?.error !== undefined)
    return `the scan gate could not read the scan of ${image}: ${scan.error.message}`;
  const found = (scan?.blocking ?? []).map(([severity, n]) => `${n} ${severity}`).join(', ');
  return `the scan gate failed: ${image} has ${found} at or above ${threshold}, so the tags waiting for the gate were not added`;
}

/** The summary's body: what was pushed, how the build went, what the scan found. */
export function summaryOf(result: BuildResult, threshold: string | undefined): Summary {
  const summary = new Summary();
  const facts: [string, string][] = [];
  if (result.digest !== undefined)
    facts.push(['image', `${repositoryUri(result.destination)}@${result.digest}`]);
  facts.push(['tags', result.tagUris.join('\n') || 'none']);
  // A local build has no size in ECR to report.
  if (result.pushed || result.skipped) {
    facts.push([
      'size',
      result.sizeBytes === undefined ? 'not reported by ECR yet' : formatBytes(result.sizeBytes),
    ]);
  }
  if (result.skipped) facts.push(['build', 'skipped: the first tag already exists']);
  else if (result.buildMs !== undefined) facts.push(['build time', formatSeconds(result.buildMs)]);
  if (result.engine !== undefined) facts.push(['engine', result.engine]);
  if (result.cache !== undefined) {
    const of = result.cache.steps === undefined ? '' : ` of ${result.cache.steps} steps`;
    facts.push(['cache hits', `${result.cache.hits}${of}`]);
  }
  const scan = result.scan;
  if (scan?.report !== undefined)
    facts.push(['scan', `${scan.report.status}: ${countsText(scan.report.counts)}`]);
  else if (scan?.error !== undefined) facts.push(['scan', scan.error.message]);
  else if (result.digest !== undefined) facts.push(['scan', 'no results yet']);
  if (threshold !== undefined) facts.push(['gate', `fail on ${threshold} or above`]);
  summary.facts(facts);
  if (result.notes.length > 0) summary.list(result.notes);
  if (scan !== undefined && scan.blocking.length > 0 && scan.report !== undefined) {
    const findings = sortFindings(scan.report.findings);
    summary.heading('Findings that fail the gate', 3);
    summary.table(
      ['severity', 'finding', 'package', 'version'],
      findings
        .slice(0, MAX_FINDING_ROWS)
        .map((f) => [f.severity, f.uri ? `${f.name} (${f.uri})` : f.name, f.package ?? '', f.version ?? '']),
    );
    if (findings.length > MAX_FINDING_ROWS) summary.text(`… and ${findings.length - MAX_FINDING_ROWS} more.`);
  }
  if (result.digest !== undefined) {
    summary.details('Full image reference', [`${repositoryUri(result.destination)}@${result.digest}`]);
  }
  return summary;
}

/** The gate's verdict as the step's failure, or undefined when the image may be deployed. */
export function gateFailure(result: BuildResult, threshold: string | undefined): DeployFailed | undefined {
  const scan = result.scan;
  if (scan === undefined || threshold === undefined || gatePasses(scan)) return undefined;
  if (scan.error !== undefined) return scan.error;
  const found = scan.blocking.map(([severity, n]) => `${n} ${severity}`).join(', ');
  const image = `${repositoryUri(result.destination)}@${result.digest ?? ''}`;
  return new DeployFailed(
    `The scan of ${image} found ${found}: at or above ${threshold}, the gate fails (findings in the job summary)`,
    sortFindings(scan.report?.findings ?? [])
      .slice(0, 10)
      .map(
        (f) => `${f.severity} ${f.name}${f.package ? ` in ${f.package} ${f.version ?? ''}`.trimEnd() : ''}`,
      ),
  );
}

/**
 * What a cancel leaves, in lines for the log and the summary: what this run put in the registry,
 * the builder that was stopped (its process group is gone), and how to finish.
 */
export function leftInFlight(progress: BuildProgress): string[] {
  const { pushed, running, digest } = progress;
  const lines: string[] = [];
  if (pushed.length === 0) {
    lines.push(
      running !== undefined && running.pushes.length > 0
        ? 'Build cancelled while pushing; no push had finished.'
        : 'Build cancelled; nothing pushed.',
    );
  } else {
    lines.push(
      `Build cancelled; pushed before the cancel: ${pushed.join(', ')}${digest ? ` (${digest})` : ''}.`,
    );
  }
  if (running !== undefined) {
    lines.push(
      running.pushes.length > 0
        ? `${running.name} was stopped while pushing ${running.pushes.join(', ')}: ECR may or may not hold it; its processes were killed.`
        : `${running.name} was stopped; its processes were killed.`,
    );
  }
  lines.push('To finish, run the step again with the same inputs.');
  return lines;
}

/** The outputs a cancelled run knows: whatever already names the image in the registry. */
export function cancelledOutputs(progress: BuildProgress): Record<string, OutputValue> {
  const repo = progress.destination === undefined ? undefined : repositoryUri(progress.destination);
  return {
    registry: progress.destination?.registry,
    tags: JSON.stringify(progress.pushed),
    digest: progress.digest,
    image: repo === undefined || progress.digest === undefined ? undefined : `${repo}@${progress.digest}`,
  };
}

/** A cancelled run's result: what it left, first, and the outputs it knows. */
export function cancelledResultOf(progress: BuildProgress, left: readonly string[]): ActionResult {
  return {
    status: 'cancelled',
    headline: left[0] ?? 'Build cancelled.',
    evidence: left.slice(1),
    outputs: cancelledOutputs(progress),
    body: new Summary().heading('Build cancelled', 3).list(left),
  };
}
