import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../errors';
import type { Operation } from '../../service';
import { mergeOptions, optionMembers, optionProblem, SEEDED_OPTIONS, type OptionSetting } from './options';
import { invalid, members, queryOperation, required, text, type Input } from './query-params';
import { DEFAULT_STACK, TIERS, type BeanstalkStore, type EnvironmentShape } from './state';
import { abortUpdate, openEnvironment, startBusy, startUpdate, throttle } from './updates';
import { environmentView } from './views';

/** Environments: CNAME availability, creating, describing, updating and aborting. */
export function environmentHandlers(store: BeanstalkStore): Operation[] {
  const query = (name: string, handle: Operation['handle']): Operation => queryOperation(store, name, handle);
  return [
    query('CheckDNSAvailability', ({ input }) => {
      const prefix = required(input, 'CNAMEPrefix');
      return {
        Available: !store.cnameTaken(prefix),
        FullyQualifiedCNAME: `${prefix}.${store.region}.elasticbeanstalk.com`,
      };
    }),
    query('CreateEnvironment', ({ input }) => createEnvironment(store, input)),
    query('DescribeEnvironments', ({ input }) => {
      const app = text(input, 'ApplicationName');
      const names = members(input, 'EnvironmentNames');
      const listed = [...store.environments.values()].filter(
        (env) =>
          (app === undefined || env.application === app) && (names.length === 0 || names.includes(env.name)),
      );
      for (const env of listed) {
        throttle(store, env);
        startBusy(store, env);
      }
      return { Environments: listed.map((env) => environmentView(store, env)) };
    }),
    query('UpdateEnvironment', ({ input }) => updateEnvironment(store, input)),
    query('AbortEnvironmentUpdate', ({ input }) => {
      abortUpdate(store, openEnvironment(store, text(input, 'EnvironmentName')));
      return {};
    }),
  ];
}

/** Refuses the first setting Elastic Beanstalk would not accept (ConfigurationValidationException). */
function checkedOptions(input: Input): OptionSetting[] {
  const options = optionMembers(input, 'OptionSettings');
  for (const setting of options) {
    const problem = optionProblem(setting);
    if (problem !== undefined) throw new ServiceError('ConfigurationValidationException', problem);
  }
  return options;
}

/** A version the environment can take: known, and not being processed right now. */
function checkVersion(store: BeanstalkStore, app: string, label: string): void {
  const version = store.application(app).versions.get(label);
  if (!version) throw invalid(`No Application Version named '${label}' found.`);
  // A version created without Process stays Unprocessed and deploys as it is; only one being
  // processed right now is refused.
  if (store.versionStatus(version) === 'Processing')
    throw invalid(`Application version ${label} is still being processed.`);
}

/** Platform (solution stack or platform ARN, not both), tier and CNAME prefix, as CreateEnvironment takes them. */
function environmentShape(store: BeanstalkStore, input: Input, name: string): EnvironmentShape {
  const stack = text(input, 'SolutionStackName');
  const arn = text(input, 'PlatformArn');
  if (stack !== undefined && arn !== undefined) {
    throw new ServiceError(
      'InvalidParameterCombination',
      'You cannot specify both a solution stack name and a platform ARN.',
    );
  }
  if (stack === undefined && arn === undefined && text(input, 'TemplateName') === undefined)
    throw invalid('No solution stack, platform ARN or configuration template specified.');
  const tierName = text(input, 'Tier.Name') ?? 'WebServer';
  const tier = TIERS[tierName];
  if (!tier) throw invalid(`Invalid tier name: ${tierName}`);
  const prefix = text(input, 'CNAMEPrefix');
  if (prefix !== undefined && tierName === 'Worker')
    throw invalid('CNAMEPrefix is not supported for a worker tier environment.');
  if (prefix !== undefined && store.cnameTaken(prefix))
    throw invalid(`DNS name (${prefix}) is not available.`);
  return {
    platform: arn !== undefined ? { PlatformArn: arn } : { SolutionStackName: stack ?? DEFAULT_STACK },
    tier,
    // AWS appends a short random part to a generated CNAME prefix.
    cnamePrefix: tierName === 'Worker' ? undefined : (prefix ?? `${name}-${randomUUID().slice(0, 8)}`),
  };
}

function createEnvironment(store: BeanstalkStore, input: Input): unknown {
  const app = required(input, 'ApplicationName');
  store.application(app);
  const name = required(input, 'EnvironmentName');
  const label = text(input, 'VersionLabel');
  const shape = environmentShape(store, input, name);
  if (label !== undefined) checkVersion(store, app, label);
  const options = checkedOptions(input);
  const env = store.createEnvironment(app, name, undefined, shape, mergeOptions(SEEDED_OPTIONS, options, []));
  // The first deployment plays out like an update of the scenario chosen for the name
  // (Launching while it runs); without a version the sample application is launched.
  startUpdate(store, env, { target: label ?? 'Sample Application', requested: true });
  return environmentView(store, env);
}

function updateEnvironment(store: BeanstalkStore, input: Input): unknown {
  const env = openEnvironment(store, text(input, 'EnvironmentName'));
  const label = required(input, 'VersionLabel');
  if (env.update)
    throw invalid(`Environment named ${env.name} is in an invalid state for this operation. Must be Ready.`);
  checkVersion(store, env.application, label);
  const options = checkedOptions(input);
  const removed = optionMembers(input, 'OptionsToRemove');
  startUpdate(store, env, { target: label, requested: true, options, removed });
  return environmentView(store, env);
}
