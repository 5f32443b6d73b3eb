import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
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
import { loadRuntimeSdk } from './runtime-sdk';

/** Everything the deploy touches outside itself; tests pass fakes. */
export interface Ports {
  sagemaker: SageMakerClient;
  /** CloudWatch Logs, for the endpoint's last log lines after a failure. */
  logs: Pick<CloudWatchLogsClient, 'send'>;
  /** SageMaker Runtime, for the smoke test's InvokeEndpoint. */
  runtime: Pick<SageMakerRuntimeClient, 'send'>;
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
    logs: lazyClient(async () => (await loadLogsSdk()).CloudWatchLogsClient, { region, action, env }),
    runtime: lazyClient(async () => (await loadRuntimeSdk()).SageMakerRuntimeClient, {
      region,
      action,
      env,
      // The InvokeEndpoint reference: a container has 60 s to answer, and the SDK's socket timeout
      // should then be 70 s (not the 10 s of control calls); the call, retries included, ends at 75 s.
      callDeadlineMs: 75_000,
      config: { requestHandler: { connectionTimeout: 10_000, socketTimeout: 70_000 } },
    }),
    clock: systemClock,
    log: runnerLog,
    pollMs: 2_000,
    github: runnerGitHub(env),
  };
}

/** A client made on its first call, from an SDK loaded then (see logs-sdk.ts and runtime-sdk.ts). */
function lazyClient<C extends object, T extends { send(command: never): Promise<unknown> }>(
  load: () => Promise<new (config: C) => T>,
  options: Parameters<typeof createAwsClient<C, T>>[1],
): Pick<T, 'send'> {
  let client: Promise<T> | undefined;
  const send = async (command: never): Promise<unknown> => {
    client ??= load().then((Client) => createAwsClient(Client, options));
    return (await client).send(command);
  };
  return { send } as Pick<T, 'send'>;
}
