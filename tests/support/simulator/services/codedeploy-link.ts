import type { Clock } from '../clock';
import type { TaskFailure } from './ecs-scenarios';

type Json = Record<string, unknown>;

/** What CodeDeploy reads of an ECS service it deploys to. */
export interface LinkedService {
  readonly arn: string;
  readonly clusterArn: string;
  readonly deploymentController: string;
  /** The task definition the service was created with: the first PRIMARY task set. */
  readonly taskDefinition: string;
  readonly desiredCount: number;
  readonly launchType: string;
  readonly loadBalancers: readonly Json[];
}

/** The two sides of a blue/green deployment: ECS holds the service, CodeDeploy its task sets. */
export interface BlueGreenLink {
  ecs?: {
    service(cluster: string, name: string): LinkedService | undefined;
    hasTaskDefinition(arn: string): boolean;
    /** A replacement task of a task set (startedBy its id) that stopped at `at`. */
    stoppedTask(
      cluster: string,
      name: string,
      taskSet: string,
      taskDefinition: string,
      at: number,
      failure: TaskFailure,
    ): void;
  };
  codedeploy?: {
    /** The service's task sets as DescribeServices lists them; undefined when no deployment touched it. */
    taskSets(cluster: string, name: string): Json[] | undefined;
    /** Plays deployments forward to now (replacement tasks that stopped meanwhile). */
    settle(): void;
  };
}

// One link per simulator: every service instance of one simulator shares its clock.
const links = new WeakMap<Clock, BlueGreenLink>();

/** The link between the ECS and CodeDeploy instances of the simulator that owns `clock`. */
export function blueGreenLink(clock: Clock): BlueGreenLink {
  let link = links.get(clock);
  if (link === undefined) {
    link = {};
    links.set(clock, link);
  }
  return link;
}
