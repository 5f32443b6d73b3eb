/**
 * Fakes of the kit's ports, for unit tests: a clock that never waits, a log kept in memory and a
 * GitHub deployments API kept in memory. They live on the test side so no bundle carries them.
 */
import type { Clock, Env, GitHubPort, Log } from '@deploy-suite/kit';
import type {
  DeploymentsApi,
  NewDeployment,
  NewDeploymentStatus,
} from '../../packages/kit/src/github-deployment';

/** A clock for tests: sleeping advances time at once. */
export function fakeClock(start = 0): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
  };
}

/** A Log that keeps lines in memory. */
export function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    debug: () => undefined,
    group: async (title, work) => {
      lines.push(`group: ${title}`);
      return work();
    },
  };
}

export interface RecordedDeployment {
  id: number;
  deployment: NewDeployment;
  /** Oldest first. */
  statuses: NewDeploymentStatus[];
}

/** What tests pass as the GitHub port: deployments kept in memory, and a switch that makes GitHub fail. */
export interface RecordingGitHub extends GitHubPort {
  deployments: RecordedDeployment[];
  /** The tokens connected with. */
  tokens: string[];
  /** From now on every call fails with this error (a GitHub outage, a token without the permission). */
  refuse(error: Error): void;
}

export function recordingGitHub(
  env: Env = { GITHUB_REPOSITORY: 'org/repo', GITHUB_SHA: 'c0ffee', GITHUB_RUN_ID: '1' },
): RecordingGitHub {
  const deployments: RecordedDeployment[] = [];
  const tokens: string[] = [];
  let refusal: Error | undefined;
  const answer = <T>(value: () => T): Promise<T> =>
    refusal === undefined ? Promise.resolve().then(value) : Promise.reject(refusal);
  const find = (id: number): RecordedDeployment => {
    const found = deployments.find((d) => d.id === id);
    if (found === undefined) throw new Error(`Not Found: deployment ${id}`);
    return found;
  };
  const api: DeploymentsApi = {
    createDeployment: (deployment) =>
      answer(() => {
        const id = 1001 + deployments.length;
        deployments.push({ id, deployment, statuses: [] });
        return id;
      }),
    createStatus: (id, status) => answer(() => void find(id).statuses.push(status)),
    listDeployments: (environment) =>
      answer(() =>
        deployments
          .filter((d) => d.deployment.environment === environment)
          .map((d) => d.id)
          .reverse(),
      ),
    latestState: (id) => answer(() => find(id).statuses.at(-1)?.state),
  };
  return {
    env,
    deployments,
    tokens,
    connectGitHub: (token) => {
      tokens.push(token);
      return api;
    },
    refuse: (error) => void (refusal = error),
  };
}
