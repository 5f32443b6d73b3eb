import { ECRClient } from '@aws-sdk/client-ecr';
import * as core from '@actions/core';
import { createAwsClient, runnerLog, runSignal, runToolInGroup, systemClock } from '@deploy-suite/kit';
import { version } from '../package.json';
import type { Ports } from './build-push';
import type { Ecr } from './ecr';
import type { PostPorts } from './post';

export const ACTION = { name: 'build-push', version } as const;

export function realPortsFor(region: string | undefined): Ports {
  // Made on first use: a build that does not push may run with no region and no credentials.
  let client: ECRClient | undefined;
  const ecrClient = () => (client ??= createAwsClient(ECRClient, { region, action: ACTION }));
  const ecr: Ecr = { send: ((command: never) => ecrClient().send(command)) as ECRClient['send'] };
  return {
    ecr,
    awsAvailable: async () => {
      try {
        await ecrClient().config.credentials();
        return true;
      } catch {
        return false;
      }
    },
    // The runner signals only this process on a cancel: the builder's group is stopped with it.
    exec: (tool, args, run) => runToolInGroup(tool, args, { ...run, signal: runSignal }),
    clock: systemClock,
    log: runnerLog,
    env: process.env,
    saveState: (name, value) => core.saveState(name, value),
  };
}

/** A logout that hangs (a stuck daemon) must not hold the job: the post step gives it this long. */
const LOGOUT_DEADLINE_MS = 30_000;

export function realPostPorts(): PostPorts {
  return {
    exec: (tool, args, run) => runToolInGroup(tool, args, { ...run, timeoutMs: LOGOUT_DEADLINE_MS }),
    log: runnerLog,
    env: process.env,
    getState: (name) => core.getState(name),
  };
}
