import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  createAwsClient,
  runnerGitHub,
  runnerLog,
  systemClock,
  type Clock,
  type GitHubPort,
  type Log,
} from '@deploy-suite/kit';
import packageJson from '../package.json';
import { loadLogsSdk } from './logs-sdk';

/** Everything the deploy touches outside itself; tests pass fakes. */
export interface Ports {
  sagemaker: SageMakerClient;
  /** CloudWatch Logs, for the endpoint's last log lines after a failure. */
  logs: Pick<CloudWatchLogsClient, 'send'>;
  clock: Clock;
  log: Log;
  /**
   * Pause between DescribeEndpoint calls. 2 s keeps the job's end within about 2 s of the
   * endpoint settling; DescribeEndpoint is a light read.
   */
  pollMs: number;
  /** GitHub's deployments API and the runner's GITHUB_* variables, for github-token. */
  github: GitHubPort;
}

const action = { name: 'deploy-sagemaker', version: packageJson.version };

export function realPorts(region: string | undefined, env: NodeJS.ProcessEnv = process.env): Ports {
  return {
    sagemaker: createAwsClient(SageMakerClient, { region, action, env }),
    logs: lazyLogs({ region, action, env }),
    clock: systemClock,
    log: runnerLog,
    pollMs: 2_000,
    github: runnerGitHub(env),
  };
}

/** A CloudWatch Logs client made on its first call, from the SDK loaded then (see logs-sdk.ts). */
function lazyLogs(options: Parameters<typeof createAwsClient>[1]): Pick<CloudWatchLogsClient, 'send'> {
  let client: Promise<CloudWatchLogsClient> | undefined;
  const send = async (command: Parameters<CloudWatchLogsClient['send']>[0]): Promise<unknown> => {
    client ??= loadLogsSdk().then((sdk) => createAwsClient(sdk.CloudWatchLogsClient, options));
    return (await client).send(command);
  };
  return { send } as Pick<CloudWatchLogsClient, 'send'>;
}
