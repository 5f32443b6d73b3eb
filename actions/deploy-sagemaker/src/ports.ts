import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createAwsClient, runnerLog, systemClock, type Clock, type Log } from '@deploy-suite/kit';
import packageJson from '../package.json';

/** Everything the deploy touches outside itself; tests pass fakes. */
export interface Ports {
  sagemaker: SageMakerClient;
  /** CloudWatch Logs, for the endpoint's last log lines after a failure. */
  logs: CloudWatchLogsClient;
  clock: Clock;
  log: Log;
  /**
   * Pause between DescribeEndpoint calls. 2 s keeps the job's end within about 2 s of the
   * endpoint settling; DescribeEndpoint is a light read.
   */
  pollMs: number;
}

const action = { name: 'deploy-sagemaker', version: packageJson.version };

export function realPorts(region: string | undefined, env: NodeJS.ProcessEnv = process.env): Ports {
  return {
    sagemaker: createAwsClient(SageMakerClient, { region, action, env }),
    logs: createAwsClient(CloudWatchLogsClient, { region, action, env }),
    clock: systemClock,
    log: runnerLog,
    pollMs: 2_000,
  };
}
