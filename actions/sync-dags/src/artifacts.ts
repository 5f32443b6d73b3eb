import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { md5OfFile, zipFolderDeterministically } from '@deploy-suite/kit';
import { compareFile } from './plan';
import type { ObjectHead } from './remote-tree';

export type ArtifactKind = 'requirements' | 'plugins' | 'startup-script';

export const ARTIFACT_KINDS: readonly ArtifactKind[] = ['requirements', 'plugins', 'startup-script'];

/** Where each artifact sits in the MWAA environment's configuration. */
export const ENVIRONMENT_FIELDS = {
  requirements: { path: 'RequirementsS3Path', version: 'RequirementsS3ObjectVersion' },
  plugins: { path: 'PluginsS3Path', version: 'PluginsS3ObjectVersion' },
  'startup-script': { path: 'StartupScriptS3Path', version: 'StartupScriptS3ObjectVersion' },
} as const;

const DEFAULT_KEYS: Record<ArtifactKind, string> = {
  requirements: 'requirements.txt',
  plugins: 'plugins.zip',
  'startup-script': 'startup.sh',
};

/** The bucket-root keys MWAA artifacts conventionally use: never deleted by a DAG sync, even at the root. */
export const DEFAULT_ARTIFACT_KEYS: readonly string[] = Object.values(DEFAULT_KEYS);

/** The parts of an MWAA environment this action reads and writes. */
export interface EnvironmentArtifacts {
  RequirementsS3Path?: string | undefined;
  RequirementsS3ObjectVersion?: string | undefined;
  PluginsS3Path?: string | undefined;
  PluginsS3ObjectVersion?: string | undefined;
  StartupScriptS3Path?: string | undefined;
  StartupScriptS3ObjectVersion?: string | undefined;
}

export interface LocalArtifact {
  kind: ArtifactKind;
  /** The input as given. */
  source: string;
  /** The file uploaded: the input itself, or the zip made from a plugins folder. */
  file: string;
  size: number;
  md5: string;
  key: string;
}

export interface ArtifactPlan extends LocalArtifact {
  action: 'upload' | 'unchanged';
  reason: 'new' | 'changed' | 'unchanged';
  /** The version already in S3 when unchanged. */
  versionId: string | undefined;
}

/** The key the environment already uses for this artifact, else the conventional one at the bucket root. */
export function artifactKey(kind: ArtifactKind, environment: EnvironmentArtifacts | undefined): string {
  const configured = environment?.[ENVIRONMENT_FIELDS[kind].path];
  return configured !== undefined && configured !== '' ? configured.replace(/^\/+/, '') : DEFAULT_KEYS[kind];
}

/** Upload only when the content differs from what the key holds now. */
export function planArtifact(local: LocalArtifact, head: ObjectHead | undefined): ArtifactPlan {
  const verdict = compareFile(local, head, head && { md5: head.storedMd5 });
  if (verdict === 'unchanged') {
    return { ...local, action: 'unchanged', reason: 'unchanged', versionId: head?.versionId };
  }
  return { ...local, action: 'upload', reason: verdict === 'new' ? 'new' : 'changed', versionId: undefined };
}

export interface PinnedArtifact {
  kind: ArtifactKind;
  key: string;
  versionId: string;
}

/**
 * The UpdateEnvironment fields that differ from what the environment runs now, or undefined when
 * it already runs exactly these objects (then no update is made).
 */
export function environmentChanges(
  pinned: readonly PinnedArtifact[],
  environment: EnvironmentArtifacts,
): EnvironmentArtifacts | undefined {
  const changes: Record<string, string> = {};
  for (const artifact of pinned) {
    const fields = ENVIRONMENT_FIELDS[artifact.kind];
    const currentPath = environment[fields.path]?.replace(/^\/+/, '');
    if (currentPath !== artifact.key || environment[fields.version] !== artifact.versionId) {
      changes[fields.path] = artifact.key;
      changes[fields.version] = artifact.versionId;
    }
  }
  return Object.keys(changes).length === 0 ? undefined : (changes as EnvironmentArtifacts);
}

/** Reads (and for a plugins folder, zips) each artifact the user named, and hashes it. */
export async function prepareArtifacts(
  given: Readonly<Record<ArtifactKind, string | undefined>>,
  environment: EnvironmentArtifacts | undefined,
  tempDir: string,
): Promise<LocalArtifact[]> {
  const artifacts: LocalArtifact[] = [];
  for (const kind of ARTIFACT_KINDS) {
    const source = given[kind];
    if (source === undefined) continue;
    let file = source;
    if (kind === 'plugins' && (await stat(source)).isDirectory()) {
      file = join(tempDir, 'plugins.zip');
      await zipFolderDeterministically({ root: source, out: file, include: isPluginSource });
    }
    const size = (await stat(file)).size;
    artifacts.push({
      kind,
      source,
      file,
      size,
      md5: await md5OfFile(file, size),
      key: artifactKey(kind, environment),
    });
  }
  return artifacts;
}

/** Bytecode caches differ between machines and Python versions; they would change the zip's hash. */
function isPluginSource(path: string): boolean {
  return !path.split('/').includes('__pycache__') && !path.endsWith('.pyc');
}
