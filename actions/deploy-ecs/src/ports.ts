import { ECSClient } from '@aws-sdk/client-ecs';
import { createAwsClient, runnerLog, systemClock, type Clock, type Log } from '@deploy-suite/kit';
import { version } from '../package.json';

/** Everything the deployment touches outside itself; tests pass a mocked client, a fake clock and a recording log. */
export interface Ports {
  ecs: Pick<ECSClient, 'send'>;
  clock: Clock;
  log: Log;
  /** Jitter source for polling; Math.random when absent. */
  random?: () => number;
}

export function realPorts(region: string | undefined): Ports {
  return {
    ecs: createAwsClient(ECSClient, { region, action: { name: 'deploy-ecs', version } }),
    clock: systemClock,
    log: runnerLog,
  };
}
