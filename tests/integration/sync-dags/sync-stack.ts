import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { runAction, type RunActionOptions, type RunActionResult } from '../../support/harness';
import { startStack, type Stack, type StackOptions } from '../../support/stack';
import { generateDagTree } from './dag-tree';

/** One local stack, a client reading moto directly (past the fault proxy), and the bundled action. */
export class SyncStack {
  private buckets = 0;

  private constructor(
    readonly stack: Stack,
    readonly s3: S3Client,
    private readonly speed: number | undefined,
  ) {}

  static async start(options: StackOptions = {}): Promise<SyncStack> {
    const stack = await startStack(options);
    const s3 = new S3Client({
      endpoint: stack.env.STACK_MOTO_URL ?? '',
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    return new SyncStack(stack, s3, options.simulatorSpeed);
  }

  async stop(): Promise<void> {
    this.s3.destroy();
    await this.stack.stop();
  }

  async newBucket(options: { versioned?: boolean } = {}): Promise<string> {
    const bucket = `dags-${process.pid}-${++this.buckets}`;
    await this.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    if (options.versioned) {
      await this.s3.send(
        new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
      );
    }
    return bucket;
  }

  /** An MWAA environment reading this bucket, following `scenario` in the simulator. */
  async environment(name: string, bucket: string, scenario: string): Promise<void> {
    await this.stack.simulator.seed('mwaa', {
      Name: name,
      SourceBucketArn: `arn:aws:s3:::${bucket}`,
      DagS3Path: 'dags',
    });
    await this.stack.simulator.choose('mwaa', name, scenario);
  }

  async mwaaState(
    name: string,
  ): Promise<Record<string, unknown> & { Updates: { requested: Record<string, unknown> }[] }> {
    const state = (await this.stack.simulator.state('mwaa')) as {
      environments: (Record<string, unknown> & {
        Name: string;
        Updates: { requested: Record<string, unknown> }[];
      })[];
    };
    const environment = state.environments.find((e) => e.Name === name);
    if (environment === undefined) throw new Error(`no MWAA environment ${name} in the simulator`);
    return environment;
  }

  async latestVersion(bucket: string, key: string): Promise<string | undefined> {
    const versions = await this.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
    return versions.Versions?.find((v) => v.Key === key && v.IsLatest)?.VersionId;
  }

  /** Runs the bundled sync-dags, its clock as fast as the simulator's. */
  sync(
    workspace: string,
    inputs: Record<string, string>,
    extra: Partial<RunActionOptions> = {},
  ): Promise<RunActionResult> {
    return runAction({
      action: 'sync-dags',
      workspace,
      inputs,
      env: { ...this.stack.env, ...extra.env },
      // A cancelled run keeps real time: the preload would shrink the kit's 5 s grace for the
      // report to milliseconds, while the harness's SIGINT-to-SIGTERM gap stays 7.5 s.
      ...(this.speed !== undefined && extra.cancel === undefined && { clockSpeed: this.speed }),
      timeoutMs: 90_000,
      ...(extra.cancel !== undefined && { cancel: extra.cancel }),
    });
  }
}

/** A workspace with a DAGs folder and a requirements.txt. */
export function workspaceWithRequirements(requirements: string, files = 3): string {
  const workspace = mkdtempSync(join(tmpdir(), 'sync-dags-ws-'));
  generateDagTree(join(workspace, 'dags'), { files });
  writeFileSync(join(workspace, 'requirements.txt'), requirements);
  return workspace;
}
