/**
 * The EBS volumes configured at launch (run-task's too, below) under the names of aws-actions/amazon-ecs-deploy-task-definition's
 * action.yml (`service-managed-ebs-volume-name`, `service-managed-ebs-volume`): checked against the
 * ServiceManagedEBSVolumeConfiguration shape of the ECS API model (botocore, generated into
 * service-volume-model.generated.ts), the rules its documentation states in words, and EC2
 * CreateVolume's ranges (which sizeInGiB, iops and throughput map to 1:1); then planned into
 * UpdateService's volumeConfigurations.
 */
import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Deployment,
  type Service,
} from '@aws-sdk/client-ecs';
import { deployToEcs } from '../../../actions/deploy-ecs/src/deploy';
import { planServiceDeployment } from '../../../actions/deploy-ecs/src/plan';
import {
  readServiceVolume,
  readTaskVolume,
  volumeMismatch,
} from '../../../actions/deploy-ecs/src/ebs-volumes';
import { readRunTaskOptions } from '../../../actions/deploy-ecs/src/run-task-options';
import { runTaskRequest } from '../../../actions/deploy-ecs/src/run-task';
import { readInputs } from '../../../actions/deploy-ecs/src/inputs';
import { errorOf, inputsOf } from '../../support/inputs';
import {
  ecsMock,
  failureOf,
  inputs as fixtureInputs,
  mine,
  setUp,
  snapshot,
  TD,
  v1Again,
} from './ecs-fixture';

const ROLE = 'arn:aws:iam::123456789012:role/ecsInfrastructureRole';
const read = (volume: object | string, name = 'data') =>
  readServiceVolume(
    inputsOf({
      'service-managed-ebs-volume-name': name,
      'service-managed-ebs-volume': typeof volume === 'string' ? volume : JSON.stringify(volume),
    }),
  );
const refusal = (volume: object | string, name?: string) => errorOf(() => read(volume, name));

