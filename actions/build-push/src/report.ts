import { DeployFailed, formatBytes, Summary, type OutputValue } from '@deploy-suite/kit';
import { gatePasses, type BuildProgress, type BuildResult } from './build-push';
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

/** The job summary: what was pushed, how the build went, what the scan found. */
export function summaryOf(result: BuildResult, threshold: string | undefined): Summary {
  const summary = new Summary().heading(
    result.skipped ? 'Image already in ECR' : result.pushed ? 'Image pushed to ECR' : 'Image built',
  );
  const repo = repositoryUri(result.destination);
  const facts: [string, string][] = [];
  if (result.digest !== undefined)
    facts.push(['image', `${repo}@${result.digest}`], ['digest', result.digest]);
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
    status: 'cancelled',
    registry: progress.destination?.registry,
    tags: JSON.stringify(progress.pushed),
    digest: progress.digest,
    image: repo === undefined || progress.digest === undefined ? undefined : `${repo}@${progress.digest}`,
  };
}

export function cancelledSummary(left: readonly string[]): Summary {
  return new Summary().heading('Build cancelled').list(left);
}
