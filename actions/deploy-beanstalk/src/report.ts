import { formatBytes, Summary, type Clock, type OutputValue, type TimelineEntry } from '@deploy-suite/kit';
import { describeHealth } from './plan';

export type Status = 'succeeded' | 'failed' | 'rolled-back' | 'created' | 'started' | 'cancelled';

/** What happened, when, as the action saw it: the job summary's timeline. */
export class Timeline {
  readonly start: number;
  readonly entries: TimelineEntry[] = [];

  constructor(private readonly clock: Clock) {
    this.start = clock.now();
  }

  note(text: string): void {
    this.entries.push({ at: this.clock.now(), text });
  }
}

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
    status: outcome.status,
    health: outcome.health,
  };
}

const HEADLINE: Readonly<Record<Status, string>> = {
  succeeded: 'deployed',
  failed: 'failed',
  'rolled-back': 'failed and rolled back',
  created: 'version created',
  started: 'update started (not waited for)',
  cancelled: 'cancelled',
};

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

export function summaryOf(outcome: Outcome, timeline: Timeline): Summary {
  const target = outcome.environment
    ? `${outcome.application} / ${outcome.environment}`
    : outcome.application;
  const summary = new Summary().heading(`Elastic Beanstalk ${target}: ${HEADLINE[outcome.status]}`);
  const facts: [string, string][] = [['Status', outcome.status]];
  const version = outcome.environment
    ? `${outcome.previous ?? '(none)'} → ${outcome.label ?? '(none)'}`
    : (outcome.label ?? '(none)');
  facts.push(['Version', version]);
  if (outcome.versionNote) facts.push(['Version source', outcome.versionNote]);
  if (outcome.bundle) {
    const { origin, md5, bytes, location } = outcome.bundle;
    facts.push(['Bundle', `${origin}, ${formatBytes(bytes)}, md5 ${md5}${location ? `, ${location}` : ''}`]);
  }
  if (outcome.verdict) facts.push(['Verdict', outcome.verdict]);
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
