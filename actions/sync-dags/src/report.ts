import { formatBytes, setOutputs, Summary, type OutputValue } from '@deploy-suite/kit';
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
    status: outcome.status,
    uploaded: outcome.uploaded,
    deleted: outcome.deleted,
    unchanged: outcome.plan?.unchanged.length ?? 0,
    'bytes-uploaded': outcome.bytesUploaded,
    'environment-status': outcome.environment?.status,
  };
  for (const artifact of outcome.artifacts) outputs[VERSION_OUTPUTS[artifact.kind]] = artifact.versionId;
  return outputs;
}

export function publishOutputs(outcome: SyncOutcome, set?: (name: string, value: string) => void): void {
  setOutputs(outputsOf(outcome), set);
}

/** Counts, bytes, each file changed (in a dry run: each file and what would happen to it), MWAA versions. */
export function renderSummary(outcome: SyncOutcome): Summary {
  const summary = new Summary();
  const destination = `s3://${outcome.bucket}/${outcome.prefix}`;
  summary.heading(outcome.dryRun ? `sync-dags: dry run for ${destination}` : `sync-dags: ${destination}`);
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
      summary.text('Every file was already up to date.');
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
