/**
 * EBS volumes configured at launch, under the names of the deploy action of aws-actions:
 * `service-managed-ebs-volume-name` and `service-managed-ebs-volume` (a ServiceManagedEBSVolumeConfiguration
 * as JSON) become UpdateService's `volumeConfigurations`; `run-task-managed-ebs-volume-name` and
 * `run-task-managed-ebs-volume` (a TaskManagedEBSVolumeConfiguration) RunTask's. The JSON is checked
 * against AWS's model (service-volume-model.generated.ts, run-task-model.generated.ts) and against
 * the limits the model's documentation and EC2's CreateVolume give, before any AWS call; the volume
 * name against the task definition once it is rendered.
 */
import type {
  RegisterTaskDefinitionCommandInput,
  ServiceVolumeConfiguration,
  TaskVolumeConfiguration,
} from '@aws-sdk/client-ecs';
import { clip, InputError, quoted, visible, type InputReader } from '@deploy-suite/kit';
import { ECS_NAME, ECS_NAME_RULE, tagProblems } from './ecs-limits';
import { isObject, shapeProblems, type EcsModel, type ShapeProblem } from './ecs-model';
import { parseJsonInput } from './json-input';
import { ROLE_ARN } from './render-overrides';
import { RUN_TASK_MODEL } from './run-task-model.generated';
import { SERVICE_VOLUME_MODEL } from './service-volume-model.generated';

export const VOLUME_NAME_INPUT = 'service-managed-ebs-volume-name';
export const VOLUME_INPUT = 'service-managed-ebs-volume';
export const TASK_VOLUME_NAME_INPUT = 'run-task-managed-ebs-volume-name';
export const TASK_VOLUME_INPUT = 'run-task-managed-ebs-volume';

/**
 * EBS volume types and their bounds. The types are EC2's `VolumeType` enum; ECS's
 * `ServiceManagedEBSVolumeConfiguration.volumeType` lists the same and "maps 1:1 with the VolumeType
 * parameter of the CreateVolume API", as sizeInGiB, iops and throughput map to Size, Iops and
 * Throughput. The ranges are CreateVolume's (botocore's ec2/2016-11-15 model documentation):
 * Size gp2 1–16,384, gp3 1–65,536, io1 4–16,384, io2 4–65,536, st1/sc1 125–16,384, standard
 * 1–1,024 GiB; Iops gp3 3,000–80,000, io1 100–64,000, io2 100–256,000, required for io1 and io2,
 * omitted for the others; Throughput gp3 only, 125–2,000 MiB/s.
 */
export const EBS_VOLUME_TYPES: Readonly<
  Record<string, { size: [number, number]; iops?: [number, number]; iopsRequired?: boolean }>
> = {
  gp2: { size: [1, 16_384] },
  gp3: { size: [1, 65_536], iops: [3_000, 80_000] },
  io1: { size: [4, 16_384], iops: [100, 64_000], iopsRequired: true },
  io2: { size: [4, 65_536], iops: [100, 256_000], iopsRequired: true },
  st1: { size: [125, 16_384] },
  sc1: { size: [125, 16_384] },
  standard: { size: [1, 1_024] },
};
const THROUGHPUT: [number, number] = [125, 2_000];
/** VolumeInitializationRate: 100–300 MiB/s, only for a volume made from a snapshot (CreateVolume). */
const INITIALIZATION_RATE: [number, number] = [100, 300];
/** Any size any type allows, when volumeType is left to ECS. */
const ANY_SIZE: [number, number] = [1, 65_536];
/** EC2 snapshot ids: `snap-` and 8 or 17 hex digits. */
const SNAPSHOT_ID = /^snap-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
/**
 * KmsKeyId as CreateVolume takes it: a key id (a UUID, or `mrk-` and 32 hex digits for a
 * multi-Region key), `alias/<name>`, or a key or alias ARN.
 */
const KMS_KEY =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[\w/-]{1,250}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key\/[\w-]{1,128}|alias\/[\w/-]{1,250}))$/;
/** "AmazonECSCreated and AmazonECSManaged are reserved tags that can't be used" (EBSTagSpecification.tags). */
const RESERVED_TAG_KEYS = ['AmazonECSCreated', 'AmazonECSManaged'];

