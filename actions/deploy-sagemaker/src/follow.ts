import { DeployFailed, waitFor, type Timeline } from '@deploy-suite/kit';
import type { Ports } from './ports';
import { describeEndpoint } from './sagemaker';
import { progressLine, settled, type EndpointView } from './verdict';

/**
 * Follows an endpoint with DescribeEndpoint every pollMs until a creation or update settles (or,
 * with no target, until nothing runs), printing each change of status or stage once, within the
 * run's deadline. One follower per run, so a line already printed is not printed again.
 */
export class EndpointFollower {
  private lastProgress: string | undefined;

  constructor(
    private readonly ports: Ports,
    private readonly timeline: Timeline,
    private readonly timeoutMs: number,
    /** Follow SageMaker's rollback of a failed update until the previous configuration serves. */
    private readonly followRollback: boolean,
  ) {}

  follow(name: string, target: string | undefined): Promise<EndpointView> {
    const { ports } = this;
    return waitFor({
      what: target ? `${name} to serve ${target}` : `${name}'s change in progress to end`,
      timeoutMs: this.timeoutMs,
      intervalMs: ports.pollMs,
      clock: ports.clock,
      check: async () => {
        const endpoint = await describeEndpoint(ports.sagemaker, name);
        if (!endpoint) throw new DeployFailed(`${name} was deleted while it was being followed`);
        this.showProgress(endpoint);
        const done = settled(endpoint, target === undefined || this.followRollback);
        return done ? { done: true, value: endpoint } : { done: false, status: progressLine(endpoint) };
      },
    });
  }

  private showProgress(endpoint: EndpointView): void {
    const line = progressLine(endpoint);
    if (line === this.lastProgress) return;
    this.lastProgress = line;
    this.ports.log.info(line);
    this.timeline.note(line);
  }
}
