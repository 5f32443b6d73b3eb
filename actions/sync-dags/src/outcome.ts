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
}

export function emptyOutcome(source: string, bucket: string, prefix: string, dryRun: boolean): SyncOutcome {
  return {
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
  };
}