describe('service-managed-ebs-volume', () => {
  test.each([
    // The anchor's README example.
    [{ sizeInGiB: 30, volumeType: 'gp3', encrypted: true, roleArn: ROLE }],
    [{ roleArn: ROLE, snapshotId: 'snap-0123456789abcdef0', filesystemType: 'ext4' }],
    [{ roleArn: ROLE, snapshotId: 'snap-01234567', volumeInitializationRate: 200, sizeInGiB: 100 }],
    [{ roleArn: ROLE, sizeInGiB: 200, volumeType: 'io2', iops: 10_000 }],
    [{ roleArn: ROLE, sizeInGiB: 200, volumeType: 'gp3', iops: 6_000, throughput: 500 }],
    [{ roleArn: ROLE, sizeInGiB: 500, volumeType: 'st1' }],
    [{ roleArn: ROLE, sizeInGiB: 30, kmsKeyId: 'alias/ebs-ml', encrypted: true }],
    [
      {
        roleArn: ROLE,
        sizeInGiB: 30,
        kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
    ],
    [
      {
        roleArn: ROLE,
        sizeInGiB: 30,
        tagSpecifications: [
          { resourceType: 'volume', tags: [{ key: 'team', value: 'ml' }], propagateTags: 'SERVICE' },
        ],
      },
    ],
  ])('takes %j', (volume) => {
    expect(read(volume)).toEqual({ name: 'data', managedEBSVolume: volume });
  });

  test.each([
    ['not JSON', '{sizeInGiB: 30}', 'is not valid JSON'],
    ['a list', '[]', '(top level): expected an object (got a list)'],
    // The model: roleArn is required; unknown members are named with the one meant.
    ['no role', { sizeInGiB: 30 }, 'roleArn: is required'],
    [
      'a misspelt member',
      { roleArn: ROLE, sizeInGib: 30 },
      'sizeInGib: unknown field (did you mean sizeInGiB?)',
    ],
    [
      'a quoted size',
      { roleArn: ROLE, sizeInGiB: '30' },
      'sizeInGiB: expected a whole number (got the string "30"); write 30 without quotes',
    ],
    [
      'a filesystem ECS lacks',
      { roleArn: ROLE, sizeInGiB: 30, filesystemType: 'btrfs' },
      "filesystemType: 'btrfs' is not one of ext3, ext4, xfs, ntfs",
    ],
    [
      'a tag resource type',
      { roleArn: ROLE, sizeInGiB: 30, tagSpecifications: [{ resourceType: 'snapshot' }] },
      "tagSpecifications[0].resourceType: 'snapshot' is not one of volume",
    ],
    // Rules the documentation states in words.
    ['neither size nor snapshot', { roleArn: ROLE }, 'sizeInGiB: or snapshotId is required'],
    [
      'a role that is no role ARN',
      { roleArn: 'ecsInfrastructureRole', sizeInGiB: 30 },
      'roleArn: must be an IAM role ARN',
    ],
    [
      'an unknown volume type',
      { roleArn: ROLE, sizeInGiB: 30, volumeType: 'gp4' },
      "volumeType: 'gp4' is not one of gp2, gp3, io1, io2, st1, sc1, standard",
    ],
    [
      'gp3 too large',
      { roleArn: ROLE, sizeInGiB: 70_000, volumeType: 'gp3' },
      'sizeInGiB: must be 1–65,536 GiB for gp3; got 70000',
    ],
    [
      'io1 too small',
      { roleArn: ROLE, sizeInGiB: 2, volumeType: 'io1', iops: 100 },
      'sizeInGiB: must be 4–16,384 GiB for io1; got 2',
    ],
    [
      'st1 too small',
      { roleArn: ROLE, sizeInGiB: 100, volumeType: 'st1' },
      'sizeInGiB: must be 125–16,384 GiB for st1; got 100',
    ],
    [
      'magnetic too large',
      { roleArn: ROLE, sizeInGiB: 2_000, volumeType: 'standard' },
      'must be 1–1,024 GiB for standard',
    ],
    ['io2 without iops', { roleArn: ROLE, sizeInGiB: 100, volumeType: 'io2' }, 'iops: is required for io2'],
    [
      'iops on sc1',
      { roleArn: ROLE, sizeInGiB: 500, volumeType: 'sc1', iops: 500 },
      'iops: is not supported for sc1',
    ],
    [
      'gp3 iops below the floor',
      { roleArn: ROLE, sizeInGiB: 30, volumeType: 'gp3', iops: 1_000 },
      'iops: must be 3,000–80,000 IOPS for gp3; got 1000',
    ],
    [
      'throughput on gp2',
      { roleArn: ROLE, sizeInGiB: 30, volumeType: 'gp2', throughput: 250 },
      'throughput: is only supported for volumeType gp3, not gp2',
    ],
    [
      'throughput without a type',
      { roleArn: ROLE, sizeInGiB: 30, throughput: 250 },
      'throughput: is only supported for volumeType gp3 (give volumeType)',
    ],
    [
      'gp3 throughput too high',
      { roleArn: ROLE, sizeInGiB: 30, volumeType: 'gp3', throughput: 4_000 },
      'throughput: must be 125–2,000 MiB/s',
    ],
    [
      'a rate without a snapshot',
      { roleArn: ROLE, sizeInGiB: 30, volumeInitializationRate: 200 },
      'volumeInitializationRate: needs snapshotId',
    ],
    [
      'a bad snapshot id',
      { roleArn: ROLE, snapshotId: 'snapshot-1' },
      'snapshotId: must be an EBS snapshot id',
    ],
    [
      'a key for an unencrypted volume',
      { roleArn: ROLE, sizeInGiB: 30, kmsKeyId: 'alias/ebs', encrypted: false },
      'kmsKeyId: needs encrypted',
    ],
    [
      'a key that is none',
      { roleArn: ROLE, sizeInGiB: 30, kmsKeyId: 'my key' },
      'kmsKeyId: must be a KMS key id',
    ],
    [
      'a tag ECS reserves',
      {
        roleArn: ROLE,
        sizeInGiB: 30,
        tagSpecifications: [{ resourceType: 'volume', tags: [{ key: 'AmazonECSManaged', value: 'x' }] }],
      },
      "tagSpecifications[0].tags[0].key: 'AmazonECSManaged' is reserved by ECS",
    ],
    [
      'an aws: tag',
      {
        roleArn: ROLE,
        sizeInGiB: 30,
        tagSpecifications: [{ resourceType: 'volume', tags: [{ key: 'aws:x', value: 'x' }] }],
      },
      'tagSpecifications[0].tags',
    ],
  ])('refuses %s in one line naming the input', (_, volume, why) => {
    const error = refusal(volume);
    expect(error).toContain("Input 'service-managed-ebs-volume' ");
    expect(error).toContain(why);
    expect(error).not.toContain('\n');
  });

  test('the name follows the volume name rule and the two inputs go together', () => {
    expect(refusal({ roleArn: ROLE, sizeInGiB: 1 }, 'my volume')).toContain(
      "Input 'service-managed-ebs-volume-name' must be up to 255 letters",
    );
    expect(
      errorOf(() => readServiceVolume(inputsOf({ 'service-managed-ebs-volume-name': 'data' }))),
    ).toContain("Input 'service-managed-ebs-volume' is required with service-managed-ebs-volume-name");
    expect(
      errorOf(() => readServiceVolume(inputsOf({ 'service-managed-ebs-volume': `{"roleArn":"${ROLE}"}` }))),
    ).toContain("Input 'service-managed-ebs-volume-name' is required with service-managed-ebs-volume");
    expect(readServiceVolume(inputsOf({}))).toBeUndefined();
  });

  test('needs a service, and is no part of a rollback', () => {
    const volume = {
      'service-managed-ebs-volume-name': 'data',
      'service-managed-ebs-volume': `{"roleArn":"${ROLE}","sizeInGiB":1}`,
    };
    expect(errorOf(() => readInputs(inputsOf({ 'task-definition': 'x.json', ...volume })))).toContain(
      "Input 'service-managed-ebs-volume-name' needs service",
    );
    expect(
      errorOf(() => readInputs(inputsOf({ service: 'web', 'rollback-to': 'previous', ...volume }))),
    ).toContain("Input 'rollback-to' cannot be combined with service-managed-ebs-volume-name");
  });
});

describe('volumeMismatch: the task definition must configure that volume at launch', () => {
  test.each([
    [[{ name: 'data', configuredAtLaunch: true }], 'data', undefined],
    [[{ name: 'scratch' }, { name: 'data', configuredAtLaunch: true }], 'data', undefined],
    [
      [{ name: 'data' }],
      'data',
      "names volume 'data', which the task definition does not mark configuredAtLaunch: true",
    ],
    [
      [{ name: 'model', configuredAtLaunch: true }],
      'data',
      "names volume 'data', not in the task definition; its volume configured at launch is 'model'",
    ],
    [
      undefined,
      'data',
      "names volume 'data', not in the task definition (it needs a volume of that name with configuredAtLaunch: true)",
    ],
  ])('volumes %j, name %s', (volumes, name, why) => {
    expect(volumeMismatch(volumes === undefined ? {} : { volumes }, name)).toBe(why);
  });
});

describe('planServiceDeployment with a volume', () => {
  const volume = { name: 'data', managedEBSVolume: { roleArn: ROLE, sizeInGiB: 30 } };
  const base = {
    forceNewDeployment: false,
    desiredCount: undefined,
    propagateTags: undefined,
    enableEcsManagedTags: undefined,
    wait: true,
    rollbackOnFailure: true,
  };
  const service = (primary: Partial<Deployment>): Service => ({
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
    taskDefinition: 'web:1',
    desiredCount: 2,
    deployments: [
      { id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: 'web:1', rolloutState: 'COMPLETED', ...primary },
    ],
  });

  test('a new volume configuration starts a deployment, and its rollback restores the old one', () => {
    const before = [{ name: 'data', managedEBSVolume: { roleArn: ROLE, sizeInGiB: 10 } }];
    const plan = planServiceDeployment(
      { ...base, serviceVolume: volume },
      service({ volumeConfigurations: before }),
      false,
    );
    expect(plan.update).toMatchObject({ volumeConfigurations: [volume] });
    expect(plan.rollBackTo).toBe('web:1');
    expect(plan.rollBackVolumes).toEqual(before);
  });

  test('the configuration the deployment has already (members in another order) changes nothing', () => {
    const same = [{ managedEBSVolume: { sizeInGiB: 30, roleArn: ROLE }, name: 'data' }];
    const plan = planServiceDeployment(
      { ...base, serviceVolume: volume },
      service({ volumeConfigurations: same }),
      false,
    );
    expect(plan.update).toBeUndefined();
    expect(plan.rollBackTo).toBeUndefined();
  });

  test('without the inputs nothing is sent: ECS keeps the service’s configuration', () => {
    const plan = planServiceDeployment(base, service({ volumeConfigurations: [volume] }), true);
    expect(plan.update).not.toHaveProperty('volumeConfigurations');
    expect(plan).not.toHaveProperty('rollBackVolumes');
  });

  test('a first volume configuration is rolled back to none', () => {
    const plan = planServiceDeployment({ ...base, serviceVolume: volume }, service({}), true);
    expect(plan.rollBackVolumes).toEqual([]);
  });
});

// RunTask.volumeConfigurations: TaskVolumeConfiguration, whose TaskManagedEBSVolumeConfiguration has
// the service's members and a terminationPolicy (the model, in run-task-model.generated.ts).
describe('run-task-managed-ebs-volume', () => {
  const task = (volume: object) =>
    readTaskVolume(
      inputsOf({
        'run-task-managed-ebs-volume-name': 'scratch',
        'run-task-managed-ebs-volume': JSON.stringify(volume),
      }),
    );

  test('the anchor README example, with a termination policy, goes to RunTask as volumeConfigurations', () => {
    const volume = {
      filesystemType: 'xfs',
      roleArn: ROLE,
      encrypted: false,
      sizeInGiB: 30,
      terminationPolicy: { deleteOnTermination: false },
    };
    const options = readRunTaskOptions(
      inputsOf({
        'run-task-launch-type': 'EC2',
        'run-task-managed-ebs-volume-name': 'scratch',
        'run-task-managed-ebs-volume': JSON.stringify(volume),
      }),
    );
    expect(runTaskRequest('default', 'arn:td', options, undefined, 'token').volumeConfigurations).toEqual([
      { name: 'scratch', managedEBSVolume: volume },
    ]);
  });

  test.each([
    [
      { roleArn: ROLE, sizeInGiB: 30, terminationPolicy: {} },
      'terminationPolicy.deleteOnTermination: is required',
    ],
    [{ roleArn: ROLE, sizeInGiB: 500, volumeType: 'sc1', iops: 500 }, 'iops: is not supported for sc1'],
    [{ roleArn: ROLE }, 'sizeInGiB: or snapshotId is required'],
  ])('refuses %j', (volume, why) => {
    const error = errorOf(() => task(volume));
    expect(error).toContain("Input 'run-task-managed-ebs-volume' is not a volume configuration ECS takes: ");
    expect(error).toContain(why);
  });

  test('without the inputs RunTask gets no volumeConfigurations', () => {
    const options = readRunTaskOptions(inputsOf({ 'run-task-launch-type': 'EC2' }));
    expect(runTaskRequest('default', 'arn:td', options, undefined, 'token')).not.toHaveProperty(
      'volumeConfigurations',
    );
  });
});

// A rollback returns the service to the previous revision and to the volume configuration its
// deployment ran with (here none: UpdateService gets an empty list, which "differs from the existing
// one" and so replaces it: UpdateService.volumeConfigurations).
describe('a failed deployment with a new volume configuration', () => {
  test('is rolled back to the previous revision and the previous volume configuration', async () => {
    const { ports, journal } = setUp([
      snapshot(TD(2), [mine({ rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' })]),
      snapshot(TD(1), [v1Again]),
    ]);
    ecsMock.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => {
      const rev = Number(input.taskDefinition.split(':').pop());
      return {
        taskDefinition: {
          taskDefinitionArn: TD(rev),
          family: 'web',
          revision: rev,
          volumes: [{ name: 'data', configuredAtLaunch: true }],
          containerDefinitions: [{ name: 'model', image: `repo/model:${rev}`, essential: true }],
        },
        tags: [],
      };
    });
    const volume = { name: 'data', managedEBSVolume: { roleArn: ROLE, sizeInGiB: 30 } };
    const failure = await failureOf(deployToEcs(fixtureInputs({ serviceVolume: volume }), ports, journal));
    expect(failure.status).toBe('rolled-back');
    expect(
      ecsMock
        .commandCalls(UpdateServiceCommand)
        .map((c) => [c.args[0].input.taskDefinition, c.args[0].input.volumeConfigurations]),
    ).toEqual([
      [TD(2), [volume]],
      [TD(1), []],
    ]);
  });

  test('a volume the rendered task definition lacks is refused before anything is registered', async () => {
    const { ports, journal } = setUp([snapshot(TD(2), [mine()])]);
    const volume = { name: 'data', managedEBSVolume: { roleArn: ROLE, sizeInGiB: 30 } };
    await expect(deployToEcs(fixtureInputs({ serviceVolume: volume }), ports, journal)).rejects.toThrow(
      "Input 'service-managed-ebs-volume-name' names volume 'data', not in the task definition (it needs a volume of that name with configuredAtLaunch: true)",
    );
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toEqual([]);
  });
});
