/**
 * What runs before the chain, as a platform team would have left it: an ECS service and a
 * Beanstalk environment on the previous release, the Beanstalk storage bucket, and a DAG bucket
 * holding one DAG that has since been retired.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SimulatorControl } from '../simulator/client';
import { REPO_ROOT } from '../stack/paths';
import {
  CLUSTER,
  CONTAINER,
  DAGS_BUCKET,
  EB_APPLICATION,
  EB_ENVIRONMENT,
  EB_STORAGE_BUCKET,
  ECS_SERVICE,
  IMAGE_BACKEND,
  PREVIOUS_RELEASE,
  REGION,
  RETIRED_DAG_KEY,
  TASK_DEFINITION_FILE,
} from './names';

export interface Scenarios {
  /** The simulator scenario the ECS service follows (tests/support/simulator/services/ecs-scenarios.ts). */
  readonly ecs: string;
  /** The scenario the Beanstalk environment follows (simulator/services/elastic-beanstalk/timing.ts). */
  readonly beanstalk: string;
}

export interface PreviousRelease {
  readonly image: string;
  readonly taskDefinitionArn: string;
  readonly versionLabel: string;
}

type Json = Record<string, unknown>;

/** The shipped task definition with `image` in the service's container, as release 0 registered it. */
function previousTaskDefinition(image: string): Json {
  const definition = JSON.parse(readFileSync(join(REPO_ROOT, TASK_DEFINITION_FILE), 'utf8')) as Json;
  const containers = (definition.containerDefinitions as Json[]).map((container) =>
    container.name !== CONTAINER
      ? container
      : {
          ...container,
          image,
          environment: (container.environment as { name: string; value: string }[]).map((variable) =>
            variable.name === 'TFJS_BACKEND' ? { ...variable, value: IMAGE_BACKEND } : variable,
          ),
        },
  );
  return { ...definition, containerDefinitions: containers };
}

export async function seedPreviousRelease(options: {
  readonly simulator: SimulatorControl;
  readonly motoUrl: string;
  readonly registryHost: string;
  readonly scenarios: Scenarios;
}): Promise<PreviousRelease> {
  const { simulator } = options;
  const image = `${options.registryHost}/sample-service:${PREVIOUS_RELEASE}`;

  await simulator.choose('ecs', ECS_SERVICE, options.scenarios.ecs);
  const seeded = (await simulator.seed('ecs', {
    cluster: CLUSTER,
    serviceName: ECS_SERVICE,
    desiredCount: 2,
    taskDefinition: previousTaskDefinition(image),
  })) as { service: { taskDefinition: string } };

  await simulator.choose('elasticbeanstalk', EB_ENVIRONMENT, options.scenarios.beanstalk);
  await simulator.seed('elasticbeanstalk', {
    ApplicationName: EB_APPLICATION,
    VersionLabel: PREVIOUS_RELEASE,
    EnvironmentName: EB_ENVIRONMENT,
    CreatedSecondsAgo: 86_400,
  });

  const s3 = new S3Client({
    endpoint: options.motoUrl,
    region: REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: EB_STORAGE_BUCKET }));
    await s3.send(new CreateBucketCommand({ Bucket: DAGS_BUCKET }));
    await s3.send(
      new PutObjectCommand({
        Bucket: DAGS_BUCKET,
        Key: RETIRED_DAG_KEY,
        Body: '"""Scored quotes with the first model; replaced by insurance_batch_scoring."""\n',
      }),
    );
  } finally {
    s3.destroy();
  }
  return { image, taskDefinitionArn: seeded.service.taskDefinition, versionLabel: PREVIOUS_RELEASE };
}
