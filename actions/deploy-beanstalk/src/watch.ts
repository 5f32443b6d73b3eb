import type { EnvironmentDescription, EventDescription } from '@aws-sdk/client-elastic-beanstalk';
import { DeadlineExceeded, DeployFailed, EventStream, waitFor, type Timeline } from '@deploy-suite/kit';
import { eventsSince, findEnvironment, viewOf } from './beanstalk';
import { describeHealth, judge, type Verdict } from './plan';
import type { Ports } from './ports';

export interface WatchRequest {
  application: string;
  environment: string;
  label: string;
  /** When the update started, in the service's time (the update's DateUpdated): events from then on belong to it. */
  since: Date;
  timeoutMs: number;
  healthyStates: readonly string[];
  /** How long Red or Degraded health, once Ready on the label, may last before it is a failure. */
  graceMs: number;
}

export interface WatchResult {
  verdict: Exclude<Verdict, { kind: 'waiting' }>;
  environment: EnvironmentDescription | undefined;
  /** Messages of the ERROR and FATAL events of this update. */
  errors: string[];
}

const FAILURE_SEVERITIES = new Set(['ERROR', 'FATAL']);
/**
 * After an event, the environment is read on every poll for this long: Elastic Beanstalk may log
 * "update completed" a moment before DescribeEnvironments shows Ready.
 */
const ACTIVE_MS = 6_000;

/**
 * Follows the environment and its events, each printed once, for one run of the action: the
 * deploy and a rollback after it share the stream, so nothing is printed twice.
 */
export class EnvironmentWatcher {
  private readonly stream = new EventStream<EventDescription>(eventKey, eventTime);
  private lastState = '';

  constructor(
    private readonly ports: Ports,
    private readonly timeline: Timeline,
  ) {}

  /**
   * Polls until the verdict; the deadline is a failure verdict, not an exception. Each poll reads
   * the new events; the environment is read when events arrived lately (an update completing and a
   * health transition each log one) and at least every `stateEveryMs` (basic health logs none).
   */
  async watch(request: WatchRequest): Promise<WatchResult> {
    const { ports } = this;
    const cursor = { since: request.since, lastEventAt: ports.clock.now() };
    let seenUpdating = false;
    /** When the environment was first seen Ready on the label, by the runner's clock: the grace starts then. */
    let readySince: number | undefined;
    let readAt = -Infinity;
    let graceAnnounced = false;
    let environment: EnvironmentDescription | undefined;
    const errors: string[] = [];
    try {
      const verdict = await waitFor<WatchResult['verdict']>({
        what: `${request.environment} to run ${request.label} with health ${request.healthyStates.join(' or ')}`,
        timeoutMs: request.timeoutMs,
        intervalMs: ports.pace.pollMs,
        clock: ports.clock,
        evidence: () => this.stream.last(10).map(formatEvent),
        check: async () => {
          const due = () =>
            ports.clock.now() - readAt >= ports.pace.stateEveryMs ||
            ports.clock.now() - cursor.lastEventAt <= ACTIVE_MS;
          if (!due()) await this.readEvents(request, cursor, errors);
          if (due()) {
            environment = await findEnvironment(ports.eb, request.application, request.environment);
            readAt = ports.clock.now();
            if (!environment)
              return { done: true, value: { kind: 'failed', why: 'the environment no longer exists' } };
            // Events are read after the environment, so an error that led to the state seen is never missed.
            await this.readEvents(request, cursor, errors);
          }
          if (environment === undefined) return { done: false, status: 'not read yet' };
          const view = viewOf(environment);
          if (view.status !== 'Ready') seenUpdating = true;
          const onLabel = view.status === 'Ready' && view.versionLabel === request.label;
          readySince = onLabel ? (readySince ?? ports.clock.now()) : undefined;
          this.noteState(environment);
          const verdict = judge(view, {
            label: request.label,
            healthyStates: request.healthyStates,
            errors,
            seenUpdating,
            graceMs: request.graceMs,
            graceLeftMs:
              readySince === undefined ? request.graceMs : request.graceMs - (ports.clock.now() - readySince),
          });
          if (verdict.kind === 'waiting' && verdict.inGrace && !graceAnnounced) {
            graceAnnounced = true;
            const shown = `${describeHealth(view)} on ${request.label}`;
            ports.log.info(
              `${request.environment} is Ready but ${shown}: watching it for up to ${request.graceMs / 1000} s (health-grace-seconds) before counting it as failed`,
            );
            this.timeline.note(`health grace started (${request.graceMs / 1000} s)`);
          }
          return verdict.kind === 'waiting'
            ? { done: false, status: verdict.status }
            : { done: true, value: verdict };
        },
      });
      return { verdict, environment, errors };
    } catch (err) {
      if (!(err instanceof DeadlineExceeded)) throw err;
      return { verdict: { kind: 'failed', why: err.message }, environment, errors };
    }
  }

  /** Prints the events since the cursor once each, collecting the failures; moves the cursor. */
  private async readEvents(
    request: WatchRequest,
    cursor: { since: Date; lastEventAt: number },
    errors: string[],
  ): Promise<void> {
    const events = await eventsSince(this.ports.eb, {
      application: request.application,
      environment: request.environment,
      since: cursor.since,
      pageSize: this.ports.pace.eventPageSize,
    });
    for (const event of this.stream.add(events)) {
      this.print(event);
      cursor.lastEventAt = this.ports.clock.now();
      if (FAILURE_SEVERITIES.has(event.Severity ?? '')) errors.push(event.Message ?? '(no message)');
      if (event.EventDate && event.EventDate > cursor.since) cursor.since = event.EventDate;
    }
  }

  /** Waits, bounded, until the environment can take an update (it may be running someone else's). */
  async waitUntilReady(
    application: string,
    name: string,
    timeoutMs: number,
  ): Promise<EnvironmentDescription> {
    const { ports } = this;
    return waitFor({
      what: `${name} to be Ready before updating it`,
      timeoutMs,
      intervalMs: ports.pace.pollMs,
      clock: ports.clock,
      check: async () => {
        const environment = await findEnvironment(ports.eb, application, name);
        if (!environment) throw new DeployFailed(`Environment ${name} no longer exists`);
        this.noteState(environment);
        return environment.Status === 'Ready'
          ? { done: true, value: environment }
          : { done: false, status: environment.Status ?? 'unknown' };
      },
    });
  }

  /** Every event printed in this run, oldest first. */
  events(): readonly EventDescription[] {
    return this.stream.history();
  }

  private print(event: EventDescription): void {
    this.ports.log.info(formatEvent(event));
    this.timeline.note(`${event.Severity ?? 'INFO'} ${event.Message ?? ''}`);
  }

  /** One line per change of status, health or version, not one per poll. */
  private noteState(environment: EnvironmentDescription): void {
    const view = viewOf(environment);
    const state = `${view.status}, health ${describeHealth(view)}, running ${view.versionLabel ?? 'no version'}`;
    if (state === this.lastState) return;
    this.lastState = state;
    this.ports.log.info(`${environment.EnvironmentName ?? 'environment'}: ${state}`);
    this.timeline.note(state);
  }
}

function eventKey(event: EventDescription): string {
  return `${eventTime(event)}|${event.Severity ?? ''}|${event.Message ?? ''}`;
}

function eventTime(event: EventDescription): number {
  return event.EventDate?.getTime() ?? 0;
}

export function formatEvent(event: EventDescription): string {
  const at = event.EventDate?.toISOString() ?? '';
  return `${at} ${(event.Severity ?? 'INFO').padEnd(5)} ${event.Message ?? ''}`;
}
