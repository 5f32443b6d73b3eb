import { newestFirst, planPrune } from '@deploy-suite/kit';
import { settingName, type OptionSetting } from './options';

/**
 * What the deploy will do, decided from what AWS holds: pure functions over plain data, so each
 * decision is tested with tables.
 */

/** Elastic Beanstalk caps application version descriptions at 200 characters. */
export const DESCRIPTION_LIMIT = 200;
const MARKER = /\s*\[bundle md5 ([0-9a-f]{32})\]$/;

/**
 * The version's description with the bundle's MD5 appended. The checksum lives in the description
 * because DescribeApplicationVersions returns it with the version: telling whether an existing
 * label holds the same bundle then needs no S3 read. The user's text is shortened to make room.
 */
export function describeVersion(description: string | undefined, md5: string): string {
  const marker = `[bundle md5 ${md5}]`;
  const text = (description ?? '').trim();
  if (text === '') return marker;
  const room = DESCRIPTION_LIMIT - marker.length - 1;
  const kept = text.length > room ? `${text.slice(0, room - 1)}…` : text;
  return `${kept} ${marker}`;
}

/** The bundle MD5 recorded in a description written by describeVersion. */
export function checksumInDescription(description: string | undefined): string | undefined {
  return description?.match(MARKER)?.[1];
}

/** Where a bundle goes: per application, named by label and checksum so no two bundles share a key. */
export function bundleKey(application: string, label: string, md5: string): string {
  return `${application}/${label}-${md5.slice(0, 12)}.zip`;
}

/** Dockerrun.aws.json version 1: one container from an image, listening on one port. */
export function renderDockerrun(image: string, containerPort: number): string {
  const dockerrun = {
    AWSEBDockerrunVersion: '1',
    Image: { Name: image, Update: 'true' },
    Ports: [{ ContainerPort: containerPort }],
  };
  return `${JSON.stringify(dockerrun, null, 2)}\n`;
}

export interface KnownVersion {
  label: string;
  /** The bundle's MD5 when known (from the description, else the S3 object). */
  md5: string | undefined;
  created: number;
}

export type VersionChoice =
  | { kind: 'create'; label: string }
  | { kind: 'reuse'; label: string; why: string }
  | { kind: 'refuse'; label: string; why: string };

export interface VersionRequest {
  label: string;
  /** Short SHA when the label is the default one; versions of the same commit are then candidates. */
  commit: string | undefined;
  /** The bundle's MD5; undefined when no bundle was given (deploy an existing version). */
  md5: string | undefined;
}

/**
 * Reuse, create, or refuse. A label names one bundle forever: the same bundle under an existing
 * label is reused, a different one is refused (naming both checksums) before anything is uploaded.
 * With the default label, a re-run (a new run attempt, so a new label) reuses the version an
 * earlier attempt of the same commit made when the bundle is byte-identical.
 */
export function chooseVersion(request: VersionRequest, versions: readonly KnownVersion[]): VersionChoice {
  const { label, commit, md5 } = request;
  const same = versions.find((v) => v.label === label);
  const ofCommit =
    commit === undefined ? [] : newestFirst(versions.filter((v) => v.label.startsWith(`${commit}-`)));
  if (md5 === undefined) {
    if (same) return { kind: 'reuse', label, why: 'it exists' };
    const latest = ofCommit[0];
    if (latest)
      return { kind: 'reuse', label: latest.label, why: `it is the newest version of commit ${commit}` };
    return {
      kind: 'refuse',
      label,
      why: `version ${label} does not exist; give image or deployment-package to create it`,
    };
  }
  if (same) {
    if (same.md5 === md5) return { kind: 'reuse', label, why: `it holds the same bundle (md5 ${md5})` };
    if (same.md5 === undefined) {
      return {
        kind: 'refuse',
        label,
        why: `version ${label} exists but its bundle's checksum is unknown (bundle md5 ${md5}); give a new version-label`,
      };
    }
    return {
      kind: 'refuse',
      label,
      why: `version ${label} exists with a different bundle: existing md5 ${same.md5}, this bundle md5 ${md5}; give a new version-label`,
    };
  }
  const identical = ofCommit.find((v) => v.md5 === md5);
  if (identical) {
    return {
      kind: 'reuse',
      label: identical.label,
      why: `it holds the same bundle (md5 ${md5}) built from commit ${commit}`,
    };
  }
  return { kind: 'create', label };
}

