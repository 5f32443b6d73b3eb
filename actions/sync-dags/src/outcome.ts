import type { Status } from '@deploy-suite/kit';
import type { ArtifactKind, EnvironmentArtifacts } from './artifacts';
import type { SyncPlan } from './plan';

export interface ArtifactOutcome {
  kind: ArtifactKind;
  key: string;
  action: 'upload' | 'unchanged';
  reason: 'new' | 'changed' | 'unchanged';
  /** The S3 version the environment should run: the new upload's, or the existing object's. */
  versionId: string | undefined;
  /** True once uploaded (false in a dry run). */
  uploaded: boolean;
}

export interface EnvironmentOutcome {
  name: string;
  /** Fields sent to UpdateEnvironment (or that would be, in a dry run); undefined when nothing changed. */
  changes: EnvironmentArtifacts | undefined;
  updated: boolean;
  status: string | undefined;
}

/** What happened, filled in as the run goes, so a failed run still reports how far it got. */
export interface SyncOutcome {
  /** How the run ended, in the suite's vocabulary. */
  status: Status;
  source: string;
  bucket: string;
  prefix: string;
  dryRun: boolean;
  validation: string | undefined;
  skipped: number;
  plan: SyncPlan | undefined;
  uploaded: number;
  deleted: number;
  bytesUploaded: number;
  artifacts: ArtifactOutcome[];
  environment: EnvironmentOutcome | undefined;
  /** What a cancel left unfinished, and how to finish it. */
  leftInFlight: string[];
}

export function emptyOutcome(source: string, bucket: string, prefix: string, dryRun: boolean): SyncOutcome {
  return {
    status: 'failed',
    source,
    bucket,
    prefix,
    dryRun,
    validation: undefined,
    skipped: 0,
    plan: undefined,
    uploaded: 0,
    deleted: 0,
    bytesUploaded: 0,
    artifacts: [],
    environment: undefined,
    leftInFlight: [],
  };
}

/**
 * How far a cancelled run got. Uploads come before deletes, so a cancel leaves new files beside
 * old ones, never a tree with files missing; an MWAA update, once asked for, goes on in MWAA.
 */
export function inFlight(outcome: SyncOutcome): string[] {
  const lines: string[] = [];
  const planned = outcome.plan;
  if (planned !== undefined && planned.upload.length > 0) {
    lines.push(
      `Uploaded ${outcome.uploaded} of ${planned.upload.length} files to s3://${outcome.bucket}/${outcome.prefix}.`,
    );
  }
  if (planned !== undefined && planned.delete.length > 0) {
    lines.push(
      outcome.deleted === 0
        ? 'No object was deleted yet: deletes start only after every upload.'
        : `Deleted ${outcome.deleted} of ${planned.delete.length} objects no longer in the folder.`,
    );
  }
  const environment = outcome.environment;
  if (environment?.updated) {
    lines.push(
      `MWAA environment ${environment.name} is updating to the new versions (last seen ${environment.status ?? 'UPDATING'}); MWAA goes on with it.`,
    );
  }
  lines.push(
    lines.length === 0
      ? 'Nothing was changed in S3 or MWAA.'
      : 'To finish, run the step again: files already uploaded are not sent twice.',
  );
  return lines;
}
