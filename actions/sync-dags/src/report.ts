import {
  formatBytes,
  messageOf,
  quoteOf,
  Summary,
  type ActionResult,
  type OutputValue,
} from '@deploy-suite/kit';
import type { ArtifactKind } from './artifacts';
import type { SyncOutcome } from './outcome';

/** Beyond this many rows the summary lists a count instead: the job summary holds at most 1 MiB. */
const MAX_ROWS = 1000;

const VERSION_OUTPUTS: Record<ArtifactKind, string> = {
  requirements: 'requirements-version',
  plugins: 'plugins-version',
  'startup-script': 'startup-script-version',
};

export function outputsOf(outcome: SyncOutcome): Record<string, OutputValue> {
  const outputs: Record<string, OutputValue> = {
    uploaded: outcome.uploaded,
    deleted: outcome.deleted,
    unchanged: outcome.plan?.unchanged.length ?? 0,
    'bytes-uploaded': outcome.bytesUploaded,
    'environment-status': outcome.environment?.status,
  };
  for (const artifact of outcome.artifacts) outputs[VERSION_OUTPUTS[artifact.kind]] = artifact.versionId;
  return outputs;
}

/** What the run comes to: outputs and summary; `failure` is what the step fails with, if it does. */
export function resultOf(outcome: SyncOutcome, failure?: unknown): ActionResult {
  return {
    status: outcome.status,
    headline: headlineOf(outcome, failure),
    ...quoteOf(failure),
    outputs: outputsOf(outcome),
    body: renderSummary(outcome),
  };
}

/** The verdict and the cause in one sentence. */
function headlineOf(outcome: SyncOutcome, failure: unknown): string {
  const destination = `s3://${outcome.bucket}/${outcome.prefix}`;
  const plan = outcome.plan;
  if (outcome.dryRun && outcome.status === 'succeeded') {
    return `dry run for ${destination}: would upload ${plan?.upload.length ?? 0} and delete ${plan?.delete.length ?? 0} files; nothing was changed`;
  }
  const files = `${outcome.uploaded} uploaded, ${outcome.deleted} deleted, ${plan?.unchanged.length ?? 0} unchanged`;
  if (outcome.status === 'succeeded') {
    const environment = outcome.environment;
    const mwaa = environment?.updated
      ? `; MWAA environment ${environment.name} runs the new versions (${environment.status ?? 'status unknown'})`
      : '';
    return `${destination} is in sync with the DAGs folder: ${files}${mwaa}`;
  }
  const changed = outcome.uploaded + outcome.deleted > 0 || outcome.artifacts.some((a) => a.uploaded);
  const sofar = changed ? `before it stopped: ${files}` : `nothing in ${destination} was changed`;
  if (outcome.status === 'cancelled') return `${destination}: cancelled by the runner, ${sofar}`;
  return `${messageOf(failure)}; ${sofar}`;
}

/** The summary's body: counts, bytes, each file changed (in a dry run: each file and what would happen to it), MWAA versions. */
export function renderSummary(outcome: SyncOutcome): Summary {
  const summary = new Summary();
  const plan = outcome.plan;
  if (outcome.dryRun)
    summary.text('Dry run: nothing was uploaded, deleted or updated. This is what a real run would do.');
  if (outcome.status === 'cancelled')
    summary.heading('Cancelled: left in flight', 3).list(outcome.leftInFlight);
  summary.facts([
    [
      outcome.dryRun ? 'to upload' : 'uploaded',
      String(outcome.dryRun ? (plan?.upload.length ?? 0) : outcome.uploaded),
    ],
    [
      outcome.dryRun ? 'to delete' : 'deleted',
      String(outcome.dryRun ? (plan?.delete.length ?? 0) : outcome.deleted),
    ],
    ['unchanged', String(plan?.unchanged.length ?? 0)],
    [
      outcome.dryRun ? 'bytes to upload' : 'bytes uploaded',
      outcome.dryRun
        ? formatBytes(plan?.upload.reduce((sum, file) => sum + file.size, 0) ?? 0)
        : `${formatBytes(outcome.bytesUploaded)} (${outcome.bytesUploaded} bytes)`,
    ],
    ['left out (.airflowignore, include, exclude)', String(outcome.skipped)],
    ['validation', outcome.validation ?? 'did not run'],
  ]);
  if (plan === undefined) {
    summary.text('The run stopped before a plan was made.');
  } else {
    const rows: string[][] = [
      ...plan.upload.map((file) => [file.path, `upload (${file.reason})`, formatBytes(file.size)]),
      ...plan.delete.map((object) => [object.path, 'delete', formatBytes(object.size)]),
      ...(outcome.dryRun
        ? plan.unchanged.map((file) => [file.path, 'unchanged', formatBytes(file.size)])
        : []),
    ];
    if (rows.length > 0) {
      summary.heading(outcome.dryRun ? 'Plan' : 'Files changed', 3);
      summary.table(['file', 'action', 'size'], rows.slice(0, MAX_ROWS));
      if (rows.length > MAX_ROWS) summary.text(`… and ${rows.length - MAX_ROWS} more (see the step log).`);
    } else {
      summary.text(
        outcome.status === 'succeeded'
          ? 'Every file was already up to date.'
          : 'No DAG file was uploaded or deleted.',
      );
    }
  }
  if (outcome.artifacts.length > 0 || outcome.environment !== undefined) {
    summary.heading('MWAA', 3);
    if (outcome.artifacts.length > 0) {
      summary.table(
        ['artifact', 'S3 key', 'content', 'version'],
        outcome.artifacts.map((artifact) => [
          artifact.kind,
          artifact.key,
          artifact.reason === 'unchanged'
            ? 'unchanged'
            : `${artifact.reason}${artifact.uploaded ? ', uploaded' : ''}`,
          artifact.versionId ?? (outcome.dryRun && artifact.action === 'upload' ? '(new version)' : '-'),
        ]),
      );
    }
    const environment = outcome.environment;
    if (environment !== undefined) {
      const update = environment.updated
        ? 'UpdateEnvironment called'
        : environment.changes === undefined
          ? 'no update needed'
          : outcome.dryRun
            ? 'would call UpdateEnvironment'
            : 'not updated';
      summary.facts([
        ['environment', environment.name],
        ['update', update],
        ['status', environment.status ?? 'unknown'],
      ]);
    }
  }
  return summary;
}
