/**
 * What the deploy actions' integration tests with GitHub deployments share: the runner variables
 * that point an action at the stand-in, and the recorded deployments read back.
 */
import type { GitHubApiStandIn, StandInDeployment } from '../../support/github-api';

export const TOKEN = 'ghs_standInToken0123456789';
export const REPOSITORY = 'acme/models';

/** GITHUB_API_URL at the stand-in, as the runner sets it on GitHub Enterprise Server. */
export function gitHubEnv(api: GitHubApiStandIn): Record<string, string> {
  return {
    GITHUB_API_URL: api.url,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_SERVER_URL: 'https://github.example',
  };
}

/** The newest deployment recorded under `environment`. */
export function latestDeployment(api: GitHubApiStandIn, environment: string): StandInDeployment {
  const [deployment] = api.store.list(REPOSITORY, environment);
  if (deployment === undefined) throw new Error(`no deployment recorded under ${environment}`);
  return deployment;
}

/** Its statuses, oldest first, as [state, description, environment_url]. */
export function statusesOf(deployment: StandInDeployment): Array<[string, string, string]> {
  return deployment.statuses.map((s) => [s.state, s.description, s.environment_url]);
}
