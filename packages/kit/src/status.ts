/**
 * How a run of any action of the suite ended: one set of words with one meaning each, the same in
 * every action's `status` output, its job summary's first line and its GitHub deployment.
 */
export const STATUSES = ['succeeded', 'failed', 'rolled-back', 'cancelled', 'started', 'skipped'] as const;

export type Status = (typeof STATUSES)[number];

/** The statuses a failed step ends with; a thrown failure carries one of these as a typed field. */
export type FailureStatus = Extract<Status, 'failed' | 'rolled-back' | 'cancelled'>;

/** What each status means; the READMEs' `status` output rows say the same. */
export const STATUS_MEANING: Readonly<Record<Status, string>> = {
  succeeded: 'the run did everything it was asked to and saw it work',
  failed: 'the run stopped on a failure; what it changed is left as the summary says',
  'rolled-back': 'the change failed and the target runs the version it ran before again',
  cancelled: 'the runner cancelled the step; what was in flight may go on in AWS',
  started: 'the change was started and not followed to its end (wait: false)',
  skipped: 'nothing was done because the result already exists',
};

/** The first thing a reader of the job summary sees: did it work (✅), fail (❌), or is it unknown (⚠️)? */
export const STATUS_ICON: Readonly<Record<Status, '✅' | '❌' | '⚠️'>> = {
  succeeded: '✅',
  skipped: '✅',
  failed: '❌',
  'rolled-back': '❌',
  cancelled: '⚠️',
  started: '⚠️',
};

/** The verdict word that follows the icon. */
export const STATUS_VERDICT: Readonly<Record<Status, string>> = {
  succeeded: 'Succeeded',
  skipped: 'Skipped',
  failed: 'Failed',
  'rolled-back': 'Rolled back',
  cancelled: 'Cancelled',
  started: 'Started, not followed',
};

export function isFailure(status: Status): status is FailureStatus {
  return status === 'failed' || status === 'rolled-back' || status === 'cancelled';
}
