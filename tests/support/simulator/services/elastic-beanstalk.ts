import { randomUUID } from 'node:crypto';
import { ServiceError } from '../errors';
import { defineService, type Operation, type ServiceContext, type ServiceInstance } from '../service';
import {
  ABORT_SECONDS,
  BEANSTALK_SCENARIOS,
  COLOUR_OF_STATUS,
  FAILURE_SHOWN_BEFORE_END_SECONDS,
  PROCESSING_SECONDS,
  statusOf,
  updateEvents,
  type BeanstalkScenario,
  type Colour,
  type HealthStatus,
} from './elastic-beanstalk-lifecycle';

/**
 * Elastic Beanstalk over the Query protocol, for what moto lacks: application versions, environment
 * updates that take time and fail in the scenario's way, their events and health. Source bundles
 * stay in S3 (moto); this service only records where they are.
 */

/**
 * DescribeEvents answers at most this many events per page (MaxRecords: 1 to 1,000 in the API model;
 * "returns the most recent 1,000 events from the specified NextToken"), then a NextToken.
 */
export const EVENTS_PAGE_CAP = 1000;
/** The attributes DescribeEnvironmentHealth can be asked for (EnvironmentHealthAttribute in the API model). */
const HEALTH_ATTRIBUTES = [
  'Status',
  'Color',
  'Causes',
  'ApplicationMetrics',
  'InstancesHealth',
  'HealthStatus',
  'RefreshedAt',
];
/** What a seeded environment's configuration holds before any update (a subset of what AWS reports). */
const SEEDED_OPTIONS: readonly OptionSetting[] = [
  { Namespace: 'aws:autoscaling:launchconfiguration', OptionName: 'InstanceType', Value: 't3.micro' },
  { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'LoadBalanced' },
  { Namespace: 'aws:elasticbeanstalk:command', OptionName: 'DeploymentPolicy', Value: 'AllAtOnce' },
];

interface OptionSetting {
  readonly Namespace: string;
  readonly OptionName: string;
  readonly Value: string;
  readonly ResourceName?: string;
}

