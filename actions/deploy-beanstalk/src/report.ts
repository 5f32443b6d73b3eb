import {
  formatBytes,
  quoteOf,
  Summary,
  Timeline,
  type ActionResult,
  type OutputValue,
  type Status,
} from '@deploy-suite/kit';
import { describeHealth } from './plan';

/** What the run did to the environment (the `action` output); undefined: nothing. */
export type EnvironmentAction = 'created' | 'updated' | 'reused' | 'rolled-back';

export interface BundleReport {
  origin: string;
  md5: string;
  bytes: number;
  /** Where it was uploaded; undefined when an existing version was reused. */
  location: string | undefined;
}

/** Everything the outputs and the job summary say; filled in as the deploy goes. */
export interface Outcome {
  status: Status;
  application: string;
  environment: string | undefined;
  environmentId: string | undefined;
  action: EnvironmentAction | undefined;
  /** The option settings this run changes, secrets shown as ***. */
  settings: string[];
  label: string | undefined;
  previous: string | undefined;
  /** Why this version: created, or reused and why. */
  versionNote: string | undefined;
  bundle: BundleReport | undefined;
  url: string | undefined;
  /** The colour (the output); healthStatus is the enhanced-health word shown beside it. */
  health: string | undefined;
  healthStatus: string | undefined;
  /** The one-line verdict. */
  verdict: string | undefined;
  causes: string[];
  rollback: string | undefined;
  pruned: string[];
  /** What a cancel left going on in Elastic Beanstalk, and how to finish or undo it. */
  leftInFlight: string[];
}

export function newOutcome(application: string, environment: string | undefined): Outcome {
  return {
    status: 'failed',
    application,
    environment,
    environmentId: undefined,
    action: undefined,
    settings: [],
    label: undefined,
    previous: undefined,
    versionNote: undefined,
    bundle: undefined,
    url: undefined,
    health: undefined,
    healthStatus: undefined,
    verdict: undefined,
    causes: [],
    rollback: undefined,
    pruned: [],
    leftInFlight: [],
  };
}

export function outputsOf(outcome: Outcome): Record<string, OutputValue> {
  return {
    'version-label': outcome.label,
    'previous-version-label': outcome.previous,
    'environment-url': outcome.url,
    'environment-id': outcome.environmentId,
    action: outcome.action,
    health: outcome.health,
  };
}

/** What a cancel leaves behind: the update may go on in Elastic Beanstalk, whatever this run does. */
export function inFlight(outcome: Outcome, timeline: Timeline): string[] {
  if (outcome.environment === undefined || outcome.label === undefined) {
    return outcome.label === undefined
      ? ['Nothing was changed in Elastic Beanstalk.']
      : [`Version ${outcome.label} of ${outcome.application} exists; no environment was updated.`];
  }
  const lines = [
    `Environment ${outcome.environment} may still be updating to ${outcome.label}; Elastic Beanstalk goes on with it.`,
  ];
  const seen = timeline.entries.at(-1)?.text;
  if (seen !== undefined) lines.push(`Last seen: ${seen}`);
  lines.push('To follow it to its end, run the step again with the same inputs.');
  if (outcome.previous !== undefined && outcome.previous !== outcome.label) {
    lines.push(`To undo it, run with rollback-to: ${outcome.previous}`);
  }
  return lines;
}

/** What the run comes to: outputs and summary; `failure` is what the step fails with, if it does. */
export function resultOf(outcome: Outcome, timeline: Timeline, failure?: unknown): ActionResult {
  return {
    status: outcome.status,
    headline: headlineOf(outcome),
    ...quoteOf(failure),
    outputs: outputsOf(outcome),
    body: summaryOf(outcome, timeline),
  };
}

/** The verdict and the cause in one sentence; after a rollback, the cause first, then where it runs now. */
function headlineOf(outcome: Outcome): string {
  const target = outcome.environment ? `${outcome.application}/${outcome.environment}` : outcome.application;
  const verdict = outcome.verdict ?? 'the run stopped before it began';
  if (outcome.status === 'rolled-back' && outcome.rollback) return `${verdict}; ${outcome.rollback}`;
  return verdict.includes(outcome.environment ?? outcome.application) ? verdict : `${target}: ${verdict}`;
}

/** The summary's body: versions, bundle, settings, health, and the timeline. */
export function summaryOf(outcome: Outcome, timeline: Timeline): Summary {
  const summary = new Summary();
  const facts: [string, string][] = [];
  const version = outcome.environment
    ? `${outcome.previous ?? '(none)'} → ${outcome.label ?? '(none)'}`
    : (outcome.label ?? '(none)');
  facts.push(['Version', version]);
  if (outcome.versionNote) facts.push(['Version source', outcome.versionNote]);
  if (outcome.bundle) {
    const { origin, md5, bytes, location } = outcome.bundle;
    facts.push(['Bundle', `${origin}, ${formatBytes(bytes)}, md5 ${md5}${location ? `, ${location}` : ''}`]);
  }
  if (outcome.settings.length > 0) facts.push(['Settings changed', outcome.settings.join(', ')]);
  if (outcome.rollback) facts.push(['Rollback', outcome.rollback]);
  if (outcome.health) facts.push(['Health', describeHealth(outcome)]);
  if (outcome.url) facts.push(['URL', outcome.url]);
  if (outcome.pruned.length > 0) facts.push(['Versions deleted', outcome.pruned.join(', ')]);
  summary.facts(facts);
  if (outcome.leftInFlight.length > 0) summary.heading('Left in flight', 3).list(outcome.leftInFlight);
  if (outcome.causes.length > 0) summary.heading('Health causes', 3).list(outcome.causes);
  if (timeline.entries.length > 0) summary.heading('Timeline', 3).timeline(timeline.start, timeline.entries);
  return summary;
}
