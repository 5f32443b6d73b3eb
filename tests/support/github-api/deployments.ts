/**
 * The deployments of one stand-in repository, kept as GitHub keeps them: ids that only grow,
 * lists newest first, and the automatic `inactive` GitHub adds to earlier successful deployments
 * of a non-production environment when a new one succeeds.
 */

export const DEPLOYMENT_STATES = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
] as const;
export type StandInState = (typeof DEPLOYMENT_STATES)[number];

export interface StandInStatus {
  id: number;
  state: StandInState;
  description: string;
  environment_url: string;
  log_url: string;
  created_at: string;
}

export interface StandInDeployment {
  id: number;
  repository: string;
  ref: string;
  sha: string;
  environment: string;
  task: string;
  description: string;
  production_environment: boolean;
  transient_environment: boolean;
  payload: unknown;
  created_at: string;
  /** Oldest first, as posted. */
  statuses: StandInStatus[];
}

export interface NewStandInDeployment {
  ref: string;
  environment?: string;
  task?: string;
  description?: string;
  production_environment?: boolean;
  transient_environment?: boolean;
  payload?: unknown;
}

export interface NewStandInStatus {
  state: StandInState;
  description?: string;
  environment_url?: string;
  log_url?: string;
  auto_inactive?: boolean;
}

export class DeploymentStore {
  private nextId = 1001;
  private readonly deployments: StandInDeployment[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  create(repository: string, request: NewStandInDeployment): StandInDeployment {
    const environment = request.environment ?? 'production';
    const deployment: StandInDeployment = {
      id: this.nextId++,
      repository,
      ref: request.ref,
      sha: request.ref,
      environment,
      task: request.task ?? 'deploy',
      description: request.description ?? '',
      // GitHub's default: production when the environment is called production.
      production_environment: request.production_environment ?? environment === 'production',
      transient_environment: request.transient_environment ?? false,
      payload: request.payload ?? {},
      created_at: this.now().toISOString(),
      statuses: [],
    };
    this.deployments.push(deployment);
    return deployment;
  }

  find(repository: string, id: number): StandInDeployment | undefined {
    return this.deployments.find((d) => d.repository === repository && d.id === id);
  }

  /** Newest first, optionally in one environment. */
  list(repository: string, environment?: string): StandInDeployment[] {
    return this.deployments
      .filter(
        (d) => d.repository === repository && (environment === undefined || d.environment === environment),
      )
      .reverse();
  }

  addStatus(deployment: StandInDeployment, request: NewStandInStatus): StandInStatus {
    const status = this.push(deployment, request);
    const autoInactive = request.auto_inactive ?? true;
    if (request.state === 'success' && autoInactive) {
      for (const earlier of this.list(deployment.repository, deployment.environment)) {
        if (earlier.id === deployment.id || earlier.production_environment || earlier.transient_environment)
          continue;
        if (latestState(earlier) === 'success') this.push(earlier, { state: 'inactive' });
      }
    }
    return status;
  }

  private push(deployment: StandInDeployment, request: NewStandInStatus): StandInStatus {
    const status: StandInStatus = {
      id: this.nextId++,
      state: request.state,
      description: request.description ?? '',
      environment_url: request.environment_url ?? '',
      log_url: request.log_url ?? '',
      created_at: this.now().toISOString(),
    };
    deployment.statuses.push(status);
    return status;
  }
}

export function latestState(deployment: StandInDeployment): StandInState | undefined {
  return deployment.statuses.at(-1)?.state;
}