/** The volume configuration to send, or undefined when neither input is given (the service's stays). */
export function readServiceVolume(read: InputReader): ServiceVolumeConfiguration | undefined {
  return readVolume(
    read,
    VOLUME_NAME_INPUT,
    VOLUME_INPUT,
    SERVICE_VOLUME_MODEL,
    'ServiceManagedEBSVolumeConfiguration',
  );
}

/** run-task's volume configuration (RunTask.volumeConfigurations), or undefined when not given. */
export function readTaskVolume(read: InputReader): TaskVolumeConfiguration | undefined {
  return readVolume(
    read,
    TASK_VOLUME_NAME_INPUT,
    TASK_VOLUME_INPUT,
    RUN_TASK_MODEL,
    'TaskManagedEBSVolumeConfiguration',
  );
}

function readVolume(
  read: InputReader,
  nameInput: string,
  volumeInput: string,
  model: EcsModel,
  shape: string,
): { name: string; managedEBSVolume: never } | undefined {
  const name = read.optional(nameInput);
  const json = read.optional(volumeInput);
  if (name === undefined && json === undefined) return undefined;
  if (name === undefined) {
    throw new InputError(
      nameInput,
      `is required with ${volumeInput}: the name of the task definition's volume that is configuredAtLaunch`,
    );
  }
  if (json === undefined) {
    throw new InputError(
      volumeInput,
      `is required with ${nameInput}: the volume's configuration as JSON ({"roleArn": "arn:aws:iam::…:role/…", "sizeInGiB": 30})`,
    );
  }
  if (!ECS_NAME.test(name)) throw new InputError(nameInput, `must be ${ECS_NAME_RULE}; got ${quoted(name)}`);
  const parsed = parseJsonInput(volumeInput, json);
  const problems = shapeProblems(model, shape, parsed);
  if (problems.length === 0 && isObject(parsed)) problems.push(...ebsVolumeProblems(parsed));
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).map((p) => visible(clip(`${p.path}: ${p.why}`, 200)));
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
    throw new InputError(volumeInput, `is not a volume configuration ECS takes: ${shown.join('; ')}${more}`);
  }
  // Checked against the model's shape above; the SDK's own types say the same members.
  return { name, managedEBSVolume: parsed as never };
}

/**
 * The rules of ServiceManagedEBSVolumeConfiguration and TaskManagedEBSVolumeConfiguration (the same
 * members, and terminationPolicy) the model states in words, not in its shapes.
 */
