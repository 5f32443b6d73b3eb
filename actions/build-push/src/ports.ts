import { ECRClient } from '@aws-sdk/client-ecr';
import * as core from '@actions/core';
import { createAwsClient, runnerLog, runTool, systemClock } from '@deploy-suite/kit';
import { version } from '../package.json';
import type { Ports } from './build-push';
import type { PostPorts } from './post';

export const ACTION = { name: 'build-push', version } as const;

export function realPortsFor(region: string | undefined): Ports {
  return {
    ecr: createAwsClient(ECRClient, { region, action: ACTION }),
    exec: runTool,
    clock: systemClock,
    log: runnerLog,
    env: process.env,
    saveState: (name, value) => core.saveState(name, value),
  };
}

export function realPostPorts(): PostPorts {
  return { exec: runTool, log: runnerLog, getState: (name) => core.getState(name) };
}
