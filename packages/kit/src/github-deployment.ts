import { HttpClient } from '@actions/http-client';
import type { TypedResponse } from '@actions/http-client/lib/interfaces';
import { messageOf } from './errors';
import { type Env } from './inputs';
import { type Log, runnerLog } from './report';
import { maskSecret } from './secrets';

/**
 * Records a deploy as a GitHub deployment, so the repository's Environments page shows what runs
 * where. Strictly a side channel: every GitHub API failure is a warning and the deploy goes on, so
 * a deploy that succeeded in AWS is reported as a success whatever GitHub answered.
 */

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export interface NewDeployment {
  ref: string;
  environment: string;
  description: string;
  task: string;
  productionEnvironment: boolean;
  transientEnvironment: boolean;
  payload: Readonly<Record<string, string>>;
}

export interface NewDeploymentStatus {
  state: DeploymentState;
  description: string;
  logUrl: string;
  environmentUrl?: string;
}

/** The REST endpoints used, as a port: the real one is restDeploymentsApi, tests pass a fake. */
export interface DeploymentsApi {
  /** The new deployment's id, or undefined when GitHub created none (e.g. it merged instead). */
  createDeployment(deployment: NewDeployment): Promise<number | undefined>;
  createStatus(deploymentId: number, status: NewDeploymentStatus): Promise<void>;
  /** Ids of the environment's deployments, newest first. */
  listDeployments(environment: string): Promise<number[]>;
  /** The state of a deployment's latest status, or undefined when it has none. */
  latestState(deploymentId: number): Promise<string | undefined>;
}

/** Where the run is, read from the runner's GITHUB_* variables. */
export interface GitHubRun {
  apiUrl: string;
  owner: string;
  repo: string;
  sha: string;
  /** The run's page, shown as the deployment's log. */
  logUrl: string;
}

/** The run's context, or the names of the variables that are missing. */
export function readGitHubRun(env: Env): GitHubRun | { missing: string[] } {
  const repository = env['GITHUB_REPOSITORY'] ?? '';
  const sha = env['GITHUB_SHA'] ?? '';
  const runId = env['GITHUB_RUN_ID'] ?? '';
  const missing = [
    ...(/^[^/]+\/[^/]+$/.test(repository) ? [] : ['GITHUB_REPOSITORY']),
    ...(sha === '' ? ['GITHUB_SHA'] : []),
    ...(runId === '' ? ['GITHUB_RUN_ID'] : []),
  ];
  if (missing.length > 0) return { missing };
  const [owner = '', repo = ''] = repository.split('/');
  const serverUrl = trimSlash(env['GITHUB_SERVER_URL'] || 'https://github.com');
  return {
    apiUrl: trimSlash(env['GITHUB_API_URL'] || 'https://api.github.com'),
    owner,
    repo,
    sha,
    logUrl: `${serverUrl}/${repository}/actions/runs/${runId}`,
  };
}

export interface DeploymentRecordOptions {
  /** The GitHub environment (e.g. the job's `environment:`); empty records nothing. */
  environment: string;
  /** What is being deployed, one short line (e.g. `sample-service@sha256:… to prod-cluster/api`). */
  description: string;
  /** Shown as the deployment's task; the default is `deploy`. */
  task?: string;
  /** Defaults to an environment whose name says production (`prod`, `production`, `live`). */
  production?: boolean;
  /** A rollback-to run: when it succeeds, the deployments it replaced are marked inactive. */
  rollback?: boolean;
  /** Extra facts kept with the deployment (e.g. the task definition ARN). */
  payload?: Readonly<Record<string, string>>;
}

export interface DeploymentRecordPorts {
  api: DeploymentsApi;
  run: GitHubRun;
  log?: Log;
}

/** GitHub caps a status description at 140 characters. */
const MAX_DESCRIPTION = 140;

/** Reads production intent from a name: `production`, `prod-eu`, `live` yes; `staging`, `preprod` no. */
export function looksLikeProduction(environment: string): boolean {
  return /^(prod|production|live)([-_.\s]|$)/i.test(environment.trim());
}

/**
 * One GitHub deployment for one run of a deploy action: created with `in_progress` by
 * startDeploymentRecord, then ended once by succeeded, failed, rolledBack or cancelled. Later calls after
 * the first ending are ignored, so an action can end it from a `finally` without double statuses.
 */
export class DeploymentRecord {
  private ended = false;

  constructor(
    /** Undefined when nothing is recorded (no token, no environment, or GitHub refused). */
    readonly id: number | undefined,
    private readonly ports: DeploymentRecordPorts | undefined,
    private readonly options: DeploymentRecordOptions | undefined,
  ) {}