type Input = Readonly<Record<string, unknown>>;
type Severity = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';
const SEVERITIES: readonly Severity[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

interface VersionRecord {
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

interface Running {
  readonly versionLabel: string | undefined;
  readonly health: Colour;
  readonly healthStatus: HealthStatus;
  readonly causes: readonly string[];
  /** When a passing Red turns Green (the `recovers` scenario). */
  readonly recoversAt?: number;
  readonly options: readonly OptionSetting[];
}

interface UpdateRecord {
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

interface EnvironmentRecord {
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
  readonly tier: { Name: string; Type: string; Version: string };
  /** The CNAME's first label; undefined for a worker environment, which has none. */
  readonly cnamePrefix: string | undefined;
}

/** The two tiers CreateEnvironment documents (EnvironmentTier: Name WebServer/Worker, Type Standard/SQS/HTTP). */
const TIERS: Readonly<Record<string, { Name: string; Type: string; Version: string }>> = {
  WebServer: { Name: 'WebServer', Type: 'Standard', Version: '1.0' },
  Worker: { Name: 'Worker', Type: 'SQS/HTTP', Version: '1.0' },
};
const DEFAULT_STACK = '64bit Amazon Linux 2023 v4.3.0 running Docker';

interface EventRecord {
  readonly at: number;
  readonly severity: Severity;
  readonly message: string;
  readonly application: string;
  readonly environment?: string;
  readonly versionLabel?: string;
  readonly requestId?: string;
  readonly updateId?: string;
}

/** Query lists arrive flat: `Name.member.1`, `Name.member.2`, ... */
function members(input: Input, name: string): string[] {
  return Object.entries(input)
    .map(([key, value]) => ({ match: new RegExp(`^${name}\\.member\\.(\\d+)$`).exec(key), value }))
    .filter((m) => m.match !== null)
    .sort((a, b) => Number(a.match?.[1]) - Number(b.match?.[1]))
    .map((m) => String(m.value));
}

function tagMembers(input: Input, name: string): Array<{ Key: string; Value: string }> {
  const tags: Array<{ Key: string; Value: string }> = [];
  for (let i = 1; input[`${name}.member.${i}.Key`] !== undefined; i++) {
    tags.push({
      Key: String(input[`${name}.member.${i}.Key`]),
      Value: String(input[`${name}.member.${i}.Value`] ?? ''),
    });
  }
  return tags;
}

function text(input: Input, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function required(input: Input, name: string): string {
  const value = text(input, name);
  if (value === undefined)
    throw new ServiceError('MissingParameter', `The request must contain the parameter ${name}.`);
  return value;
}

function invalid(message: string): ServiceError {
  return new ServiceError('InvalidParameterValue', message);
}

function page<T>(items: readonly T[], input: Input, cap: number): { items: T[]; NextToken?: string } {
  const asked = Number(text(input, 'MaxRecords') ?? cap);
  if (!Number.isInteger(asked) || asked < 1 || asked > 1000) {
    throw new ServiceError(
      'ValidationError',
      `1 validation error detected: Value '${String(input.MaxRecords)}' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  }
  const size = Math.min(asked, cap);
  const start = Number(text(input, 'NextToken') ?? '0');
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? String(start + size) : undefined;
  return { items: slice, ...(next !== undefined && { NextToken: next }) };
}

/** `OptionSettings.member.N.Namespace` / `.OptionName` / `.Value` / `.ResourceName`, in order. */
function optionMembers(input: Input, name: string): OptionSetting[] {
  const settings: OptionSetting[] = [];
  for (let i = 1; input[`${name}.member.${i}.Namespace`] !== undefined; i++) {
    const at = (field: string): string | undefined => text(input, `${name}.member.${i}.${field}`);
    const resource = at('ResourceName');
    settings.push({
      Namespace: String(input[`${name}.member.${i}.Namespace`]),
      OptionName: at('OptionName') ?? '',
      Value: at('Value') ?? '',
      ...(resource !== undefined && { ResourceName: resource }),
    });
  }
  return settings;
}

function optionKey(setting: Pick<OptionSetting, 'Namespace' | 'OptionName' | 'ResourceName'>): string {
  return `${setting.ResourceName ?? ''}|${setting.Namespace}|${setting.OptionName}`;
}

/**
 * The configuration after an update: each given setting replaces the one with the same namespace
 * and name; OptionsToRemove drops settings (back to their defaults, which this model does not hold).
 */
function mergeOptions(
  current: readonly OptionSetting[],
  given: readonly OptionSetting[],
  removed: readonly Omit<OptionSetting, 'Value'>[],
): OptionSetting[] {
  const merged = new Map(current.map((o) => [optionKey(o), o]));
  for (const setting of removed) merged.delete(optionKey(setting));
  for (const setting of given) merged.set(optionKey(setting), setting);
  return [...merged.values()];
}

/**
 * Option names of two namespaces from "General options for all environments" (command-options-general
 * in the developer guide): a misspelt name there is refused. Other `aws:` namespaces take any name,
 * environment properties included.
 */
const KNOWN_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  'aws:autoscaling:launchconfiguration': [
    'DisableIMDSv1',
    'EC2KeyName',
    'IamInstanceProfile',
    'ImageId',
    'InstanceType',
    'MonitoringInterval',
    'SecurityGroups',
    'SSHSourceRestriction',
    'BlockDeviceMappings',
    'RootVolumeType',
    'RootVolumeSize',
    'RootVolumeIOPS',
    'RootVolumeThroughput',
  ],
  'aws:elasticbeanstalk:command': [
    'DeploymentPolicy',
    'Timeout',
    'BatchSizeType',
    'BatchSize',
    'IgnoreHealthCheck',
  ],
};

/**
 * Every namespace Elastic Beanstalk accepts through the API starts with `aws:` (the general options
 * and the platform-specific ones); anything else, or an unknown name in a namespace listed above,
 * is refused the way the service words it.
 */
function optionProblem(setting: OptionSetting): string | undefined {
  const known = KNOWN_OPTIONS[setting.Namespace];
  const nameKnown = known === undefined || known.includes(setting.OptionName);
  if (/^aws:[a-z0-9:-]+$/i.test(setting.Namespace) && setting.OptionName !== '' && nameKnown)
    return undefined;
  return `Invalid option specification (Namespace: '${setting.Namespace}', OptionName: '${setting.OptionName}'): Unknown configuration setting.`;
}

/** AWS appends a short random part to a generated CNAME prefix. */
function cnameSuffix(): string {
  return randomUUID().slice(0, 8);
}

function createBeanstalk(context: ServiceContext<BeanstalkScenario>): ServiceInstance {
  const applications = new Map<string, { created: number; versions: Map<string, VersionRecord> }>();
  const environments = new Map<string, EnvironmentRecord>();
  const events: EventRecord[] = [];
  const deleted: Array<{ application: string; label: string; deleteSourceBundle: boolean }> = [];
  const now = (): number => context.clock.now();
  const region = { value: 'us-east-1' };

  function application(name: string): { created: number; versions: Map<string, VersionRecord> } {
    const app = applications.get(name);
    if (!app) throw invalid(`No Application named '${name}' found.`);
    return app;
  }

  function environment(name: string | undefined): EnvironmentRecord {
    const env = name === undefined ? undefined : environments.get(name);
    if (!env) throw invalid(`No Environment found for EnvironmentName = '${name ?? ''}'.`);
    startBusy(env);
    settle(env);
    return env;
  }

  function throttle(env: EnvironmentRecord): void {
    const every = context.scenarioFor(env.name).definition.throttleEvery;
    env.describeCalls += 1;
    if (every > 0 && env.describeCalls % every === 0)
      throw new ServiceError('Throttling', 'Rate exceeded', 400);
  }

  function addApplication(name: string): void {
    if (!applications.has(name)) applications.set(name, { created: now(), versions: new Map() });
  }

  function addVersion(
    app: string,
    label: string,
    input: Input,
    processed: boolean,
    created = now(),
  ): VersionRecord {
    const versions = application(app).versions;
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
      arn: `arn:aws:elasticbeanstalk:${region.value}:${context.accountId}:applicationversion/${app}/${label}`,
      tags: new Map(),
    };
    versions.set(label, version);
    events.push({
      at: created,
      severity: 'INFO',
      message: 'createApplicationVersion completed successfully.',
      application: app,
      versionLabel: label,
    });
    return version;
  }

  function versionStatus(version: VersionRecord): string {
    if (!version.processed) return 'Unprocessed';
    return now() < version.created + PROCESSING_SECONDS * 1000 ? 'Processing' : 'Processed';
  }

  function plan(
    env: EnvironmentRecord,
    updateId: string,
    startedAt: number,
    scenario: BeanstalkScenario,
    label: string,
    requestId: string,
  ): void {
    for (const planned of updateEvents(scenario, label)) {
      events.push({
        at: startedAt + planned.atSeconds * 1000,
        severity: planned.severity,
        message: planned.message,
        application: env.application,
        environment: env.name,
        versionLabel: label,
        requestId,
        updateId,
      });
    }
  }

  function startUpdate(
    env: EnvironmentRecord,
    target: string,
    requested: boolean,
    forced?: BeanstalkScenario,
    options: readonly OptionSetting[] = [],
    removed: readonly Omit<OptionSetting, 'Value'>[] = [],
  ): UpdateRecord {
    const chosen = context.scenarioFor(env.name);
    const known = env.good.has(target);
    const scenario: BeanstalkScenario = forced ?? (known ? BEANSTALK_SCENARIOS.healthy : chosen.definition);
    const startedAt = now();
    const fails = scenario.outcome === 'deploy-fails';
    const health: Colour = fails ? 'Red' : scenario.health;
    const recoversAt =
      scenario.recoverSeconds === undefined || scenario.deploySeconds === undefined
        ? undefined
        : startedAt + (scenario.deploySeconds + scenario.recoverSeconds) * 1000;
    const update: UpdateRecord = {
      id: randomUUID(),
      startedAt,
      target,
      before: env.running,
      after:
        fails && scenario.failureKeepsOld
          ? env.running
          : {
              versionLabel: target,
              health,
              healthStatus: statusOf(health, recoversAt !== undefined),
              causes: scenario.causes,
              ...(recoversAt !== undefined && { recoversAt }),
              options: mergeOptions(env.running.options, options, removed),
            },
      settleSeconds: scenario.deploySeconds,
      scenario: forced ? 'busy' : known ? 'healthy (a version this environment ran before)' : chosen.name,
      requested,
      succeeds: !fails && (health !== 'Red' || recoversAt !== undefined),
      launch: env.history.length === 0 && env.running.versionLabel === undefined,
      outcome: 'in-progress',
    };
    env.update = update;
    env.updatedAt = startedAt;
    env.history.push(update);
    plan(env, update.id, startedAt, scenario, target, randomUUID());
    if (update.launch) nameLaunchEvents(env, update.id);
    return update;
  }

  /** A launch speaks of creating the environment where an update speaks of updating it. */
  function nameLaunchEvents(env: EnvironmentRecord, updateId: string): void {
    const launchWords: Readonly<Record<string, string>> = {
      'Environment update is starting.': 'createEnvironment is starting.',
      'Environment update completed successfully.': `Successfully launched environment: ${env.name}`,
    };
    events.forEach((event, index) => {
      const renamed = event.updateId === updateId ? launchWords[event.message] : undefined;
      if (renamed !== undefined) events[index] = { ...event, message: renamed };
    });
  }

  /** Folds a finished update (or abort) into what the environment runs. */
  function settle(env: EnvironmentRecord): void {
    const recoversAt = env.running.recoversAt;
    if (recoversAt !== undefined && now() >= recoversAt) {
      const { versionLabel, options } = env.running;
      env.running = { versionLabel, health: 'Green', healthStatus: 'Ok', causes: [], options };
    }
    const update = env.update;
    if (!update) return;
    if (update.abortedAt !== undefined) {
      if (now() < update.abortedAt + ABORT_SECONDS * 1000) return;
      env.running = update.before;
      update.outcome = 'aborted';
    } else {
      if (update.settleSeconds === undefined || now() < update.startedAt + update.settleSeconds * 1000)
        return;
      env.running = update.after;
      update.outcome = update.succeeds ? 'succeeded' : 'failed';
      if (update.succeeds && update.after.versionLabel) env.good.add(update.after.versionLabel);
    }
    env.updatedAt = now();
    delete env.update;
  }

  function view(env: EnvironmentRecord): Record<string, unknown> {
    settle(env);
    const update = env.update;
    const status = update
      ? update.abortedAt !== undefined
        ? 'Aborting'
        : update.launch
          ? 'Launching'
          : 'Updating'
      : 'Ready';
    // While instances take the new version, enhanced health reports Pending: Grey, "an operation is
    // in progress on an instance within the command timeout".
    const running = update
      ? update.abortedAt !== undefined
        ? update.before
        : { ...update.after, health: COLOUR_OF_STATUS.Pending, healthStatus: 'Pending' as const }
      : env.running;
    return {
      EnvironmentName: env.name,
      EnvironmentId: env.id,
      ApplicationName: env.application,
      VersionLabel: running.versionLabel,
      ...env.platform,
      Tier: env.tier,
      EndpointURL: `awseb-${env.id}.${region.value}.elb.amazonaws.com`,
      CNAME:
        env.cnamePrefix === undefined ? undefined : `${env.cnamePrefix}.${region.value}.elasticbeanstalk.com`,
      DateCreated: new Date(env.created),
      DateUpdated: new Date(env.updatedAt),
      Status: status,
      AbortableOperationInProgress: update !== undefined && update.abortedAt === undefined,
      Health: running.health,
      HealthStatus: running.healthStatus,
      EnvironmentArn: env.arn,
    };
  }

  function causes(env: EnvironmentRecord): readonly string[] {
    settle(env);
    const update = env.update;
    if (!update) return env.running.causes;
    if (update.abortedAt !== undefined) return ['Aborting the update in progress.'];
    // Once the instances have reported the failure, enhanced health names it while the update
    // winds down ("Command failed on all instances"), as Elastic Beanstalk's health causes do.
    const failureShownAt =
      update.settleSeconds === undefined
        ? undefined
        : update.startedAt + (update.settleSeconds - FAILURE_SHOWN_BEFORE_END_SECONDS) * 1000;
    if (
      !update.succeeds &&
      failureShownAt !== undefined &&
      now() >= failureShownAt &&
      update.after.causes.length > 0
    ) {
      return update.after.causes;
    }
    return [
      `Application update is in progress on ${context.scenarioFor(env.name).definition.instances} instances.`,
    ];
  }

  function cnameTaken(prefix: string): boolean {
    return [...environments.values()].some((e) => e.cnamePrefix?.toLowerCase() === prefix.toLowerCase());
  }

  function createEnvironment(
    app: string,
    name: string,
    versionLabel: string | undefined,
    shape: Pick<EnvironmentRecord, 'platform' | 'tier' | 'cnamePrefix'> = {
      platform: { SolutionStackName: DEFAULT_STACK },
      tier: TIERS.WebServer ?? { Name: 'WebServer', Type: 'Standard', Version: '1.0' },
      cnamePrefix: name,
    },
    options: readonly OptionSetting[] = SEEDED_OPTIONS,
  ): EnvironmentRecord {
    if (environments.has(name)) throw invalid(`Environment ${name} already exists.`);
    const id = `e-${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const env: EnvironmentRecord = {
      name,
      id,
      application: app,
      arn: `arn:aws:elasticbeanstalk:${region.value}:${context.accountId}:environment/${app}/${name}`,
      created: now(),
      running: versionLabel
        ? { versionLabel, health: 'Green', healthStatus: 'Ok', causes: [], options }
        : { versionLabel, health: 'Grey', healthStatus: 'Pending', causes: [], options },
      updatedAt: now(),
      history: [],
      good: new Set(versionLabel ? [versionLabel] : []),
      tags: new Map(),
      describeCalls: 0,
      busyPending: context.scenarioFor(name).definition.busySeconds > 0 && versionLabel !== undefined,
      ...shape,
    };
    environments.set(name, env);
    return env;
  }

  function startBusy(env: EnvironmentRecord): void {
    const label = env.running.versionLabel;
    if (!env.busyPending || label === undefined) return;
    env.busyPending = false;
    const seconds = context.scenarioFor(env.name).definition.busySeconds;
    startUpdate(env, label, false, { ...BEANSTALK_SCENARIOS.healthy, deploySeconds: seconds });
  }

  function taggable(arn: string): Map<string, string> {
    for (const app of applications.values()) {
      for (const version of app.versions.values()) if (version.arn === arn) return version.tags;
    }
    for (const env of environments.values()) if (env.arn === arn) return env.tags;
    throw new ServiceError('ResourceNotFoundException', `Resource ${arn} not found.`, 404);
  }

  function versionView(v: VersionRecord): Record<string, unknown> {
    return {
      ApplicationVersionArn: v.arn,
      ApplicationName: v.application,
      VersionLabel: v.label,
      Description: v.description,
      SourceBundle: v.bucket ? { S3Bucket: v.bucket, S3Key: v.key } : undefined,
      DateCreated: new Date(v.created),
      DateUpdated: new Date(v.created),
      Status: versionStatus(v),
    };
  }

  const query = (name: string, handle: Operation['handle']): Operation => ({
    name,
    route: { protocol: 'query', action: name },
    handle: (request) => {
      region.value = request.region;
      return handle(request);
    },
  });

  const operations: Operation[] = [
    query('CreateStorageLocation', ({ region: r }) => ({
      S3Bucket: `elasticbeanstalk-${r}-${context.accountId}`,
    })),
    query('CreateApplication', ({ input }) => {
      const name = required(input, 'ApplicationName');
      if (applications.has(name)) throw invalid(`Application ${name} already exists.`);
      addApplication(name);
      return { Application: { ApplicationName: name, DateCreated: new Date(now()) } };
    }),
    query('DescribeApplications', ({ input }) => {
      const names = members(input, 'ApplicationNames');
      const listed = [...applications.entries()].filter(
        ([name]) => names.length === 0 || names.includes(name),
      );
      return {
        Applications: listed.map(([name, app]) => ({
          ApplicationName: name,
          DateCreated: new Date(app.created),
          Versions: [...app.versions.keys()],
        })),
      };
    }),
    query('CreateApplicationVersion', ({ input }) => {
      const app = required(input, 'ApplicationName');
      if (text(input, 'AutoCreateApplication') === 'true') addApplication(app);
      const version = addVersion(
        app,
        required(input, 'VersionLabel'),
        input,
        text(input, 'Process') === 'true',
      );
      return { ApplicationVersion: versionView(version) };
    }),
    query('DescribeApplicationVersions', ({ input }) => {
      const app = text(input, 'ApplicationName');
      const labels = members(input, 'VersionLabels');
      const all = [...applications.entries()]
        .filter(([name]) => app === undefined || name === app)
        .flatMap(([, a]) => [...a.versions.values()])
        .filter((v) => labels.length === 0 || labels.includes(v.label))
        .sort((a, b) => b.created - a.created);
      const { items, NextToken } = page(all, input, 1000);
      return { ApplicationVersions: items.map(versionView), NextToken };
    }),
    query('DeleteApplicationVersion', ({ input }) => {
      const app = required(input, 'ApplicationName');
      const label = required(input, 'VersionLabel');
      const versions = application(app).versions;
      if (!versions.has(label)) throw invalid(`No Application Version named '${label}' found.`);
      const users = [...environments.values()].filter((env) => {
        const shown = view(env);
        return shown.VersionLabel === label || env.update?.before.versionLabel === label;
      });
      if (users.length > 0) {
        throw new ServiceError(
          'SourceBundleDeletionFailure',
          `Unable to delete application version '${label}' because it is being used by environment(s): ${users.map((e) => e.name).join(', ')}`,
        );
      }
      versions.delete(label);
      deleted.push({
        application: app,
        label,
        deleteSourceBundle: text(input, 'DeleteSourceBundle') === 'true',
      });
      return {};
    }),
    query('CheckDNSAvailability', ({ input }) => {
      const prefix = required(input, 'CNAMEPrefix');
      return {
        Available: !cnameTaken(prefix),
        FullyQualifiedCNAME: `${prefix}.${region.value}.elasticbeanstalk.com`,
      };
    }),
    query('CreateEnvironment', ({ input }) => {
      const app = required(input, 'ApplicationName');
      application(app);
      const name = required(input, 'EnvironmentName');
      const label = text(input, 'VersionLabel');
      const stack = text(input, 'SolutionStackName');
      const arn = text(input, 'PlatformArn');
      if (stack !== undefined && arn !== undefined) {
        throw new ServiceError(
          'InvalidParameterCombination',
          'You cannot specify both a solution stack name and a platform ARN.',
        );
      }
      if (stack === undefined && arn === undefined && text(input, 'TemplateName') === undefined) {
        throw invalid('No solution stack, platform ARN or configuration template specified.');
      }
      const tierName = text(input, 'Tier.Name') ?? 'WebServer';
      const tier = TIERS[tierName];
      if (!tier) throw invalid(`Invalid tier name: ${tierName}`);
      const prefix = text(input, 'CNAMEPrefix');
      if (prefix !== undefined && tierName === 'Worker')
        throw invalid('CNAMEPrefix is not supported for a worker tier environment.');
      if (prefix !== undefined && cnameTaken(prefix)) throw invalid(`DNS name (${prefix}) is not available.`);
      if (label !== undefined) {
        const version = application(app).versions.get(label);
        if (!version) throw invalid(`No Application Version named '${label}' found.`);
        if (versionStatus(version) === 'Processing')
          throw invalid(`Application version ${label} is still being processed.`);
      }
      const options = optionMembers(input, 'OptionSettings');
      for (const setting of options) {
        const problem = optionProblem(setting);
        if (problem !== undefined) throw new ServiceError('ConfigurationValidationException', problem);
      }
      const env = createEnvironment(
        app,
        name,
        undefined,
        {
          platform: arn !== undefined ? { PlatformArn: arn } : { SolutionStackName: stack ?? DEFAULT_STACK },
          tier,
          cnamePrefix: tierName === 'Worker' ? undefined : (prefix ?? `${name}-${cnameSuffix()}`),
        },
        mergeOptions(SEEDED_OPTIONS, options, []),
      );
      // The first deployment plays out like an update of the scenario chosen for the name
      // (Launching while it runs); without a version the sample application is launched.
      startUpdate(env, label ?? 'Sample Application', true);
      return view(env);
    }),
    query('DescribeEnvironments', ({ input }) => {
      const app = text(input, 'ApplicationName');
      const names = members(input, 'EnvironmentNames');
      const listed = [...environments.values()].filter(
        (env) =>
          (app === undefined || env.application === app) && (names.length === 0 || names.includes(env.name)),
      );
      for (const env of listed) {
        throttle(env);
        startBusy(env);
      }
      return { Environments: listed.map(view) };
    }),
    query('UpdateEnvironment', ({ input }) => {
      const env = environment(text(input, 'EnvironmentName'));
      const label = required(input, 'VersionLabel');
      if (env.update) {
        throw invalid(
          `Environment named ${env.name} is in an invalid state for this operation. Must be Ready.`,
        );
      }
      const version = application(env.application).versions.get(label);
      if (!version) throw invalid(`No Application Version named '${label}' found.`);
      // A version created without Process stays Unprocessed and deploys as it is; only one being
      // processed right now is refused.
      if (versionStatus(version) === 'Processing')
        throw invalid(`Application version ${label} is still being processed.`);
      const options = optionMembers(input, 'OptionSettings');
      for (const setting of options) {
        const problem = optionProblem(setting);
        if (problem !== undefined) throw new ServiceError('ConfigurationValidationException', problem);
      }
      const removed = optionMembers(input, 'OptionsToRemove');
      startUpdate(env, label, true, undefined, options, removed);
      return view(env);
    }),
    query('AbortEnvironmentUpdate', ({ input }) => {
      const env = environment(text(input, 'EnvironmentName'));
      const update = env.update;
      if (!update || update.abortedAt !== undefined) {
        throw invalid(`Environment named ${env.name} has no operation in progress that can be aborted.`);
      }
      update.abortedAt = now();
      for (let i = events.length - 1; i >= 0; i--) {
        if (events[i]?.updateId === update.id && (events[i]?.at ?? 0) > update.abortedAt) events.splice(i, 1);
      }
      const base = { application: env.application, environment: env.name, updateId: update.id };
      events.push({
        ...base,
        at: update.abortedAt,
        severity: 'WARN',
        message: 'Environment update is being aborted.',
      });
      events.push({
        ...base,
        at: update.abortedAt + ABORT_SECONDS * 1000,
        severity: 'INFO',
        message: `Environment update was aborted; the environment runs ${update.before.versionLabel ?? 'no version'} again.`,
      });
      return {};
    }),
    query('DescribeEvents', ({ input }) => {
      const app = text(input, 'ApplicationName');
      const envName = text(input, 'EnvironmentName');
      const label = text(input, 'VersionLabel');
      const start = text(input, 'StartTime');
      const end = text(input, 'EndTime');
      const minimum = SEVERITIES.indexOf((text(input, 'Severity') ?? 'TRACE') as Severity);
      if (envName !== undefined && environments.has(envName)) throttle(environment(envName));
      const t = now();
      const matching = events
        .filter(
          (e) =>
            e.at <= t &&
            (app === undefined || e.application === app) &&
            (envName === undefined || e.environment === envName) &&
            (label === undefined || e.versionLabel === label) &&
            (start === undefined || e.at >= Date.parse(start)) &&
            (end === undefined || e.at < Date.parse(end)) &&
            SEVERITIES.indexOf(e.severity) >= minimum,
        )
        .sort((a, b) => b.at - a.at);
      const { items, NextToken } = page(matching, input, EVENTS_PAGE_CAP);
      return {
        Events: items.map((e) => ({
          EventDate: new Date(e.at),
          Message: e.message,
          ApplicationName: e.application,
          VersionLabel: e.versionLabel,
          EnvironmentName: e.environment,
          RequestId: e.requestId,
          Severity: e.severity,
        })),
        NextToken,
      };
    }),
    query('DescribeEnvironmentHealth', ({ input }) => {
      const env = environment(text(input, 'EnvironmentName'));
      const shown = view(env);
      const asked = members(input, 'AttributeNames');
      const unknown = asked.find((name) => name !== 'All' && !HEALTH_ATTRIBUTES.includes(name));
      if (unknown !== undefined) throw invalid(`Invalid attribute name: ${unknown}`);
      const all: Record<string, unknown> = {
        HealthStatus: shown.HealthStatus,
        Status: shown.Status,
        Color: shown.Health,
        Causes: causes(env),
        RefreshedAt: new Date(now()),
      };
      // "If no attribute names are specified, returns the name of the environment."
      const wanted = asked.includes('All') ? Object.keys(all) : asked;
      return {
        EnvironmentName: env.name,
        ...Object.fromEntries(Object.entries(all).filter(([name]) => wanted.includes(name))),
      };
    }),
    query('DescribeConfigurationSettings', ({ input }) => {
      const app = required(input, 'ApplicationName');
      const env = environment(text(input, 'EnvironmentName'));
      if (env.application !== app) throw invalid(`No Environment found for EnvironmentName = '${env.name}'.`);
      const shown = view(env);
      const running = env.update && env.update.abortedAt === undefined ? env.update.after : env.running;
      return {
        ConfigurationSettings: [
          {
            SolutionStackName: shown.SolutionStackName,
            ApplicationName: env.application,
            EnvironmentName: env.name,
            DeploymentStatus: env.update ? 'pending' : 'deployed',
            DateCreated: new Date(env.created),
            DateUpdated: new Date(env.updatedAt),
            OptionSettings: running.options,
          },
        ],
      };
    }),
    query('ValidateConfigurationSettings', ({ input }) => {
      application(required(input, 'ApplicationName'));
      if (text(input, 'EnvironmentName') !== undefined) environment(text(input, 'EnvironmentName'));
      const messages = optionMembers(input, 'OptionSettings').flatMap((setting) => {
        const problem = optionProblem(setting);
        return problem === undefined
          ? []
          : [
              {
                Message: problem,
                Severity: 'error',
                Namespace: setting.Namespace,
                OptionName: setting.OptionName,
              },
            ];
      });
      return { Messages: messages };
    }),
    query('ListTagsForResource', ({ input }) => {
      const arn = required(input, 'ResourceArn');
      return { ResourceArn: arn, ResourceTags: [...taggable(arn)].map(([Key, Value]) => ({ Key, Value })) };
    }),
    query('UpdateTagsForResource', ({ input }) => {
      const tags = taggable(required(input, 'ResourceArn'));
      for (const { Key, Value } of tagMembers(input, 'TagsToAdd')) tags.set(Key, Value);
      for (const key of members(input, 'TagsToRemove')) tags.delete(key);
      return {};
    }),
  ];

  return {
    operations,
    /**
     * `{ ApplicationName, VersionLabel?, EnvironmentName?, S3Bucket?, S3Key?, Description?, CreatedSecondsAgo? }`:
     * the application, a Processed version (when not there yet) and an environment Ready and Green
     * on it, each only when named. A `busy` environment starts its other update when first described.
     */
    seed: (input, seedRegion) => {
      region.value = seedRegion;
      const app = required(input, 'ApplicationName');
      addApplication(app);
      const label = text(input, 'VersionLabel');
      if (label !== undefined && !application(app).versions.has(label)) {
        const ago = Number(input.CreatedSecondsAgo ?? 0) * 1000;
        addVersion(app, label, input, true, now() - ago - PROCESSING_SECONDS * 1000);
      }
      const envName = text(input, 'EnvironmentName');
      const env = envName === undefined ? undefined : createEnvironment(app, envName, label);
      return { application: app, ...(env && { environment: view(env) }) };
    },
    state: () => ({
      applications: [...applications.entries()].map(([name, app]) => ({
        name,
        versions: [...app.versions.values()]
          .sort((a, b) => a.created - b.created)
          .map((v) => ({ ...versionView(v), Tags: Object.fromEntries(v.tags) })),
      })),
      environments: [...environments.values()].map((env) => ({
        ...view(env),
        Scenario: context.scenarioFor(env.name).name,
        Updates: env.history.map((u) => ({
          target: u.target,
          scenario: u.scenario,
          requested: u.requested,
          outcome: u.outcome,
          startedAt: new Date(u.startedAt).toISOString(),
        })),
      })),
      deletedVersions: deleted,
      events: events
        .filter((e) => e.at <= now())
        .sort((a, b) => a.at - b.at)
        .map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
    }),
  };
}

/** AWS Elastic Beanstalk (Query protocol): versions, environments, updates over time, events and health. */
export const elasticBeanstalkService = defineService<BeanstalkScenario>({
  service: 'elasticbeanstalk',
  signingName: 'elasticbeanstalk',
  xmlNamespace: 'http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/',
  scenarios: BEANSTALK_SCENARIOS,
  defaultScenario: 'healthy',
  create: createBeanstalk,
});
