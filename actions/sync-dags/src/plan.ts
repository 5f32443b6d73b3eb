import { InputError, isMultipartEtag, md5FromEtag } from '@deploy-suite/kit';
import { isLeaseKey } from './lease';

/** A local file once hashed. */
export interface HashedFile {
  path: string;
  absolutePath: string;
  size: number;
  md5: string;
}

/** An object as ListObjectsV2 shows it (no metadata). */
export interface RemoteObject {
  key: string;
  /** The key without the prefix. */
  path: string;
  size: number;
  etag: string | undefined;
}

/**
 * What is known about a remote object's content beyond its ETag: the MD5 stored in its metadata
 * at upload, read by HeadObject; `undefined` when the object carries none.
 */
export type StoredHashes = ReadonlyMap<string, string | undefined>;

export type Verdict = 'new' | 'changed' | 'unchanged' | 'check-metadata';

/**
 * Decides by content, never by time. A single-part ETag is the MD5; a multipart one is not, so
 * the MD5 stored in metadata decides. A same-size object whose ETag is not our MD5 is asked for its
 * metadata too: on SSE-KMS buckets ETags are not MD5s, and one HEAD is cheaper than an upload.
 */
export function compareFile(
  local: { size: number; md5: string },
  remote: { size: number; etag: string | undefined } | undefined,
  stored?: { md5: string | undefined },
): Verdict {
  if (remote === undefined) return 'new';
  if (remote.size !== local.size) return 'changed';
  if (md5FromEtag(remote.etag) === local.md5) return 'unchanged';
  if (stored !== undefined) return stored.md5 === local.md5 ? 'unchanged' : 'changed';
  if (isMultipartEtag(remote.etag) || md5FromEtag(remote.etag) !== undefined) return 'check-metadata';
  return 'changed';
}

/** Paths whose remote object must be HEADed before the plan can be made. */
export function pathsToCheck(
  local: readonly HashedFile[],
  remote: ReadonlyMap<string, RemoteObject>,
): string[] {
  return local
    .filter((file) => compareFile(file, remote.get(file.path)) === 'check-metadata')
    .map((f) => f.path);
}

export interface PlannedUpload {
  path: string;
  absolutePath: string;
  key: string;
  size: number;
  md5: string;
  reason: 'new' | 'changed';
}

export interface PlannedDelete {
  path: string;
  key: string;
  size: number;
}

export interface PlannedKeep {
  path: string;
  key: string;
  size: number;
}

export interface SyncPlan {
  upload: PlannedUpload[];
  delete: PlannedDelete[];
  unchanged: PlannedKeep[];
}

export interface PlanOptions {
  prefix: string;
  delete: boolean;
  /** False for remote paths the user's filters leave out: those are never deleted. */
  selected: (path: string) => boolean;
  /** Keys never deleted (requirements, plugins, startup script when they sit under the prefix). */
  protectedKeys: ReadonlySet<string>;
}

/** The whole sync as data: every local file is uploaded or unchanged; extra objects are deleted or left. */
export function planSync(
  local: readonly HashedFile[],
  remote: ReadonlyMap<string, RemoteObject>,
  stored: StoredHashes,
  options: PlanOptions,
): SyncPlan {
  const plan: SyncPlan = { upload: [], delete: [], unchanged: [] };
  const localPaths = new Set<string>();
  for (const file of local) {
    localPaths.add(file.path);
    const key = options.prefix + file.path;
    const object = remote.get(file.path);
    const known = stored.has(file.path) ? { md5: stored.get(file.path) } : undefined;
    const verdict = compareFile(file, object, known);
    if (verdict === 'unchanged') {
      plan.unchanged.push({ path: file.path, key, size: file.size });
    } else {
      plan.upload.push({
        path: file.path,
        absolutePath: file.absolutePath,
        key,
        size: file.size,
        md5: file.md5,
        // Not checked (HEAD failed to say): uploading again is the safe side.
        reason: verdict === 'new' ? 'new' : 'changed',
      });
    }
  }
  if (options.delete) {
    for (const object of remote.values()) {
      // The listing asked for the prefix; a key outside it is never ours to delete.
      if (!object.key.startsWith(options.prefix) || object.key.slice(options.prefix.length) !== object.path)
        continue;
      if (localPaths.has(object.path) || options.protectedKeys.has(object.key)) continue;
      if (isLeaseKey(object.key)) continue; // a run's lease on this or another prefix
      if (!options.selected(object.path)) continue;
      plan.delete.push({ path: object.path, key: object.key, size: object.size });
    }
    plan.delete.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  return plan;
}

export function bytesToUpload(plan: SyncPlan): number {
  return plan.upload.reduce((sum, file) => sum + file.size, 0);
}

export interface DeleteLimits {
  /** Most objects one run may delete. */
  maxDelete: number;
  /** Largest share (percent) of the objects under the prefix one run may delete (above SHARE_FLOOR deletions). */
  maxDeletePercent: number;
}

/**
 * A plan deleting this many objects or fewer is never refused by the share: in a folder of a few
 * DAGs, removing two is half of it, and a handful of objects is quickly put back.
 */
export const SHARE_FLOOR = 5;

/**
 * Refuses a plan that deletes more than the limits allow, before anything is uploaded or deleted:
 * a wrong `source` or `prefix` with `delete: true` would otherwise empty the DAGs folder MWAA
 * reads. The share applies above SHARE_FLOOR deletions.
 */
export function checkDeleteLimits(
  plan: SyncPlan,
  objectsUnderPrefix: number,
  limits: DeleteLimits,
  destination: string,
): void {
  const count = plan.delete.length;
  if (count === 0) return;
  const stated = `the plan deletes ${count} of the ${objectsUnderPrefix} objects under ${destination}`;
  const after = 'nothing was uploaded or deleted; check source and prefix';
  if (count > limits.maxDelete) {
    throw new InputError(
      'max-delete',
      `is ${limits.maxDelete}, but ${stated}; ${after}, or raise max-delete`,
    );
  }
  const percent = (count * 100) / Math.max(objectsUnderPrefix, 1);
  if (count > SHARE_FLOOR && percent > limits.maxDeletePercent) {
    throw new InputError(
      'max-delete-percent',
      `is ${limits.maxDeletePercent}, but ${stated} (${Math.round(percent)}%); ${after}, or raise max-delete-percent`,
    );
  }
}
