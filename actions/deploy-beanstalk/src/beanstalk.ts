import {
  DescribeApplicationsCommand,
  DescribeConfigurationSettingsCommand,
  ValidateConfigurationSettingsCommand,
  type ConfigurationOptionSetting,
  DescribeApplicationVersionsCommand,
  DescribeEnvironmentHealthCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  ListTagsForResourceCommand,
  UpdateTagsForResourceCommand,
  type ApplicationVersionDescription,
  type ElasticBeanstalkClient,
  type EnvironmentDescription,
  type EventDescription,
} from '@aws-sdk/client-elastic-beanstalk';
import { messageOf } from '@deploy-suite/kit';
import { settingName, type OptionSetting } from './options';
import type { EnvironmentView } from './plan';

/** Reads (and the one tag write) against Elastic Beanstalk, each paging through every result. */

export async function applicationExists(eb: ElasticBeanstalkClient, application: string): Promise<boolean> {
  const answer = await eb.send(new DescribeApplicationsCommand({ ApplicationNames: [application] }));
  return (answer.Applications ?? []).some((a) => a.ApplicationName === application);
}

/** The live environment of that name in the application, or undefined. */
export async function findEnvironment(
  eb: ElasticBeanstalkClient,
  application: string,
  environment: string,
): Promise<EnvironmentDescription | undefined> {
  const answer = await eb.send(
    new DescribeEnvironmentsCommand({
      ApplicationName: application,
      EnvironmentNames: [environment],
      IncludeDeleted: false,
    }),
  );
  return (answer.Environments ?? []).find(
    (e) => e.EnvironmentName === environment && e.Status !== 'Terminated',
  );
}

/** Follows NextToken to the last page. */
async function allPages<T>(
  fetch: (
    token: { NextToken: string } | object,
  ) => Promise<{ items: T[] | undefined; next: string | undefined }>,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token === undefined ? {} : { NextToken: token });
    all.push(...(page.items ?? []));
    token = page.next;
  } while (token);
  return all;
}

/** Every live environment of the application (for the versions they run). */
export async function environmentsOf(
  eb: ElasticBeanstalkClient,
  application: string,
): Promise<EnvironmentDescription[]> {
  const all = await allPages(async (token) => {
    const page = await eb.send(
      new DescribeEnvironmentsCommand({ ApplicationName: application, IncludeDeleted: false, ...token }),
    );
    return { items: page.Environments, next: page.NextToken };
  });
  return all.filter((e) => e.Status !== 'Terminated');
}

/** Every version of the application, all pages. */
export function versionsOf(
  eb: ElasticBeanstalkClient,
  application: string,
): Promise<ApplicationVersionDescription[]> {
  return allPages(async (token) => {
    const page = await eb.send(
      new DescribeApplicationVersionsCommand({ ApplicationName: application, MaxRecords: 1000, ...token }),
    );
    return { items: page.ApplicationVersions, next: page.NextToken };
  });
}

export async function findVersion(
  eb: ElasticBeanstalkClient,
  application: string,
  label: string,
): Promise<ApplicationVersionDescription | undefined> {
  const answer = await eb.send(
    new DescribeApplicationVersionsCommand({ ApplicationName: application, VersionLabels: [label] }),
  );
  return (answer.ApplicationVersions ?? []).find((v) => v.VersionLabel === label);
}

export interface EventQuery {
  application: string;
  environment?: string;
  versionLabel?: string;
  since: Date;
  pageSize: number;
}

/**
 * Every event since `since`, following NextToken to the last page: a deploy that logs more events
 * between two polls than one page holds must not lose the oldest of them.
 */
export function eventsSince(eb: ElasticBeanstalkClient, query: EventQuery): Promise<EventDescription[]> {
  return allPages(async (token) => {
    const page = await eb.send(
      new DescribeEventsCommand({
        ApplicationName: query.application,
        ...(query.environment !== undefined && { EnvironmentName: query.environment }),
        ...(query.versionLabel !== undefined && { VersionLabel: query.versionLabel }),
        StartTime: query.since,
        MaxRecords: query.pageSize,
        ...token,
      }),
    );
    return { items: page.Events, next: page.NextToken };
  });
}