  /** A record that records nothing: what an action holds when the input is not set. */
  static none(): DeploymentRecord {
    return new DeploymentRecord(undefined, undefined, undefined);
  }

  get recording(): boolean {
    return this.id !== undefined;
  }

  /** The service runs the new version; `environmentUrl` becomes the environment's link. */
  async succeeded(environmentUrl?: string): Promise<void> {
    const description = this.options?.rollback ? 'Rolled back' : 'Deployed';
    await this.end({ state: 'success', description, ...(environmentUrl ? { environmentUrl } : {}) });
    if (this.options?.rollback && this.id !== undefined) await this.retireReplaced(this.id);
  }

  /** The deploy failed and nothing was rolled back. */
  async failed(reason: string): Promise<void> {
    await this.end({ state: 'failure', description: `Failed: ${reason}` });
  }

  /** The deploy failed and the service went back to what ran before: this version never ran. */
  async rolledBack(reason: string): Promise<void> {
    await this.end({ state: 'failure', description: `Rolled back: ${reason}` });
  }

  /** The runner cancelled the step; what was in flight may still be going on in AWS. */
  async cancelled(reason: string): Promise<void> {
    await this.end({ state: 'error', description: `Cancelled: ${reason}` });
  }

  private async end(status: Omit<NewDeploymentStatus, 'logUrl'>): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.post(status);
  }

  private async post(status: Omit<NewDeploymentStatus, 'logUrl'>, id = this.id): Promise<boolean> {
    if (id === undefined || this.ports === undefined) return false;
    const { api, run } = this.ports;
    try {
      await api.createStatus(id, { ...status, description: clip(status.description), logUrl: run.logUrl });
      return true;
    } catch (err) {
      warn(this.ports, `Could not set GitHub deployment ${id} to ${status.state}: ${messageOf(err)}`);
      return false;
    }
  }

  /**
   * GitHub marks earlier successful deployments inactive by itself only outside production
   * environments; a rollback does it here for every environment, so the page never shows two
   * versions as running.
   */
  private async retireReplaced(current: number): Promise<void> {
    if (this.ports === undefined || this.options === undefined) return;
    const { api } = this.ports;
    try {
      const ids = (await api.listDeployments(this.options.environment)).filter((id) => id !== current);
      for (const id of ids) {
        if ((await api.latestState(id)) !== 'success') continue;
        await this.post(
          { state: 'inactive', description: `Replaced by rollback (deployment ${current})` },
          id,
        );
      }
    } catch (err) {
      warn(this.ports, `Could not mark the replaced GitHub deployments inactive: ${messageOf(err)}`);
    }
  }
}

/**
 * Creates the deployment and sets it `in_progress`. Never throws: when GitHub refuses, the
 * reason is a warning and the record that comes back records nothing.
 */
export async function startDeploymentRecord(
  options: DeploymentRecordOptions,
  ports: DeploymentRecordPorts,
): Promise<DeploymentRecord> {
  if (options.environment.trim() === '') return DeploymentRecord.none();
  const production = options.production ?? looksLikeProduction(options.environment);
  let id: number | undefined;
  try {
    id = await ports.api.createDeployment({
      ref: ports.run.sha,
      environment: options.environment,
      description: clip(options.description),
      task: options.task ?? 'deploy',
      productionEnvironment: production,
      transientEnvironment: false,
      payload: options.payload ?? {},
    });
  } catch (err) {
    warn(ports, `Could not create a GitHub deployment for ${options.environment}: ${messageOf(err)}`);
    return DeploymentRecord.none();
  }
  if (id === undefined) {
    warn(ports, `GitHub created no deployment for ${options.environment}; the deploy goes on without one`);
    return DeploymentRecord.none();
  }
  const record = new DeploymentRecord(id, ports, options);
  try {
    await ports.api.createStatus(id, {
      state: 'in_progress',
      description: clip(options.rollback ? 'Rolling back' : 'Deploying'),
      logUrl: ports.run.logUrl,
    });
  } catch (err) {
    warn(ports, `Could not set GitHub deployment ${id} to in_progress: ${messageOf(err)}`);
  }
  (ports.log ?? runnerLog).info(`GitHub deployment ${id} for ${options.environment}: in progress`);
  return record;
}

export interface RecordDeploymentInputs extends DeploymentRecordOptions {
  /** The `github-token` input; empty records nothing. */
  token: string;
}