/** keep-versions: the same rule as every action that prunes (the kit's planPrune). */
export { planPrune };

/** The tag on an application version that records what the environment ran before it. */
export function previousVersionTagKey(environment: string): string {
  return `deploy-beanstalk:previous:${environment}`;
}

export interface EnvironmentView {
  status: string;
  health: string | undefined;
  healthStatus: string | undefined;
  versionLabel: string | undefined;
}

export type Verdict =
  /** `inGrace`: unhealthy on the new version, but within the health grace. */
  | { kind: 'waiting'; status: string; inGrace?: true }
  | { kind: 'succeeded' }
  | { kind: 'failed'; why: string };

export interface VerdictContext {
  label: string;
  healthyStates: readonly string[];
  /** ERROR events of this update, oldest first. */
  errors: readonly string[];
  /** The environment has left Ready since the update started. */
  seenUpdating: boolean;
  /**
   * Milliseconds of health grace left: Red or Degraded health on the new version, once Ready, is
   * watched while this is above 0 (undefined or 0: it fails at once).
   */
  graceLeftMs?: number;
  /** The whole grace, for the failure's wording. */
  graceMs?: number;
}

const BAD_HEALTH = new Set(['Severe', 'Degraded']);

/**
 * Where an update stands. Success needs all three: Ready, running this label, and a health colour
 * the user counts as healthy. An ERROR event, Red or Severe health once Ready (after the health
 * grace), or Ready on another label after the update ran, are failures; anything else is still going.
 */
export function judge(view: EnvironmentView, context: VerdictContext): Verdict {
  const [firstError] = context.errors;
  if (firstError !== undefined)
    return { kind: 'failed', why: `Elastic Beanstalk reported an error: ${firstError}` };
  if (view.status === 'Terminating' || view.status === 'Terminated') {
    return { kind: 'failed', why: `the environment is ${view.status}` };
  }
  const health = describeHealth(view);
  if (view.status !== 'Ready') return { kind: 'waiting', status: `${view.status}, health ${health}` };
  if (view.versionLabel !== context.label) {
    if (context.seenUpdating) {
      return {
        kind: 'failed',
        why: `the update ended with the environment running ${view.versionLabel ?? 'no version'}, not ${context.label}`,
      };
    }
    return { kind: 'waiting', status: `Ready, still running ${view.versionLabel ?? 'no version'}` };
  }
  if (view.health === 'Red' || BAD_HEALTH.has(view.healthStatus ?? '')) {
    const left = context.graceLeftMs ?? 0;
    if (left > 0) {
      return {
        kind: 'waiting',
        status: `Ready, health ${health}: within the health grace, ${Math.ceil(left / 1000)} s left to recover`,
        inGrace: true,
      };
    }
    const grace = context.graceMs
      ? ` and did not recover within the ${context.graceMs / 1000} s health grace`
      : '';
    return { kind: 'failed', why: `the environment is Ready but its health is ${health}${grace}` };
  }
  if (view.health !== undefined && context.healthyStates.includes(view.health)) return { kind: 'succeeded' };
  return {
    kind: 'waiting',
    status: `Ready, health ${health} (waiting for ${context.healthyStates.join(' or ')})`,
  };
}

export function describeHealth(view: Pick<EnvironmentView, 'health' | 'healthStatus'>): string {
  const colour = view.health ?? 'unknown';
  return view.healthStatus && view.healthStatus !== colour ? `${colour} (${view.healthStatus})` : colour;
}

export interface SettingsChange {
  /** The given settings that differ from what the environment holds. */
  changed: OptionSetting[];
  /** What the environment held for each changed setting: restored by a rollback. */
  before: OptionSetting[];
  /** Changed settings the environment did not hold at all: removed by a rollback. */
  added: OptionSetting[];
}

/** Which of the given settings would change the environment's configuration, and how to undo them. */
export function settingsChange(
  given: readonly OptionSetting[],
  current: readonly OptionSetting[],
): SettingsChange {
  const held = new Map(current.map((s) => [settingName(s), s]));
  const changed = given.filter((s) => held.get(settingName(s))?.value !== s.value);
  const before = changed.flatMap((s) => held.get(settingName(s)) ?? []);
  const added = changed.filter((s) => !held.has(settingName(s)));
  return { changed, before, added };
}
