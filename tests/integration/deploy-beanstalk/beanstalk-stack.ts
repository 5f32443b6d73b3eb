import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { runAction, type RunActionOptions, type RunActionResult } from '../../support/harness';
import type { Call } from '../../support/simulator';
import { startStack, type Stack } from '../../support/stack';

/** Virtual seconds per real second, for the simulator and the action alike: a 30-minute deadline lasts 6 s. */
export const SPEED = 300;
export const APP = 'insurance';
export const ENV = 'insurance-prod';
export const SHA = 'c0ffee1234567890c0ffee1234567890c0ffee12';
/** The bucket CreateStorageLocation names for moto's account; created in moto as the real call would. */
export const STORAGE_BUCKET = 'elasticbeanstalk-us-east-1-123456789012';

export interface SimEnvironment {
  EnvironmentName: string;
  VersionLabel?: string;
  Status: string;
  Health: string;
  Updates: Array<{ target: string; scenario: string; requested: boolean; outcome: string }>;
}

export interface SimVersion {
  VersionLabel: string;
  Description?: string;
  Status: string;
  SourceBundle?: { S3Bucket: string; S3Key: string };
  Tags: Record<string, string>;
}

export interface SimState {
  applications: Array<{ name: string; versions: SimVersion[] }>;
  environments: SimEnvironment[];
  deletedVersions: Array<{ application: string; label: string }>;
  events: Array<{ at: string; severity: string; message: string; environment?: string }>;
}

export class BeanstalkStack {
  private constructor(
    readonly stack: Stack,
    readonly s3: S3Client,
  ) {}

  /** `faultsInFront`: the fault proxy sits before the simulator, so Elastic Beanstalk calls can be faulted. */
  static async start(faultsInFront = false): Promise<BeanstalkStack> {
    const stack = await startStack({ simulatorSpeed: SPEED, faultsInFront });
    const s3 = new S3Client({
      endpoint: stack.endpoints.moto,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: STORAGE_BUCKET }));
    return new BeanstalkStack(stack, s3);
  }

  async stop(): Promise<void> {
    this.s3.destroy();
    await this.stack.stop();
  }

  /** A fresh simulator: the application with version v0, and the environment Ready and Green on it. */
  async fresh(scenario = 'healthy'): Promise<void> {
    await this.stack.simulator.reset();
    await this.stack.simulator.choose('elasticbeanstalk', ENV, scenario);
    await this.seed({
      ApplicationName: APP,
      VersionLabel: 'v0',
      EnvironmentName: ENV,
      CreatedSecondsAgo: 3600,
    });
  }

  seed(input: Record<string, unknown>): Promise<unknown> {
    return this.stack.simulator.seed('elasticbeanstalk', input);
  }

  async state(): Promise<SimState> {
    return (await this.stack.simulator.state('elasticbeanstalk')) as SimState;
  }

  async environment(name = ENV): Promise<SimEnvironment> {
    const found = (await this.state()).environments.find((e) => e.EnvironmentName === name);
    if (!found) throw new Error(`no environment ${name} in the simulator`);
    return found;
  }

  async versions(): Promise<SimVersion[]> {
    return (await this.state()).applications.find((a) => a.name === APP)?.versions ?? [];
  }

  calls(operation?: string): Promise<Call[]> {
    return this.stack.simulator.calls({ service: 'elasticbeanstalk', ...(operation && { operation }) });
  }

  async s3Writes(): Promise<Call[]> {
    return (await this.stack.simulator.calls({ service: 's3' })).filter((c) =>
      /^(PUT|POST) /.test(c.operation),
    );
  }

  deploy(
    inputs: Record<string, string>,
    env: Record<string, string> = {},
    workspace?: string,
    options: Pick<RunActionOptions, 'cancel' | 'clockSpeed'> = {},
  ): Promise<RunActionResult> {
    return runAction({
      action: 'deploy-beanstalk',
      inputs: { 'application-name': APP, 'environment-name': ENV, ...inputs },
      env: { ...this.stack.env, GITHUB_SHA: SHA, ...env },
      // A cancelled run keeps real time: the preload would shrink the kit's 5 s grace for the
      // report to milliseconds, while the harness's SIGINT-to-SIGTERM gap stays 7.5 s.
      ...(options.cancel === undefined && { clockSpeed: options.clockSpeed ?? SPEED }),
      ...(workspace !== undefined && { workspace }),
      ...options,
      timeoutMs: 60_000,
    });
  }
}

/** A workspace holding an application folder, with the files given. */
export function appFolder(files: Record<string, string | Buffer>): string {
  const workspace = mkdtempSync(join(tmpdir(), 'deploy-beanstalk-ws-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(workspace, 'app', path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
  return workspace;
}

/** The error line the action printed (`::error::` becomes an annotation). */
export function errorOf(result: RunActionResult): string {
  return result.annotations
    .filter((a) => a.level === 'error')
    .map((a) => a.message)
    .join('\n');
}