/**
 * The environment's health causes (enhanced health). Environments on basic health have none and
 * answer with an error; causes are evidence, so their absence never fails a deploy.
 */
export async function healthCauses(
  eb: ElasticBeanstalkClient,
  environment: string,
): Promise<{ causes: string[]; unavailable?: string }> {
  try {
    const answer = await eb.send(
      new DescribeEnvironmentHealthCommand({ EnvironmentName: environment, AttributeNames: ['All'] }),
    );
    return { causes: answer.Causes ?? [] };
  } catch (err) {
    return { causes: [], unavailable: messageOf(err) };
  }
}

export function viewOf(environment: EnvironmentDescription): EnvironmentView {
  return {
    status: environment.Status ?? 'unknown',
    health: environment.Health,
    healthStatus: environment.HealthStatus,
    versionLabel: environment.VersionLabel,
  };
}

export function environmentUrl(environment: EnvironmentDescription | undefined): string | undefined {
  const host = environment?.CNAME ?? environment?.EndpointURL;
  if (!host) return undefined;
  return /^https?:\/\//.test(host) ? host : `http://${host}`;
}

export async function versionTags(eb: ElasticBeanstalkClient, arn: string): Promise<Map<string, string>> {
  const answer = await eb.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
  return new Map((answer.ResourceTags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

export async function tagVersion(
  eb: ElasticBeanstalkClient,
  arn: string,
  key: string,
  value: string,
): Promise<void> {
  await eb.send(
    new UpdateTagsForResourceCommand({ ResourceArn: arn, TagsToAdd: [{ Key: key, Value: value }] }),
  );
}

/** Settings as the API spells them. */
export function apiSettings(settings: readonly OptionSetting[]): ConfigurationOptionSetting[] {
  return settings.map((s) => ({
    Namespace: s.namespace,
    OptionName: s.optionName,
    Value: s.value,
    ...(s.resourceName !== undefined && { ResourceName: s.resourceName }),
  }));
}

/** The environment's current option settings (the deployed configuration). */
export async function configurationOf(
  eb: ElasticBeanstalkClient,
  application: string,
  environment: string,
): Promise<OptionSetting[]> {
  const answer = await eb.send(
    new DescribeConfigurationSettingsCommand({ ApplicationName: application, EnvironmentName: environment }),
  );
  const deployed =
    answer.ConfigurationSettings?.find((c) => c.DeploymentStatus === 'deployed') ??
    answer.ConfigurationSettings?.[0];
  return (deployed?.OptionSettings ?? []).map((o) => ({
    namespace: o.Namespace ?? '',
    optionName: o.OptionName ?? '',
    value: o.Value ?? '',
    ...(o.ResourceName !== undefined && { resourceName: o.ResourceName }),
  }));
}

/**
 * Elastic Beanstalk's own verdict on the settings for this environment (ValidateConfigurationSettings
 * changes nothing): error messages refuse the deploy before anything is uploaded; warnings are shown.
 */
export async function validateSettings(
  eb: ElasticBeanstalkClient,
  application: string,
  environment: string,
  settings: readonly OptionSetting[],
): Promise<{ errors: string[]; warnings: string[] }> {
  const answer = await eb.send(
    new ValidateConfigurationSettingsCommand({
      ApplicationName: application,
      EnvironmentName: environment,
      OptionSettings: apiSettings(settings),
    }),
  );
  const line = (m: {
    Namespace?: string | undefined;
    OptionName?: string | undefined;
    Message?: string | undefined;
  }): string =>
    `${settingName({ namespace: m.Namespace ?? '', optionName: m.OptionName ?? '' })}: ${m.Message ?? ''}`;
  const messages = answer.Messages ?? [];
  return {
    errors: messages.filter((m) => m.Severity !== 'warning').map(line),
    warnings: messages.filter((m) => m.Severity === 'warning').map(line),
  };
}