/**
 * What a deploy action calls: masks the token, reads the run from the environment, connects to
 * GITHUB_API_URL and starts the record. With no token or environment it records nothing, silently;
 * outside a workflow run (variables missing) it warns and records nothing.
 */
export async function recordDeployment(
  inputs: RecordDeploymentInputs,
  env: Env = process.env,
  log: Log = runnerLog,
  connect: (token: string, run: GitHubRun) => DeploymentsApi = restDeploymentsApi,
): Promise<DeploymentRecord> {
  if (inputs.token === '' || inputs.environment.trim() === '') return DeploymentRecord.none();
  maskSecret(inputs.token);
  const run = readGitHubRun(env);
  if ('missing' in run) {
    log.warning(`No GitHub deployment recorded: ${run.missing.join(', ')} not set (not in a workflow run?)`);
    return DeploymentRecord.none();
  }
  let api: DeploymentsApi;
  try {
    api = connect(inputs.token, run);
  } catch (err) {
    log.warning(`No GitHub deployment recorded: ${messageOf(err)}`);
    return DeploymentRecord.none();
  }
  const { token: _token, ...options } = inputs;
  return startDeploymentRecord(options, { api, run, log });
}

/** A GitHub that does not answer must not hold a deploy for the client's default 3 minutes. */
const GITHUB_CALL_TIMEOUT_MS = 20_000;

/** GitHub's REST API version the four calls are written against (docs.github.com/rest, "API versions"). */
const GITHUB_API_VERSION = '2022-11-28';

/**
 * The real port: the four REST calls over @actions/http-client (which @actions/core already brings
 * into every bundle, with the runner's proxy settings), against GITHUB_API_URL so GitHub Enterprise
 * Server and a local stand-in work alike. Octokit's generated endpoint table would add some 130 KB
 * to each bundle for these four routes.
 */
export function restDeploymentsApi(
  token: string,
  run: GitHubRun,
  timeoutMs = GITHUB_CALL_TIMEOUT_MS,
): DeploymentsApi {
  const client = new HttpClient('deploy-suite', [], { socketTimeout: timeoutMs, allowRetries: false });
  const headers = {
    authorization: `token ${token}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': GITHUB_API_VERSION,
  };
  const repo = `${run.apiUrl.replace(/\/+$/, '')}/repos/${run.owner}/${run.repo}`;
  const post = async <T>(path: string, body: object): Promise<T | null> =>
    answerOf(await client.postJson<T>(`${repo}${path}`, body, { ...headers }), path);
  const get = async <T>(path: string): Promise<T | null> =>
    answerOf(await client.getJson<T>(`${repo}${path}`, { ...headers }), path);
  return {
    async createDeployment(deployment) {
      const answer = await post<{ id?: unknown }>('/deployments', {
        ref: deployment.ref,
        environment: deployment.environment,
        description: deployment.description,
        task: deployment.task,
        // The deploy is already running on this commit: never merge, never wait for checks.
        auto_merge: false,
        required_contexts: [],
        production_environment: deployment.productionEnvironment,
        transient_environment: deployment.transientEnvironment,
        payload: { ...deployment.payload },
      });
      // 202 (no id) means GitHub merged the default branch instead of creating a deployment.
      return typeof answer?.id === 'number' ? answer.id : undefined;
    },
    async createStatus(deploymentId, status) {
      await post(`/deployments/${deploymentId}/statuses`, {
        state: status.state,
        description: status.description,
        log_url: status.logUrl,
        ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
      });
    },
    async listDeployments(environment) {
      const query = new URLSearchParams({ environment, per_page: '30' });
      const answer = await get<Array<{ id: number }>>(`/deployments?${query}`);
      return (answer ?? []).map((deployment) => deployment.id);
    },
    async latestState(deploymentId) {
      const answer = await get<Array<{ state: string }>>(`/deployments/${deploymentId}/statuses?per_page=1`);
      return answer?.[0]?.state;
    },
  };
}

/**
 * The client rejects other errors with GitHub's own message but answers 404 with no error (its
 * "not found is null" rule): here a missing repository or deployment is a failure like any other.
 */
function answerOf<T>(response: TypedResponse<T>, path: string): T | null {
  if (response.statusCode === 404) throw new Error(`GitHub answered 404 Not Found for ${path.split('?')[0]}`);
  return response.result;
}

function warn(ports: Pick<DeploymentRecordPorts, 'log'>, message: string): void {
  (ports.log ?? runnerLog).warning(message);
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= MAX_DESCRIPTION ? line : `${line.slice(0, MAX_DESCRIPTION - 1)}…`;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
