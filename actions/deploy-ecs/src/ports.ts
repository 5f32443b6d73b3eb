import { ECSClient } from '@aws-sdk/client-ecs';
import {
  createAwsClient,
  runnerGitHub,
  runnerLog,
  systemClock,
  type Clock,
  type GitHubPort,
  type Log,
} from '@deploy-suite/kit';
import { version } from '../package.json';

/** Everything the deployment touches outside itself; tests pass a mocked client, a fake clock and a recording log. */
export interface Ports {
  ecs: Pick<ECSClient, 'send'>;
  clock: Clock;
  log: Log;
  /** Where GitHub deployments are recorded; tests pass a fake API. */
  github: GitHubPort;
  /** Jitter source for polling; Math.random when absent. */
  random?: () => number;
}

export function realPorts(region: string | undefined): Ports {
  return {
    ecs: createAwsClient(ECSClient, { region, action: { name: 'deploy-ecs', version } }),
    clock: systemClock,
    log: runnerLog,
    github: runnerGitHub(),
  };
}
