import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import { S3Client } from '@aws-sdk/client-s3';
import {
  allowedRoots,
  createAwsClient,
  TRANSFER_CALL_DEADLINE_MS,
  runnerGitHub,
  runnerLog,
  systemClock,
  type Clock,
  type GitHubPort,
  type Log,
} from '@deploy-suite/kit';
import packageJson from '../package.json';

/**
 * How often AWS is asked. Every poll reads the new events (the EB CLI reads them every 5 s); the
 * environment is read when events arrive and at least every `stateEveryMs`. A quiet 30-minute
 * deploy makes about 900 + 180 light calls, and the job ends within about 2 s of the environment settling.
 */
export interface Pace {
  pollMs: number;
  stateEveryMs: number;
  processPollMs: number;
  eventPageSize: number;
}

export const DEFAULT_PACE: Pace = Object.freeze({
  pollMs: 2_000,
  stateEveryMs: 10_000,
  processPollMs: 5_000,
  eventPageSize: 100,
});

/** Everything the deploy touches outside itself; tests pass fakes. */
export interface Ports {
  eb: ElasticBeanstalkClient;
  s3: S3Client;
  clock: Clock;
  log: Log;
  /** Where bundles are written; removed by the runner after the job. */
  workDir: string;
  /** Where links met while bundling a folder may lead: the workspace and RUNNER_TEMP. */
  roots: readonly string[];
  pace: Pace;
  /** Where GitHub deployments are recorded; tests pass a fake API. */
  github: GitHubPort;
}

const action = { name: 'deploy-beanstalk', version: packageJson.version };

export function realPorts(region: string | undefined, env: NodeJS.ProcessEnv = process.env): Ports {
  return {
    eb: createAwsClient(ElasticBeanstalkClient, { region, action, env }),
    s3: createAwsClient(S3Client, { region, action, env, callDeadlineMs: TRANSFER_CALL_DEADLINE_MS }),
    clock: systemClock,
    log: runnerLog,
    workDir: join(env.RUNNER_TEMP || tmpdir(), `deploy-beanstalk-${process.pid}`),
    roots: allowedRoots(env),
    pace: DEFAULT_PACE,
    github: runnerGitHub(env),
  };
}
