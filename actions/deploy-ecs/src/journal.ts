import type { Clock, Status, TimelineEntry } from '@deploy-suite/kit';
import type { ImageChange } from './task-definition';
import type { StoppedTask } from './stopped-tasks';

/** What a run did and saw, gathered as it goes, so outputs and the summary exist whatever the outcome. */
export class Journal {
  readonly start: number;
  readonly timeline: TimelineEntry[] = [];
  taskDefinitionArn: string | undefined;
  previousTaskDefinitionArn: string | undefined;
  /** The revision a rollback (the circuit breaker's or this run's) returned the service to. */
  rolledBackTo: string | undefined;
  deploymentId: string | undefined;
  /** The CodeDeploy deployment of a blue/green (CODE_DEPLOY) service. */
  codeDeployDeploymentId: string | undefined;
  status: Status | undefined;
  verdict = '';
  /** The evidence of a failure (stopped-task reasons, events), quoted under it in the summary. */
  evidence: readonly string[] = [];
  runTaskExitCode: number | undefined;
  /** The task run-task started. */
  runTaskArn: string | undefined;
  images: ImageChange[] = [];
  stoppedTasks: StoppedTask[] = [];
  lastEvents: string[] = [];
  /** What a cancel left going on in ECS, and how to finish or undo it. */
  leftInFlight: string[] = [];

  constructor(
    private readonly clock: Clock,
    readonly target: string,
  ) {
    this.start = clock.now();
  }

  /** A step the run took, on the timeline. */
  note(text: string): void {
    this.timeline.push({ at: this.clock.now(), text });
  }

  /** A service event, on the timeline when it was first seen. */
  event(message: string): void {
    this.timeline.push({ at: this.clock.now(), text: `event: ${message}` });
  }

  finish(status: Status, verdict: string): void {
    this.status = status;
    this.verdict = verdict;
    this.note(verdict);
  }
}
