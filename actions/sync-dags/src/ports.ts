import { randomUUID } from 'node:crypto';
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import {
  allowedRoots,
  createAwsClient,
  TRANSFER_CALL_DEADLINE_MS,
  runnerLog,
  runTool,
  systemClock,
  type Env,
} from '@deploy-suite/kit';
import type { Inputs } from './inputs';
import { ownerFromEnv } from './lease';
import { loadMwaaSdk } from './mwaa-sdk';
import type { SyncPorts } from './sync';
import packageJson from '../package.json';

const ACTION = { name: 'sync-dags', version: packageJson.version };

/** MWAA updates take tens of minutes; one look every 20 s is plenty. */
const POLL_INTERVAL_MS = 20_000;

/** The lease's release after a cancel has to end well inside the kit's CANCEL_GRACE_MS (5 s). */
const RELEASE_DEADLINE_MS = 3_000;

export async function realPorts(inputs: Readonly<Inputs>, env: Env = process.env): Promise<SyncPorts> {
  return {
    // Standard, not adaptive, retries for S3: adaptive mode throttles the whole client after a few
    // SlowDown answers, which stalls every parallel upload (a 60-file sync at 20% faults took 19 s
    // instead of 3 s); S3 throttles per prefix, and standard back-off per request is enough.
    s3: createAwsClient(S3Client, {
      region: inputs.region,
      action: ACTION,
      env,
      callDeadlineMs: TRANSFER_CALL_DEADLINE_MS,
      // Single PUTs carry Content-MD5 and parts an explicit CRC32 (see uploadFileToS3), so the
      // SDK's extra default checksum on every request would only cost time.
      config: { retryMode: 'standard', requestChecksumCalculation: 'WHEN_REQUIRED' },
    }),
    // Only a run that names an environment loads the MWAA SDK (see mwaa-sdk.ts).
    mwaa:
      inputs.mwaa === undefined
        ? undefined
        : createAwsClient((await loadMwaaSdk()).MWAAClient, { region: inputs.region, action: ACTION, env }),
    clock: systemClock,
    log: runnerLog,
    runTool,
    findExecutable: (name) => findOnPath(name, env.PATH ?? ''),
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    tempDir: mkdtempSync(join(env.RUNNER_TEMP ?? tmpdir(), 'sync-dags-')),
    roots: allowedRoots(env),
    pollIntervalMs: POLL_INTERVAL_MS,
    leaseOwner: ownerFromEnv(env, randomUUID()),
    // Releasing the lease must outlive a cancel: the runner's SIGTERM follows SIGINT by 7.5 s and
    // the kit leaves CANCEL_GRACE_MS for the report, so one short attempt pair, no longer.
    releaseS3: createAwsClient(S3Client, {
      region: inputs.region,
      action: ACTION,
      env,
      callDeadlineMs: RELEASE_DEADLINE_MS,
      maxAttempts: 2,
      outlivesCancel: true,
      config: { retryMode: 'standard' },
    }),
    every: (ms, tick) => {
      const timer = setInterval(tick, ms);
      timer.unref(); // never keeps the step alive
      return () => clearInterval(timer);
    },
  };
}

export function findOnPath(name: string, path: string): string | undefined {
  for (const folder of path.split(delimiter)) {
    if (folder === '') continue;
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
