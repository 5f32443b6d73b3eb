import type { BeanstalkStore, EnvironmentRecord, Running, VersionRecord } from './state';
import { settle } from './updates';
import { COLOUR_OF_STATUS, FAILURE_SHOWN_BEFORE_END_SECONDS } from './timing';

/** How records read on the wire (EnvironmentDescription, ApplicationVersionDescription), settled first. */

export function environmentView(store: BeanstalkStore, env: EnvironmentRecord): Record<string, unknown> {
  settle(store, env);
  const running = shownRunning(env);
  const region = store.region;
  return {
    EnvironmentName: env.name,
    EnvironmentId: env.id,
    ApplicationName: env.application,
    VersionLabel: running.versionLabel,
    ...env.platform,
    Tier: env.tier,
    EndpointURL: `awseb-${env.id}.${region}.elb.amazonaws.com`,
    CNAME: env.cnamePrefix === undefined ? undefined : `${env.cnamePrefix}.${region}.elasticbeanstalk.com`,
    DateCreated: new Date(env.created),
    DateUpdated: new Date(env.updatedAt),
    Status: statusOfEnvironment(env),
    AbortableOperationInProgress: env.update !== undefined && env.update.abortedAt === undefined,
    Health: running.health,
    HealthStatus: running.healthStatus,
    EnvironmentArn: env.arn,
  };
}

function statusOfEnvironment(env: EnvironmentRecord): string {
  const update = env.update;
  if (!update) return 'Ready';
  if (update.abortedAt !== undefined) return 'Aborting';
  return update.launch ? 'Launching' : 'Updating';
}

/**
 * While instances take the new version, enhanced health reports Pending: Grey, "an operation is in
 * progress on an instance within the command timeout"; an abort shows the version it goes back to.
 */
function shownRunning(env: EnvironmentRecord): Running {
  const update = env.update;
  if (!update) return env.running;
  if (update.abortedAt !== undefined) return update.before;
  return { ...update.after, health: COLOUR_OF_STATUS.Pending, healthStatus: 'Pending' };
}

/** The configuration an environment runs or is taking (DescribeConfigurationSettings). */
export function configuredRunning(env: EnvironmentRecord): Running {
  return env.update && env.update.abortedAt === undefined ? env.update.after : env.running;
}

/** Enhanced health's causes (DescribeEnvironmentHealth `Causes`). */
export function causes(store: BeanstalkStore, env: EnvironmentRecord): readonly string[] {
  settle(store, env);
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
    store.now() >= failureShownAt &&
    update.after.causes.length > 0
  ) {
    return update.after.causes;
  }
  const instances = store.context.scenarioFor(env.name).definition.instances;
  return [`Application update is in progress on ${instances} instances.`];
}

export function versionView(store: BeanstalkStore, v: VersionRecord): Record<string, unknown> {
  return {
    ApplicationVersionArn: v.arn,
    ApplicationName: v.application,
    VersionLabel: v.label,
    Description: v.description,
    SourceBundle: v.bucket ? { S3Bucket: v.bucket, S3Key: v.key } : undefined,
    DateCreated: new Date(v.created),
    DateUpdated: new Date(v.created),
    Status: store.versionStatus(v),
  };
}