export function ebsVolumeProblems(volume: Record<string, unknown>): ShapeProblem[] {
  const out: ShapeProblem[] = [];
  const problem = (path: string, why: string): void => void out.push({ path, why });
  const num = (key: string): number | undefined =>
    typeof volume[key] === 'number' ? volume[key] : undefined;
  const str = (key: string): string | undefined =>
    typeof volume[key] === 'string' ? volume[key] : undefined;
  const type = str('volumeType');
  // Own keys only: a volumeType of 'constructor' or '__proto__' is no type EBS knows.
  const rules =
    type !== undefined && Object.hasOwn(EBS_VOLUME_TYPES, type) ? EBS_VOLUME_TYPES[type] : undefined;
  if (type !== undefined && rules === undefined) {
    problem('volumeType', `'${type}' is not one of ${Object.keys(EBS_VOLUME_TYPES).join(', ')}`);
  }
  const roleArn = str('roleArn');
  if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) {
    problem('roleArn', `must be an IAM role ARN (arn:aws:iam::<account>:role/<name>); got '${roleArn}'`);
  }
  const size = num('sizeInGiB');
  const snapshot = str('snapshotId');
  // "You must specify either a volume size or a snapshot ID" (sizeInGiB).
  if (size === undefined && snapshot === undefined) problem('sizeInGiB', 'or snapshotId is required');
  const sizes = rules?.size ?? ANY_SIZE;
  if (size !== undefined) outside('sizeInGiB', size, sizes, `GiB${type ? ` for ${type}` : ''}`, problem);
  if (snapshot !== undefined && !SNAPSHOT_ID.test(snapshot)) {
    problem('snapshotId', `must be an EBS snapshot id (snap-0123456789abcdef0); got '${snapshot}'`);
  }
  const rate = num('volumeInitializationRate');
  if (rate !== undefined && snapshot === undefined) {
    problem('volumeInitializationRate', 'needs snapshotId: it is the rate a snapshot is read at');
  }
  if (rate !== undefined) outside('volumeInitializationRate', rate, INITIALIZATION_RATE, 'MiB/s', problem);
  const iops = num('iops');
  if (rules?.iopsRequired && iops === undefined) problem('iops', `is required for ${type}`);
  if (iops !== undefined && rules !== undefined) {
    if (rules.iops === undefined) problem('iops', `is not supported for ${type} (gp3, io1 and io2 take it)`);
    else outside('iops', iops, rules.iops, `IOPS for ${type}`, problem);
  }
  const throughput = num('throughput');
  // "This parameter is only supported for the gp3 volume type" (throughput); ECS's default type is not documented, so it is not assumed.
  if (throughput !== undefined && type !== 'gp3') {
    problem(
      'throughput',
      `is only supported for volumeType gp3${type ? `, not ${type}` : ' (give volumeType)'}`,
    );
  } else if (throughput !== undefined) outside('throughput', throughput, THROUGHPUT, 'MiB/s', problem);
  const kms = str('kmsKeyId');
  if (kms !== undefined && !KMS_KEY.test(kms)) {
    problem('kmsKeyId', `must be a KMS key id, alias/<name>, or a key or alias ARN; got '${kms}'`);
  }
  if (kms !== undefined && volume.encrypted === false) {
    problem('kmsKeyId', 'needs encrypted: a key encrypts the volume');
  }
  const specs = Array.isArray(volume.tagSpecifications) ? volume.tagSpecifications : [];
  specs.forEach((spec: unknown, i) => {
    const tags = isObject(spec) ? spec.tags : undefined;
    if (tags === undefined) return;
    for (const p of tagProblems(tags))
      out.push({ ...p, path: `tagSpecifications[${i}].tags${p.path.replace(/^\(top level\)/, '')}` });
    if (!Array.isArray(tags)) return;
    tags.forEach((tag: unknown, j) => {
      const key = isObject(tag) ? tag.key : undefined;
      if (typeof key === 'string' && RESERVED_TAG_KEYS.includes(key)) {
        problem(`tagSpecifications[${i}].tags[${j}].key`, `'${key}' is reserved by ECS`);
      }
    });
  });
  return out;
}

function outside(
  path: string,
  value: number,
  [min, max]: [number, number],
  unit: string,
  problem: (path: string, why: string) => void,
): void {
  if (value < min || value > max) {
    problem(
      path,
      `must be ${min.toLocaleString('en-US')}–${max.toLocaleString('en-US')} ${unit}; got ${value}`,
    );
  }
}

/**
 * Why the task definition cannot take the volume configuration, or undefined when it can: it must
 * hold a volume of that name with `configuredAtLaunch: true` ("The name of the volume must match
 * the name from the task definition": UpdateService.volumeConfigurations; Volume.configuredAtLaunch).
 */
export function volumeMismatch(
  taskDefinition: Pick<RegisterTaskDefinitionCommandInput, 'volumes'>,
  name: string,
): string | undefined {
  const volumes = taskDefinition.volumes ?? [];
  const atLaunch = volumes.filter((v) => v.configuredAtLaunch === true).map((v) => v.name ?? '');
  if (atLaunch.includes(name)) return undefined;
  const same = volumes.find((v) => v.name === name);
  if (same !== undefined) {
    return `names volume '${name}', which the task definition does not mark configuredAtLaunch: true`;
  }
  return `names volume '${name}', not in the task definition${
    atLaunch.length > 0
      ? `; its volume configured at launch is '${atLaunch.join("', '")}'`
      : ' (it needs a volume of that name with configuredAtLaunch: true)'
  }`;
}
