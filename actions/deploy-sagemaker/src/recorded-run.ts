import {
  Cancelled,
  DeployFailed,
  DeploymentRecorder,
  failureStatus,
  InputError,
  messageOf,
  Timeline,
  withDeploymentRecord,
  withResult,
  type ActionResult,
  type DeployEnding,
  type GitHubDeploymentInputs,
} from '@deploy-suite/kit';
import type { Ports } from './ports';
import { pruneAfterDeploy } from './prune';
import { resultOf, type Outcome } from './report';

/** What a deploy and a rollback-to both take for the record and the pruning around their work. */
export interface RunRecordInputs {
  readonly github: GitHubDeploymentInputs;
  readonly keepVersions: number;
  readonly environmentUrl: string | undefined;
}

/**
 * A deploy or a rollback-to run inside its GitHub deployment record, pruned with keep-versions once
 * it succeeded; returns the result, or throws the failure carrying it (a cancel as a `cancelled`
 * failure). `cancelledVerdict` words a cancel's verdict; without it a verdict already said stays.
 */
export async function recordedRun(
  inputs: RunRecordInputs,
  ports: Ports,
  timeline: Timeline,
  outcome: Outcome,
  work: (recorder: DeploymentRecorder) => Promise<void>,
  cancelledVerdict?: (message: string) => string,
): Promise<ActionResult> {
  const recorder = new DeploymentRecorder(inputs.github, ports.github, ports.log);
  try {
    await withDeploymentRecord(recorder, async (): Promise<DeployEnding> => {
      await work(recorder);
      await pruneAfterDeploy(ports, inputs.keepVersions, outcome);
      return outcome.status === 'succeeded'
        ? { kind: 'succeeded', environmentUrl: inputs.environmentUrl }
        : { kind: 'unfollowed' };
    });
  } catch (err) {
    if (err instanceof InputError) throw err;
    const cancelled = err instanceof Cancelled;
    outcome.status = cancelled ? 'cancelled' : failureStatus(err);
    if (cancelled && cancelledVerdict) outcome.verdict = cancelledVerdict(err.message);
    outcome.verdict ??= messageOf(err);
    const failure = cancelled ? new DeployFailed(err.message, [], 'cancelled') : err;
    throw withResult(failure, resultOf(outcome, timeline, failure));
  }
  return resultOf(outcome, timeline);
}
