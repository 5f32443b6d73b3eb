import { DeployFailed, InputError, messageOf } from './errors';
import {
  restDeploymentsApi,
  recordDeployment,
  type DeploymentRecord,
  type DeploymentRecordOptions,
  type DeploymentsApi,
  type GitHubRun,
} from './github-deployment';
import type { Env, InputReader } from './inputs';
import type { Log } from './report';
import { failureStatus } from './result';

/**
 * How a deploy action records one GitHub deployment: inputs read the same way in every action,
 * the record started lazily just before the first change in AWS, and ended once by the outcome.
 * A deploy that stops before changing anything (bad label, register only) leaves no deployment.
 */

/** Opens GitHub's deployments API; the real one is restDeploymentsApi, tests pass a fake. */
export type ConnectGitHub = (token: string, run: GitHubRun) => DeploymentsApi;

/** The GitHub side of an action's ports. */
export interface GitHubPort {
  connectGitHub: ConnectGitHub;
  /** The runner's variables: GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_RUN_ID, GITHUB_API_URL. */
  env: Env;
}

export function runnerGitHub(env: Env = process.env): GitHubPort {
  return { connectGitHub: restDeploymentsApi, env };
}

/** The `github-token` and `github-environment` inputs. */
export interface GitHubDeploymentInputs {
  /** Empty records nothing. */
  token: string;
  /** The GitHub environment the deployment is recorded under; empty records nothing. */
  environment: string;
}

/** GitHub refuses longer environment names. */
const MAX_ENVIRONMENT_NAME = 255;

/**
 * Reads `github-token` and `github-environment`; an empty environment name becomes `fallback`
 * (what the action deploys to), so naming it is needed only to choose another name.
 */
export function readGitHubDeploymentInputs(read: InputReader, fallback: string): GitHubDeploymentInputs {
  const environment = read.optional('github-environment') ?? fallback;
  if (/[\r\n]/.test(environment)) throw new InputError('github-environment', 'must be one line');
  if (environment.length > MAX_ENVIRONMENT_NAME) {
    throw new InputError(
      'github-environment',
      `must be at most ${MAX_ENVIRONMENT_NAME} characters; got ${environment.length}`,
    );
  }
  return { token: read.string('github-token'), environment };
}

/**
 * `environment-url`: the link a successful deployment shows, for services that have no URL of their
 * own to report (an ECS service, a SageMaker endpoint). Only http(s), as GitHub shows it as a link.
 */
export function readEnvironmentUrl(read: InputReader): string | undefined {
  const value = read.optional('environment-url');
  if (value === undefined) return undefined;
  const protocol = URL.canParse(value) ? new URL(value).protocol : '';
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new InputError('environment-url', `must be an http(s) URL; got '${value}'`);
  }
  return value;
}

/** How the deploy ended, as the deployment's last status. */
export type DeployEnding =
  | { kind: 'succeeded'; environmentUrl?: string | undefined }
  | { kind: 'rolled-back'; reason: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'cancelled'; reason: string }
  /** Started and not followed (wait: false): the action never sees the end, so it stays in progress. */
  | { kind: 'unfollowed' };

export class DeploymentRecorder {
  private record: Promise<DeploymentRecord> | undefined;

  constructor(
    private readonly inputs: GitHubDeploymentInputs,
    private readonly github: GitHubPort,
    private readonly log: Log,
  ) {}

  /**
   * Creates the deployment, in progress, on the first call; later calls do nothing. Call it just
   * before the first change in AWS. Never throws: GitHub's refusals are warnings.
   */
  async start(what: Omit<DeploymentRecordOptions, 'environment'>): Promise<void> {
    this.record ??= recordDeployment(
      { ...what, token: this.inputs.token, environment: this.inputs.environment },
      this.github.env,
      this.log,
      this.github.connectGitHub,
    );
    await this.record;
  }

  /** Sets the last status; nothing when the deployment was never started. Never throws. */
  async end(ending: DeployEnding): Promise<void> {
    if (this.record === undefined) return;
    const record = await this.record;
    if (ending.kind === 'succeeded') await record.succeeded(ending.environmentUrl);
    else if (ending.kind === 'rolled-back') await record.rolledBack(ending.reason);
    else if (ending.kind === 'failed') await record.failed(ending.reason);
    else if (ending.kind === 'cancelled') await record.cancelled(ending.reason);
  }
}

/**
 * A thrown failure as an ending: rolled back (with the first piece of evidence as the reason,
 * since the message only says that it failed) when the service runs the previous version again.
 */
export function endingOfFailure(err: unknown): DeployEnding {
  const status = failureStatus(err);
  if (status === 'rolled-back' && err instanceof DeployFailed) {
    return { kind: 'rolled-back', reason: err.reasons[0] ?? err.message };
  }
  return { kind: status === 'rolled-back' ? 'failed' : status, reason: messageOf(err) };
}

/**
 * Runs a deploy that may start `recorder`, then ends the deployment by what `work` returns, or
 * by what it threw (rethrown unchanged).
 */
export async function withDeploymentRecord(
  recorder: DeploymentRecorder,
  work: () => Promise<DeployEnding>,
): Promise<void> {
  let ending: DeployEnding;
  try {
    ending = await work();
  } catch (err) {
    await recorder.end(endingOfFailure(err));
    throw err;
  }
  await recorder.end(ending);
}
