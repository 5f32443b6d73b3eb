import { ServiceError } from '../../errors';

type Json = Record<string, unknown>;

/** What RegisterTaskDefinition answers with but does not take: sending one is a client error. */
export const READ_ONLY_TASK_DEFINITION_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;

export interface StoredTaskDefinition {
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
  /** As DescribeTaskDefinition answers: the request with ECS's defaults and the read-only fields. */
  readonly taskDefinition: Json;
  readonly tags: readonly Json[];
  /** The request exactly as received, for assertions. */
  readonly request: Json;
}

function withContainerDefaults(container: Json): Json {
  // ECS fills these in, so a definition read back differs from the file it was registered from.
  return {
    cpu: 0,
    portMappings: [],
    essential: true,
    environment: [],
    mountPoints: [],
    volumesFrom: [],
    ...container,
  };
}

/** Task definitions by family and revision, as RegisterTaskDefinition and DescribeTaskDefinition see them. */
export class TaskDefinitionStore {
  private readonly families = new Map<string, StoredTaskDefinition[]>();

  constructor(private readonly accountId: string) {}

  register(input: Json, region: string, now: number): StoredTaskDefinition {
    const sent = READ_ONLY_TASK_DEFINITION_FIELDS.filter((field) => field in input);
    if (sent.length > 0) {
      throw new ServiceError(
        'ClientException',
        `Unexpected read-only field(s) in the request: ${sent.join(', ')}`,
      );
    }
    const { tags, ...definition } = input;
    const family = definition.family;
    if (typeof family !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
      throw new ServiceError(
        'ClientException',
        'Family must be 1-255 letters, numbers, hyphens and underscores.',
      );
    }
    const containers = definition.containerDefinitions;
    if (!Array.isArray(containers) || containers.length === 0) {
      throw new ServiceError('ClientException', 'Container definitions must not be empty.');
    }
    for (const container of containers as Json[]) {
      if (typeof container.name !== 'string' || typeof container.image !== 'string') {
        throw new ServiceError('ClientException', 'Every container definition needs a name and an image.');
      }
    }
    const revisions = this.families.get(family) ?? [];
    const revision = revisions.length + 1;
    const arn = `arn:aws:ecs:${region}:${this.accountId}:task-definition/${family}:${revision}`;
    const stored: StoredTaskDefinition = {
      arn,
      family,
      revision,
      request: input,
      tags: Array.isArray(tags) ? (tags as Json[]) : [],
      taskDefinition: {
        taskDefinitionArn: arn,
        ...definition,
        containerDefinitions: (containers as Json[]).map(withContainerDefaults),
        family,
        revision,
        volumes: definition.volumes ?? [],
        status: 'ACTIVE',
        requiresAttributes: [],
        placementConstraints: definition.placementConstraints ?? [],
        compatibilities: ['EC2', 'FARGATE'],
        registeredAt: new Date(now),
        registeredBy: `arn:aws:iam::${this.accountId}:root`,
      },
    };
    this.families.set(family, [...revisions, stored]);
    return stored;
  }

  /** By family (latest revision), family:revision or ARN; ClientException when there is none. */
  find(reference: unknown): StoredTaskDefinition {
    const text = typeof reference === 'string' ? reference : '';
    const name = text.includes('task-definition/') ? text.slice(text.indexOf('task-definition/') + 16) : text;
    const [family = '', revision] = name.split(':');
    const revisions = this.families.get(family) ?? [];
    const found = revision === undefined ? revisions.at(-1) : revisions[Number(revision) - 1];
    if (!found) throw new ServiceError('ClientException', `Unable to describe task definition ${text}.`);
    return found;
  }

  all(): StoredTaskDefinition[] {
    return [...this.families.values()].flat();
  }
}
