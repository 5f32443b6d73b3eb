import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
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
  /** Blue/green deployments of CODE_DEPLOY services. */
  codedeploy: Pick<CodeDeployClient, 'send'>;
  clock: Clock;
  log: Log;
  /** Where GitHub deployments are recorded; tests pass a fake API. */
  github: GitHubPort;
  /** Jitter source for polling; Math.random when absent. */
  random?: () => number;
}

/**
 * `maxAttempts` comes from max-retries (the deploy action of aws-actions passes it to the SDK as
 * maxAttempts); without it the kit reads aws-max-attempts.
 */
export function realPorts(region: string | undefined, maxAttempts?: number): Ports {
  const options = {
    region,
    action: { name: 'deploy-ecs', version },
    ...(maxAttempts !== undefined && { maxAttempts }),
  };
  return {
    ecs: createAwsClient(ECSClient, options),
    codedeploy: createAwsClient(CodeDeployClient, options),
    clock: systemClock,
    log: runnerLog,
    github: runnerGitHub(),
  };
}
