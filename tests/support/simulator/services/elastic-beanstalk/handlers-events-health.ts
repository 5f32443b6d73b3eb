import type { Operation } from '../../service';
import { invalid, members, page, queryOperation, text, type Input } from './query-params';
import { SEVERITIES, type BeanstalkStore, type EventRecord, type Severity } from './state';
import { openEnvironment, throttle } from './updates';
import { causes, environmentView } from './views';

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

/** The event log and enhanced health (DescribeEvents, DescribeEnvironmentHealth). */
export function eventAndHealthHandlers(store: BeanstalkStore): Operation[] {
  const query = (name: string, handle: Operation['handle']): Operation => queryOperation(store, name, handle);
  return [
    query('DescribeEvents', ({ input }) => describeEvents(store, input)),
    query('DescribeEnvironmentHealth', ({ input }) => describeHealth(store, input)),
  ];
}

/** Events already shown at this virtual time that match the filters, newest first. */
function matchingEvents(store: BeanstalkStore, input: Input): EventRecord[] {
  const app = text(input, 'ApplicationName');
  const envName = text(input, 'EnvironmentName');
  const label = text(input, 'VersionLabel');
  const start = text(input, 'StartTime');
  const end = text(input, 'EndTime');
  const minimum = SEVERITIES.indexOf((text(input, 'Severity') ?? 'TRACE') as Severity);
  const t = store.now();
  return store.events
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
}

function describeEvents(store: BeanstalkStore, input: Input): unknown {
  const envName = text(input, 'EnvironmentName');
  if (envName !== undefined && store.environments.has(envName))
    throttle(store, openEnvironment(store, envName));
  const { items, NextToken } = page(matchingEvents(store, input), input, EVENTS_PAGE_CAP);
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
}

/** Only the attributes asked for (`All` for every one); with none, only the environment's name. */
function describeHealth(store: BeanstalkStore, input: Input): unknown {
  const env = openEnvironment(store, text(input, 'EnvironmentName'));
  const shown = environmentView(store, env);
  const asked = members(input, 'AttributeNames');
  const unknown = asked.find((name) => name !== 'All' && !HEALTH_ATTRIBUTES.includes(name));
  if (unknown !== undefined) throw invalid(`Invalid attribute name: ${unknown}`);
  const all: Record<string, unknown> = {
    HealthStatus: shown.HealthStatus,
    Status: shown.Status,
    Color: shown.Health,
    Causes: causes(store, env),
    RefreshedAt: new Date(store.now()),
  };
  // "If no attribute names are specified, returns the name of the environment."
  const wanted = asked.includes('All') ? Object.keys(all) : asked;
  return {
    EnvironmentName: env.name,
    ...Object.fromEntries(Object.entries(all).filter(([name]) => wanted.includes(name))),
  };
}
