import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../errors';
import type { ServiceContext } from '../../service';
import { SEEDED_OPTIONS, type OptionSetting } from './options';
import { invalid, text, type Input } from './query-params';
import { PROCESSING_SECONDS, type BeanstalkScenario, type Colour, type HealthStatus } from './timing';

/**
 * What the simulated Elastic Beanstalk holds: applications and their versions, environments with
 * what they run and the update in progress, and the event log. Source bundles stay in S3 (moto);
 * a version only records where its bundle is.
 */

export type Severity = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';
export const SEVERITIES: readonly Severity[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

export interface VersionRecord {
  readonly application: string;
  readonly label: string;
  readonly description: string | undefined;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  readonly created: number;
  readonly processed: boolean;
  readonly arn: string;
  readonly tags: Map<string, string>;
}

export interface ApplicationRecord {
  readonly created: number;
  readonly versions: Map<string, VersionRecord>;
}

/** What an environment runs: its version, health and configuration. */
export interface Running {
  readonly versionLabel: string | undefined;
  readonly health: Colour;
  readonly healthStatus: HealthStatus;
  readonly causes: readonly string[];
  /** When a passing Red turns Green (the `recovers` scenario). */
  readonly recoversAt?: number;
  readonly options: readonly OptionSetting[];
}

export interface UpdateRecord {
  readonly id: string;
  readonly startedAt: number;
  readonly target: string | undefined;
  readonly before: Running;
  readonly after: Running;
  /** Undefined: never settles unless aborted. */
  readonly settleSeconds: number | undefined;
  readonly scenario: string;
  readonly requested: boolean;
  readonly succeeds: boolean;
  /** The environment's first deployment (CreateEnvironment): Launching, not Updating. */
  readonly launch: boolean;
  abortedAt?: number;
  outcome: 'in-progress' | 'succeeded' | 'failed' | 'aborted';
}

export interface Tier {
  readonly Name: string;
  readonly Type: string;
  readonly Version: string;
}

export interface EnvironmentRecord {
  readonly name: string;
  readonly id: string;
  readonly application: string;
  readonly arn: string;
  readonly created: number;
  running: Running;
  updatedAt: number;
  update?: UpdateRecord;
  readonly history: UpdateRecord[];
  /** Versions this environment ran healthily; deploying them again always succeeds. */
  readonly good: Set<string>;
  readonly tags: Map<string, string>;
  describeCalls: number;
  /** `busy`: another update starts when a client first looks at the environment, however long it took to start. */
  busyPending: boolean;
  readonly platform: { SolutionStackName: string } | { PlatformArn: string };
  readonly tier: Tier;
  /** The CNAME's first label; undefined for a worker environment, which has none. */
  readonly cnamePrefix: string | undefined;
}

export type EnvironmentShape = Pick<EnvironmentRecord, 'platform' | 'tier' | 'cnamePrefix'>;

export interface EventRecord {
  readonly at: number;
  readonly severity: Severity;
  readonly message: string;
  readonly application: string;
  readonly environment?: string;
  readonly versionLabel?: string;
  readonly requestId?: string;
  readonly updateId?: string;
}

export interface DeletedVersion {
  readonly application: string;
  readonly label: string;
  readonly deleteSourceBundle: boolean;
}

/** The two tiers CreateEnvironment documents (EnvironmentTier: Name WebServer/Worker, Type Standard/SQS/HTTP). */
export const TIERS: Readonly<Record<string, Tier>> = {
  WebServer: { Name: 'WebServer', Type: 'Standard', Version: '1.0' },
  Worker: { Name: 'Worker', Type: 'SQS/HTTP', Version: '1.0' },
};
export const DEFAULT_STACK = '64bit Amazon Linux 2023 v4.3.0 running Docker';

/** One service instance's records; made afresh on every simulator reset. */
export class BeanstalkStore {
  readonly applications = new Map<string, ApplicationRecord>();
  readonly environments = new Map<string, EnvironmentRecord>();
  readonly events: EventRecord[] = [];
  readonly deleted: DeletedVersion[] = [];
  /** The region of the latest request; ARNs, CNAMEs and endpoints name it. */
  region = 'us-east-1';

  constructor(readonly context: ServiceContext<BeanstalkScenario>) {}

  now(): number {
    return this.context.clock.now();
  }

  application(name: string): ApplicationRecord {
    const app = this.applications.get(name);
    if (!app) throw invalid(`No Application named '${name}' found.`);
    return app;
  }

  addApplication(name: string): void {
    if (!this.applications.has(name))
      this.applications.set(name, { created: this.now(), versions: new Map() });
  }

  /** Records a version (its bundle stays in S3) and logs `createApplicationVersion completed successfully.` */
  addVersion(
    app: string,
    label: string,
    input: Input,
    processed: boolean,
    created = this.now(),
  ): VersionRecord {
    const versions = this.application(app).versions;
    if (versions.has(label)) throw invalid(`Application Version ${label} already exists.`);
    const description = text(input, 'Description');
    if (description !== undefined && description.length > 200) {
      throw new ServiceError(
        'ValidationError',
        'Value at description failed to satisfy constraint: length at most 200.',
      );
    }
    const version: VersionRecord = {
      application: app,
      label,
      description,
      bucket: text(input, 'SourceBundle.S3Bucket') ?? text(input, 'S3Bucket'),
      key: text(input, 'SourceBundle.S3Key') ?? text(input, 'S3Key'),
      created,
      processed,
      arn: `arn:aws:elasticbeanstalk:${this.region}:${this.context.accountId}:applicationversion/${app}/${label}`,
      tags: new Map(),
    };
    versions.set(label, version);
    this.events.push({
      at: created,
      severity: 'INFO',
      message: 'createApplicationVersion completed successfully.',
      application: app,
      versionLabel: label,
    });
    return version;
  }

  versionStatus(version: VersionRecord): string {
    if (!version.processed) return 'Unprocessed';
    return this.now() < version.created + PROCESSING_SECONDS * 1000 ? 'Processing' : 'Processed';
  }

  /**
   * An environment Ready and Green on `versionLabel`, or Grey and Pending without one (its first
   * deployment is started by the caller).
   */
  createEnvironment(
    app: string,
    name: string,
    versionLabel: string | undefined,
    shape: EnvironmentShape = {
      platform: { SolutionStackName: DEFAULT_STACK },
      tier: TIERS.WebServer ?? { Name: 'WebServer', Type: 'Standard', Version: '1.0' },
      cnamePrefix: name,
    },
    options: readonly OptionSetting[] = SEEDED_OPTIONS,
  ): EnvironmentRecord {
    if (this.environments.has(name)) throw invalid(`Environment ${name} already exists.`);
    const id = `e-${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const env: EnvironmentRecord = {
      name,
      id,
      application: app,
      arn: `arn:aws:elasticbeanstalk:${this.region}:${this.context.accountId}:environment/${app}/${name}`,
      created: this.now(),
      running: versionLabel
        ? { versionLabel, health: 'Green', healthStatus: 'Ok', causes: [], options }
        : { versionLabel, health: 'Grey', healthStatus: 'Pending', causes: [], options },
      updatedAt: this.now(),
      history: [],
      good: new Set(versionLabel ? [versionLabel] : []),
      tags: new Map(),
      describeCalls: 0,
      busyPending: this.context.scenarioFor(name).definition.busySeconds > 0 && versionLabel !== undefined,
      ...shape,
    };
    this.environments.set(name, env);
    return env;
  }

  cnameTaken(prefix: string): boolean {
    return [...this.environments.values()].some((e) => e.cnamePrefix?.toLowerCase() === prefix.toLowerCase());
  }

  /** The tags of the version or environment with this ARN. */
  taggable(arn: string): Map<string, string> {
    for (const app of this.applications.values()) {
      for (const version of app.versions.values()) if (version.arn === arn) return version.tags;
    }
    for (const env of this.environments.values()) if (env.arn === arn) return env.tags;
    throw new ServiceError('ResourceNotFoundException', `Resource ${arn} not found.`, 404);
  }
}
