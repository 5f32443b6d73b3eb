/**
 * Reads back what each step changed with clients the actions do not use: the aws CLI for ECS,
 * Elastic Beanstalk and S3, and plain HTTPS to the registry for the image. Each read gives facts
 * (for the e2e test's assertions) and lines for a person (the demo prints them).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CLUSTER,
  CONTAINER,
  DAGS_BUCKET,
  DAGS_PREFIX,
  EB_APPLICATION,
  EB_ENVIRONMENT,
  ECS_SERVICE,
  REPOSITORY,
  SAGEMAKER_ENDPOINT,
} from './names';
import { SAMPLE_RECORD } from './local-service';
import type { World } from './world';

export interface Observed<T> {
  readonly facts: T;
  readonly lines: readonly string[];
}

export interface PushedImage {
  readonly tag: string;
  readonly status: number;
  /** sha256 of the manifest bytes the registry serves for the tag. */
  readonly digest: string;
  readonly cmd: readonly string[];
  readonly env: readonly string[];
  readonly layerBytes: number;
}

export interface EcsServiceView {
  readonly taskDefinitionArn: string;
  readonly image: string;
  readonly backend: string | undefined;
  readonly runningCount: number;
  readonly desiredCount: number;
  readonly rolloutState: string | undefined;
}

export interface BeanstalkView {
  readonly versionLabel: string | undefined;
  readonly status: string | undefined;
  readonly health: string | undefined;
}

export interface SageMakerView {
  readonly status: string | undefined;
  readonly endpointConfigName: string | undefined;
  /** What InvokeEndpoint answered: the simulator names the configuration and image that served. */
  readonly invocation: Readonly<Record<string, unknown>> | undefined;
}

