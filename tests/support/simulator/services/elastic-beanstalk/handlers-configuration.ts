import type { Operation } from '../../service';
import { optionMembers, optionProblem } from './options';
import { invalid, queryOperation, required, text, type Input } from './query-params';
import type { BeanstalkStore } from './state';
import { openEnvironment } from './updates';
import { configuredRunning, environmentView } from './views';

/** Option settings: reading an environment's and validating new ones. */
export function configurationHandlers(store: BeanstalkStore): Operation[] {
  const query = (name: string, handle: Operation['handle']): Operation => queryOperation(store, name, handle);
  return [
    query('DescribeConfigurationSettings', ({ input }) => describeSettings(store, input)),
    query('ValidateConfigurationSettings', ({ input }) => {
      store.application(required(input, 'ApplicationName'));
      if (text(input, 'EnvironmentName') !== undefined)
        openEnvironment(store, text(input, 'EnvironmentName'));
      const messages = optionMembers(input, 'OptionSettings').flatMap((setting) => {
        const problem = optionProblem(setting);
        if (problem === undefined) return [];
        return [
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
  ];
}

/** DeploymentStatus `pending` while an update runs (its settings shown), else `deployed`. */
function describeSettings(store: BeanstalkStore, input: Input): unknown {
  const app = required(input, 'ApplicationName');
  const env = openEnvironment(store, text(input, 'EnvironmentName'));
  if (env.application !== app) throw invalid(`No Environment found for EnvironmentName = '${env.name}'.`);
  const shown = environmentView(store, env);
  return {
    ConfigurationSettings: [
      {
        SolutionStackName: shown.SolutionStackName,
        ApplicationName: env.application,
        EnvironmentName: env.name,
        DeploymentStatus: env.update ? 'pending' : 'deployed',
        DateCreated: new Date(env.created),
        DateUpdated: new Date(env.updatedAt),
        OptionSettings: configuredRunning(env).options,
      },
    ],
  };
}
