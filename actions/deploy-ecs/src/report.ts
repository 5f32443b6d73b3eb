import {
  Cancelled,
  DeployFailed,
  failureStatus,
  InputError,
  isFailure,
  Summary,
  type ActionResult,
  type OutputValue,
} from '@deploy-suite/kit';
import { shortName } from './deployment-view';
import type { Journal } from './journal';

/** The step's outputs, as action.yml names them. */
export function outputsOf(journal: Journal): Record<string, OutputValue> {
  return {
    'task-definition-arn': journal.taskDefinitionArn,
    'previous-task-definition-arn': journal.previousTaskDefinitionArn,
    'deployment-id': journal.deploymentId,
    'codedeploy-deployment-id': journal.codeDeployDeploymentId,
    'run-task-exit-code': journal.runTaskExitCode,
    // A JSON list, as the deploy action of aws-actions gives it (one task here).
    'run-task-arn': journal.runTaskArn === undefined ? undefined : JSON.stringify([journal.runTaskArn]),
  };
}

/**
 * Puts a failure into the journal and returns what the step should fail with. An AWS error is the
 * service's answer, not a bug in the action: one line, no stack.
 */
export function recordFailure(journal: Journal, err: unknown): unknown {
  if (err instanceof InputError) {
    journal.finish('failed', err.message);
    return err;
  }
  if (err instanceof Cancelled) {
    journal.leftInFlight = inFlight(journal);
    journal.finish('cancelled', err.message);
    return new DeployFailed(err.message, journal.leftInFlight, 'cancelled');
  }
  const failure =
    err instanceof DeployFailed ? err : isAwsError(err) ? new DeployFailed(err.message) : undefined;
  if (failure === undefined) {
    journal.finish('failed', err instanceof Error ? err.message : String(err));
    return err;
  }
  journal.evidence = failure.reasons;
  journal.finish(failureStatus(failure), failure.message);
  return failure;
}

/** What a cancel left behind, and how to finish or undo it: printed under the cancel's line. */
export function inFlight(journal: Journal): string[] {
  const arn = journal.taskDefinitionArn;
  const previous = journal.previousTaskDefinitionArn;
  if (journal.deploymentId === undefined) {
    return arn === undefined
      ? ['Nothing was changed in ECS.']
      : [`Registered ${shortName(arn)}; ${journal.target} was not updated.`];
  }
  const codeDeploy = journal.codeDeployDeploymentId;
  const lines = [
    codeDeploy === undefined
      ? `Deployment ${journal.deploymentId} of ${shortName(arn)} on ${journal.target} was in progress; ECS goes on with it.`
      : `CodeDeploy deployment ${codeDeploy} of ${shortName(arn)} on ${journal.target} was in progress; CodeDeploy goes on with it.`,
  ];
  const seen = journal.timeline.at(-1)?.text;
  if (seen !== undefined) lines.push(`Last seen: ${seen}`);
  lines.push('To follow it to its end, run the step again with the same inputs.');
  if (codeDeploy !== undefined) {
    lines.push(
      `To stop it and roll back: aws deploy stop-deployment --deployment-id ${codeDeploy} --auto-rollback-enabled`,
    );
  } else if (previous !== undefined && previous !== arn) {
    lines.push(`To undo it, run with rollback-to: ${shortName(previous)}`);
  }
  return lines;
}

function isAwsError(err: unknown): err is Error {
  return err instanceof Error && typeof (err as { $metadata?: unknown }).$metadata === 'object';
}

/** What the run comes to, whatever its end: the outputs and the summary. */
export function resultOf(journal: Journal): ActionResult {
  const status = journal.status ?? 'failed';
  return {
    status,
    headline: headlineOf(journal),
    error: isFailure(status) ? journal.verdict : undefined,
    evidence: status === 'cancelled' ? journal.leftInFlight : journal.evidence,
    outputs: outputsOf(journal),
    body: summaryOf(journal),
  };
}

/** The verdict and the cause in one sentence: for a rollback, where the service is now, then why. */
function headlineOf(journal: Journal): string {
  const cause = journal.evidence[0];
  if (journal.status === 'rolled-back') {
    const back =
      journal.rolledBackTo === undefined ? 'the previous revision' : shortName(journal.rolledBackTo);
    return `${journal.target} runs ${back} again; ${shortName(journal.taskDefinitionArn)} failed${cause ? `: ${cause}` : ''}`;
  }
  if (journal.status === 'failed' && cause !== undefined)
    return `${journal.target}: ${journal.verdict}: ${cause}`;
  return `${journal.target}: ${journal.verdict || 'the run stopped before it began'}`;
}

/** The summary's body: revisions, image changes, why it failed, and the timeline. */
export function summaryOf(journal: Journal): Summary {
  const summary = new Summary();
  const before = journal.previousTaskDefinitionArn;
  const facts: [string, string][] = [
    [
      'Task definition',
      before === undefined
        ? shortName(journal.taskDefinitionArn)
        : `${shortName(before)} → ${shortName(journal.taskDefinitionArn)}`,
    ],
  ];
  if (journal.deploymentId !== undefined) facts.push(['Deployment', journal.deploymentId]);
  if (journal.rolledBackTo !== undefined) facts.push(['Rolled back to', shortName(journal.rolledBackTo)]);
  if (journal.runTaskArn !== undefined) facts.push(['run-task task', journal.runTaskArn]);
  if (journal.runTaskExitCode !== undefined)
    facts.push(['run-task exit code', String(journal.runTaskExitCode)]);
  summary.facts(facts);
  if (journal.leftInFlight.length > 0) summary.heading('Left in flight', 3).list(journal.leftInFlight);
  if (journal.stoppedTasks.length > 0) {
    summary.heading('Why it failed: stopped tasks', 3).table(
      ['task', 'stopped at', 'stop code', 'reason', 'containers'],
      journal.stoppedTasks.map((t) => [
        t.id,
        t.stoppedAt?.toISOString() ?? '',
        t.stopCode,
        t.reason,
        t.containers.join('\n'),
      ]),
    );
  }
  if (journal.images.length > 0) {
    summary.heading('Image changes', 3).table(
      ['container', 'before', 'after'],
      journal.images.map((c) => [c.container, c.before ?? '(none)', c.after ?? '(none)']),
    );
  }
  if (journal.lastEvents.length > 0) summary.heading('Last service events', 3).list(journal.lastEvents);
  if (journal.timeline.length > 0) summary.heading('Timeline', 3).timeline(journal.start, journal.timeline);
  return summary;
}