export interface DagObjects {
  /** Keys under the prefix, without it, sorted. */
  readonly files: readonly string[];
  /** ETag (quotes removed) by file. */
  readonly etags: Readonly<Record<string, string>>;
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const short = (digest: string): string => digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1…');

export async function readPushedImage(world: World, tag: string): Promise<Observed<PushedImage>> {
  const manifest = await world.registry.get(`/v2/${REPOSITORY}/manifests/${tag}`, { accept: MANIFEST_TYPES });
  const digest = `sha256:${createHash('sha256').update(manifest.body).digest('hex')}`;
  const parsed = JSON.parse(manifest.body.toString('utf8')) as {
    config: { digest: string };
    layers: { size: number }[];
  };
  const config = JSON.parse(
    (await world.registry.get(`/v2/${REPOSITORY}/blobs/${parsed.config.digest}`)).body.toString('utf8'),
  ) as { config?: { Cmd?: string[]; Env?: string[] } };
  const layerBytes = parsed.layers.reduce((sum, layer) => sum + layer.size, 0);
  const facts: PushedImage = {
    tag,
    status: manifest.status,
    digest,
    cmd: config.config?.Cmd ?? [],
    env: config.config?.Env ?? [],
    layerBytes,
  };
  return {
    facts,
    lines: [
      `registry GET /v2/${REPOSITORY}/manifests/${tag}: ${manifest.status}, manifest hashes to ${short(digest)}`,
      `  ${parsed.layers.length} layer(s), ${(layerBytes / 1e6).toFixed(1)} MB compressed; runs ${facts.cmd.join(' ')}`,
    ],
  };
}

interface DescribedServices {
  services: {
    taskDefinition: string;
    runningCount: number;
    desiredCount: number;
    deployments?: { status: string; rolloutState?: string }[];
  }[];
}
interface DescribedTaskDefinition {
  taskDefinition: {
    containerDefinitions: { name: string; image: string; environment?: { name: string; value: string }[] }[];
  };
}

export async function readEcsService(world: World): Promise<Observed<EcsServiceView>> {
  const described = await world.aws.json<DescribedServices>([
    'ecs',
    'describe-services',
    '--cluster',
    CLUSTER,
    '--services',
    ECS_SERVICE,
  ]);
  const service = described.services[0];
  if (service === undefined) throw new Error(`aws ecs describe-services found no service ${ECS_SERVICE}`);
  const definition = await world.aws.json<DescribedTaskDefinition>([
    'ecs',
    'describe-task-definition',
    '--task-definition',
    service.taskDefinition,
  ]);
  const container = definition.taskDefinition.containerDefinitions.find((c) => c.name === CONTAINER);
  const facts: EcsServiceView = {
    taskDefinitionArn: service.taskDefinition,
    image: container?.image ?? '',
    backend: container?.environment?.find((e) => e.name === 'TFJS_BACKEND')?.value,
    runningCount: service.runningCount,
    desiredCount: service.desiredCount,
    rolloutState: service.deployments?.find((d) => d.status === 'PRIMARY')?.rolloutState,
  };
  const revision = facts.taskDefinitionArn.split('/').pop() ?? facts.taskDefinitionArn;
  return {
    facts,
    lines: [
      `aws ecs describe-services: ${ECS_SERVICE} runs ${revision}, ${facts.runningCount}/${facts.desiredCount} tasks running, rollout ${facts.rolloutState ?? '?'}`,
      `aws ecs describe-task-definition ${revision}: image ${facts.image.replace(/@sha256:[0-9a-f]+$/, (d) => `@${short(d.slice(1))}`)}`,
    ],
  };
}

export async function readBeanstalkEnvironment(world: World): Promise<Observed<BeanstalkView>> {
  const described = await world.aws.json<{
    Environments: { VersionLabel?: string; Status?: string; Health?: string }[];
  }>([
    'elasticbeanstalk',
    'describe-environments',
    '--application-name',
    EB_APPLICATION,
    '--environment-names',
    EB_ENVIRONMENT,
  ]);
  const environment = described.Environments[0];
  const facts: BeanstalkView = {
    versionLabel: environment?.VersionLabel,
    status: environment?.Status,
    health: environment?.Health,
  };
  return {
    facts,
    lines: [
      `aws elasticbeanstalk describe-environments: ${EB_ENVIRONMENT} runs ${facts.versionLabel ?? '?'}, ${facts.status ?? '?'}, ${facts.health ?? '?'}`,
    ],
  };
}

export async function readDagObjects(world: World): Promise<Observed<DagObjects>> {
  const listed = await world.aws.json<{ Contents?: { Key: string; ETag: string }[] } | undefined>([
    's3api',
    'list-objects-v2',
    '--bucket',
    DAGS_BUCKET,
    '--prefix',
    DAGS_PREFIX,
  ]);
  const contents = listed?.Contents ?? [];
  const etags: Record<string, string> = {};
  for (const object of contents) etags[object.Key.slice(DAGS_PREFIX.length)] = object.ETag.replace(/"/g, '');
  const files = Object.keys(etags).sort();
  return {
    facts: { files, etags },
    lines: [`aws s3api list-objects-v2 s3://${DAGS_BUCKET}/${DAGS_PREFIX}: ${files.join(', ') || '(empty)'}`],
  };
}

/**
 * The endpoint as `aws sagemaker describe-endpoint` reads it, and one `aws sagemaker-runtime
 * invoke-endpoint` with the sample quote request (the CLI writes the answer's body to a file and
 * prints its metadata).
 */
export async function readSageMakerEndpoint(world: World): Promise<Observed<SageMakerView>> {
  const described = await world.aws.json<{ EndpointStatus?: string; EndpointConfigName?: string }>([
    'sagemaker',
    'describe-endpoint',
    '--endpoint-name',
    SAGEMAKER_ENDPOINT,
  ]);
  const lines = [
    `aws sagemaker describe-endpoint: ${SAGEMAKER_ENDPOINT} is ${described.EndpointStatus ?? '?'} on ${described.EndpointConfigName ?? '?'}`,
  ];
  let invocation: Record<string, unknown> | undefined;
  if (described.EndpointStatus === 'InService') {
    const dir = mkdtempSync(join(tmpdir(), 'invoke-endpoint-'));
    try {
      await world.aws.json<unknown>([
        'sagemaker-runtime',
        'invoke-endpoint',
        '--endpoint-name',
        SAGEMAKER_ENDPOINT,
        '--content-type',
        'application/json',
        '--body',
        JSON.stringify(SAMPLE_RECORD),
        join(dir, 'answer.json'),
      ]);
      invocation = JSON.parse(readFileSync(join(dir, 'answer.json'), 'utf8')) as Record<string, unknown>;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const image = typeof invocation.image === 'string' ? invocation.image : '?';
    lines.push(
      `aws sagemaker-runtime invoke-endpoint: answered by ${String(invocation.endpointConfig ?? '?')} (${image.replace(/@sha256:[0-9a-f]+$/, (d) => `@${short(d.slice(1))}`)})`,
    );
  }
  return {
    facts: {
      status: described.EndpointStatus,
      endpointConfigName: described.EndpointConfigName,
      invocation,
    },
    lines,
  };
}
