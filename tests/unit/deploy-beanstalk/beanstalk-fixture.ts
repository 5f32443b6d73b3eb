/**
 * deploy-beanstalk against mocked Elastic Beanstalk and S3: application `insurance`, environment
 * `prod-env` running v0, a fake clock, a recording log and an in-memory GitHub.
 */
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortEnvironmentUpdateCommand,
  CreateApplicationVersionCommand,
  CreateStorageLocationCommand,
  DescribeApplicationsCommand,
  DescribeApplicationVersionsCommand,
  DescribeEnvironmentHealthCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  ElasticBeanstalkClient,
  UpdateEnvironmentCommand,
  UpdateTagsForResourceCommand,
  type EnvironmentDescription,
  type EventDescription,
  type EventSeverity,
} from '@aws-sdk/client-elastic-beanstalk';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { attachedResult, publishResult, type ActionResult } from '../../../packages/kit/src/result';
import { deploy as deployAction } from '../../../actions/deploy-beanstalk/src/deploy';
import { fakeClock, recordingGitHub, recordingLog } from '../../support/fakes';
import { mockClient } from 'aws-sdk-client-mock';
import type { Inputs } from '../../../actions/deploy-beanstalk/src/inputs';
import type { Ports } from '../../../actions/deploy-beanstalk/src/ports';

export const eb = mockClient(ElasticBeanstalkClient);
export const s3 = mockClient(S3Client);
export const T0 = new Date('2030-01-01T00:00:00Z');

export const inputs: Inputs = {
  application: 'insurance',
  environment: 'prod-env',
  versionLabel: 'v1',
  commit: undefined,
  versionDescription: undefined,
  source: { kind: 'image', image: 'repo/model:1', containerPort: 8080 },
  bucket: 'bundles',
  wait: true,
  timeoutMs: 30 * 60_000,
  healthyStates: ['Green'],
  rollbackOnFailure: true,
  // No grace by default: unit tests that follow a grace set one.
  healthGraceMs: 0,
  settings: [],
  create: { application: false, environment: undefined },
  rollbackTo: undefined,
  keepVersions: 0,
  region: 'us-east-1',
  github: { token: '', environment: 'prod-env' },
};

export function environment(overrides: Partial<EnvironmentDescription>): EnvironmentDescription {
  return {
    EnvironmentName: 'prod-env',
    Status: 'Ready',
    Health: 'Green',
    HealthStatus: 'Ok',
    VersionLabel: 'v0',
    CNAME: 'prod-env.example.com',
    ...overrides,
  };
}

export function event(seconds: number, message: string, severity: EventSeverity = 'INFO'): EventDescription {
  return { EventDate: new Date(T0.getTime() + seconds * 1000), Message: message, Severity: severity };
}

export function harness() {
  const clock = fakeClock(T0.getTime());
  const log = recordingLog();
  const github = recordingGitHub();
  const outputs: Record<string, string> = {};
  const summaries: string[] = [];
  const ports: Ports = {
    eb: new ElasticBeanstalkClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' }),
    clock,
    log,
    workDir: mkdtempSync(join(tmpdir(), 'deploy-beanstalk-unit-')),
    roots: [realpathSync(tmpdir())],
    // The environment read on every poll, as before events paced it; the event-paced reads have their own tests.
    pace: { pollMs: 15_000, stateEveryMs: 0, processPollMs: 5_000, eventPageSize: 2 },
    github,
  };
  published.set(ports, {
    setOutput: (name, value) => void (outputs[name] = value),
    writeSummary: async (markdown) => void summaries.push(markdown),
  });
  return { ports, clock, log, outputs, summaries, github };
}

const published = new WeakMap<Ports, Parameters<typeof publishResult>[2]>();

/**
 * The action's deploy, then what run() does with its result (or the result its failure carries):
 * outputs and the job summary, into the recorders harness() made for these ports.
 */
export async function deploy(inputs: Readonly<Inputs>, ports: Ports): Promise<ActionResult> {
  const publish = (result: ActionResult) => publishResult('deploy-beanstalk', result, published.get(ports));
  try {
    const result = await deployAction(inputs, ports);
    await publish(result);
    return result;
  } catch (err) {
    const result = attachedResult(err);
    if (result !== undefined) await publish(result);
    throw err;
  }
}

/** An application with v0 running, and a new version v1 that processes at once. */
export function existingApplication(): void {
  eb.on(DescribeApplicationsCommand).resolves({ Applications: [{ ApplicationName: 'insurance' }] });
  eb.on(DescribeApplicationVersionsCommand).resolves({
    ApplicationVersions: [{ VersionLabel: 'v1', Status: 'Processed', ApplicationVersionArn: 'arn:v1' }],
  });
  eb.on(DescribeApplicationVersionsCommand, { ApplicationName: 'insurance', MaxRecords: 1000 }).resolves({
    ApplicationVersions: [{ VersionLabel: 'v0', Description: 'old', DateCreated: T0 }],
  });
  eb.on(CreateStorageLocationCommand).resolves({ S3Bucket: 'eb-bucket' });
  eb.on(CreateApplicationVersionCommand).resolves({});
  eb.on(UpdateEnvironmentCommand).resolves({ DateUpdated: T0 });
  eb.on(UpdateTagsForResourceCommand).resolves({});
  eb.on(DescribeEnvironmentHealthCommand).resolves({ Causes: ['Command failed on all instances.'] });
  s3.on(PutObjectCommand).resolves({ ETag: '"x"' });
}

/** The update to v1 ends with an ERROR event and Red health; the environment is on v0 again after it. */
export function updateFailsWithAnError(): void {
  eb.on(AbortEnvironmentUpdateCommand).resolves({});
  eb.on(DescribeEnvironmentsCommand)
    .resolvesOnce({ Environments: [environment({})] })
    .resolvesOnce({ Environments: [environment({})] })
    .resolvesOnce({
      Environments: [
        environment({ Status: 'Updating', VersionLabel: 'v1', AbortableOperationInProgress: true }),
      ],
    })
    .resolvesOnce({
      Environments: [
        environment({ Status: 'Updating', VersionLabel: 'v1', AbortableOperationInProgress: true }),
      ],
    })
    .resolvesOnce({ Environments: [environment({ VersionLabel: 'v1', Health: 'Red' })] })
    .resolves({ Environments: [environment({ VersionLabel: 'v0' })] });
  eb.on(DescribeEventsCommand)
    .resolvesOnce({ Events: [event(5, 'Instance deployment failed. (i-1)', 'ERROR')] })
    .resolves({ Events: [] });
}

/** Label v1 already holds another bundle (md5 ffff…): the deploy must refuse it before any change. */
export function labelHoldsAnotherBundle(): void {
  eb.on(DescribeEnvironmentsCommand).resolves({ Environments: [environment({})] });
  eb.on(DescribeApplicationVersionsCommand, { ApplicationName: 'insurance', MaxRecords: 1000 }).resolves({
    ApplicationVersions: [{ VersionLabel: 'v1', Description: `[bundle md5 ${'f'.repeat(32)}]` }],
  });
}
