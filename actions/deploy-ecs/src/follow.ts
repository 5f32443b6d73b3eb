import {
  DescribeServiceDeploymentsCommand,
  type Service,
  type ServiceDeployment,
  type ServiceEvent,
} from '@aws-sdk/client-ecs';
import { DeadlineExceeded, EventStream, isThrottling, waitFor } from '@deploy-suite/kit';
import {
  FINAL_PHASES,
  shortName,
  viewDeployment,
  type DeploymentView,
  type TrackedDeployment,
} from './deployment-view';
import { describeService, type ServiceRef } from './ecs-reads';
import type { Journal } from './journal';
import type { Ports } from './ports';

/** Pause between polls while nothing is wrong: the job ends within this of the outcome. */
export const POLL_INTERVAL_MS = 3_000;

export type FollowResult =
  | { kind: 'settled'; view: Exclude<DeploymentView, { phase: 'in-progress' | 'rolling-back' }> }
  | { kind: 'deadline'; error: DeadlineExceeded; during: 'deployment' | 'rollback' };

/**
 * Service events printed once each, from the moment the run started watching: events from before
 * are history, not news.
 */
export class ServiceEvents {
  private readonly stream = new EventStream<ServiceEvent>(
    (event) => event.id ?? `${event.createdAt?.getTime() ?? 0}:${event.message ?? ''}`,
    (event) => event.createdAt?.getTime() ?? 0,
  );
  private readonly baseline: number;

  constructor(
    private readonly ports: Ports,
    private readonly journal: Journal,
    before: Service,
  ) {
    this.stream.add(oldestFirst(before));
    this.baseline = this.stream.history().length;
  }

  print(service: Service): void {
    for (const event of this.stream.add(oldestFirst(service))) {
      const message = event.message ?? '';
      this.ports.log.info(`  event: ${message}`);
      this.journal.event(message);
    }
  }

  /** The newest events this run saw (older ones when it saw none). */
  last(count: number): string[] {
    const all = this.stream.history();
    const fresh = all.length > this.baseline ? all.slice(this.baseline) : all;
    return fresh.slice(-count).map((event) => event.message ?? '');
  }
}

/** ECS lists events newest first; events of the same instant then come out in the order they happened. */
function oldestFirst(service: Service): ServiceEvent[] {
  return [...(service.events ?? [])].reverse();
}

const UNSUPPORTED = new Set([
  'AccessDeniedException',
  'UnknownOperationException',
  'UnsupportedFeatureException',
  'InvalidAction',
]);

/**
 * Polls until the deployment reaches a final phase. A circuit breaker rollback gets a fresh
 * deadline of its own once it starts. Throttling backs off (in waitFor); the deadline is
 * returned, not thrown, so the caller can explain and roll back.
 */
export async function followDeployment(
  ports: Ports,
  ref: ServiceRef,
  tracked: TrackedDeployment,
  events: ServiceEvents,
  timeoutMs: number,
): Promise<FollowResult> {
  let useServiceDeployments = tracked.serviceDeploymentArn !== undefined;
  let lastStatus = '';
  const check = async (): Promise<DeploymentView> => {
    const service = await describeService(ports, ref);
    events.print(service);
    let sd: ServiceDeployment | undefined;
    if (useServiceDeployments && tracked.serviceDeploymentArn !== undefined) {
      try {
        const answer = await ports.ecs.send(
          new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [tracked.serviceDeploymentArn] }),
        );
        sd = answer.serviceDeployments?.[0];
      } catch (err) {
        if (isThrottling(err) || !UNSUPPORTED.has((err as Error).name)) throw err;
        useServiceDeployments = false;
        ports.log.warning(
          `DescribeServiceDeployments is not available (${(err as Error).name}); following the deployments list`,
        );
      }
    }
    const view = viewDeployment(tracked, service, sd);
    const line = `${view.phase}: ${view.status}`;
    if (line !== lastStatus) {
      lastStatus = line;
      ports.log.info(`deployment ${tracked.id}: ${line}`);
    }
    return view;
  };
  const wait = (what: string, until: (view: DeploymentView) => boolean) =>
    waitFor<DeploymentView>({
      what,
      timeoutMs,
      intervalMs: POLL_INTERVAL_MS,
      clock: ports.clock,
      ...(ports.random !== undefined && { random: ports.random }),
      check: async () => {
        const view = await check();
        return until(view) ? { done: true, value: view } : { done: false, status: view.status };
      },
      evidence: () => events.last(5),
    });
  let during: 'deployment' | 'rollback' = 'deployment';
  try {
    let view = await wait(`deployment ${tracked.id} to complete`, (v) => v.phase !== 'in-progress');
    if (view.phase === 'rolling-back') {
      during = 'rollback';
      ports.log.info(`ECS is rolling back to ${shortName(view.rollbackTaskDefinition)}: ${view.reason}`);
      const why = view.reason;
      view = await wait(`ECS to roll back deployment ${tracked.id}`, (v) => FINAL_PHASES.includes(v.phase));
      // Once rolled back, the failed deployment may leave the list, and its reason with it.
      if (view.phase === 'rolled-back') view = { ...view, reason: why };
    }
    if (view.phase === 'in-progress' || view.phase === 'rolling-back')
      throw new Error(`unexpected phase ${view.phase}`);
    return { kind: 'settled', view };
  } catch (err) {
    if (err instanceof DeadlineExceeded) return { kind: 'deadline', error: err, during };
    throw err;
  }
}
