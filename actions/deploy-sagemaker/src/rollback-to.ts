import {
  DescribeEndpointConfigCommand,
  type DeploymentConfig,
  type DescribeEndpointConfigOutput,
} from '@aws-sdk/client-sagemaker';
import {
  DeployFailed,
  DeploymentRecorder,
  InputError,
  readEnvironmentUrl,
  readGitHubDeploymentInputs,
  readKeepVersions,
  readTimeout,
  readWait,
  Timeline,
  type ActionResult,
  type GitHubDeploymentInputs,
  type InputReader,
} from '@deploy-suite/kit';
import { EndpointFollower } from './follow';
import { startRollbackRecord } from './github-record';
import { nameInput, readDeploymentSettings } from './inputs';
import { deploymentConfig, NAME_PATTERN, resourceNameBase, type DeploymentSettings } from './plan';
import type { Ports } from './ports';
import { PREVIOUS_TAG, readPreviousRecord } from './previous-record';
import { recordedRun } from './recorded-run';
import { newOutcome, type Outcome } from './report';
import { restoreConfig } from './restore';
import { describeEndpoint } from './sagemaker';
import { refuseInstanceSteps } from './serverless';
import { shownText } from './text';
import { verdictOf } from './verdict';

/** `rollback-to`: `previous` (the recorded configuration served before the current one), or a configuration's name. */
export type RollbackTarget =
  { readonly kind: 'previous' } | { readonly kind: 'config'; readonly name: string };

export interface RollbackInputs {
  readonly endpointName: string;
  readonly rollbackTo: RollbackTarget;
  /**
   * How traffic moves back: the same `deployment`, steps, `wait-interval`, `bake-minutes` and
   * `alarms` as a deploy's (UpdateEndpoint takes a DeploymentConfig for any configuration); by
   * default all at once.
   */
  readonly deployment: DeploymentSettings;
  readonly wait: boolean;
  readonly timeoutMs: number;
  /** keep-versions after a rollback that succeeded, as after a deploy (deploy-beanstalk's rollback-to prunes too). */
  readonly keepVersions: number;
  /** The GitHub deployment to record (task `deploy:rollback`). */
  readonly github: GitHubDeploymentInputs;
  readonly environmentUrl: string | undefined;
  readonly region: string | undefined;
}

/** Inputs that describe a new model or variant: a rollback returns to a configuration as it is. */
const DEPLOY_INPUTS = [
  'image',
  'execution-role-arn',
  'instance-type',
  'memory-size',
  'model-data',
  'environment-variables',
  'smoke-test-payload',
] as const;

/** The rollback's inputs when `rollback-to` is given; undefined for a deploy. */
export function readRollbackInputs(read: InputReader): Readonly<RollbackInputs> | undefined {
  const value = read.optional('rollback-to');
  if (value === undefined) return undefined;
  const endpointName = nameInput('endpoint-name', read.required('endpoint-name'));
  for (const input of DEPLOY_INPUTS)
    if (read.optional(input) !== undefined)
      throw new InputError(
        input,
        'cannot be combined with rollback-to, which returns the endpoint to an existing configuration as it is',
      );
  const deployment = readDeploymentSettings(read);
  deploymentConfig(deployment); // refuses sizes, waits and alarms out of SageMaker's bounds now
  return Object.freeze({
    endpointName,
    rollbackTo: rollbackTarget(endpointName, value),
    deployment,
    wait: readWait(read),
    timeoutMs: readTimeout(read),
    keepVersions: readKeepVersions(read),
    github: readGitHubDeploymentInputs(read, endpointName),
    environmentUrl: readEnvironmentUrl(read),
    region: read.optional('aws-region'),
  });
}

/**
 * `previous`, or the name of one of this endpoint's configurations: the names this action gives
 * them, `<endpoint>-<digest12>-<hash8>`, all start with the endpoint's name (cut to fit 63).
 */
export function rollbackTarget(endpointName: string, value: string): RollbackTarget {
  if (value === 'previous') return { kind: 'previous' };
  const prefix = `${resourceNameBase(endpointName)}-`;
  if (value.length > 63 || !NAME_PATTERN.test(value) || !value.startsWith(prefix) || value === prefix)
    throw new InputError(
      'rollback-to',
      `must be previous or the name of an endpoint configuration of ${endpointName} (${prefix}…); got '${shownText(value, 100)}'`,
    );
  return { kind: 'config', name: value };
}

/**
 * Returns the endpoint to an existing configuration (for workflow_dispatch rollbacks): nothing is
 * created, the update is followed like a deploy's, and a failure is not rolled back again
 * (SageMaker's own rollback of a failed update still reports `rolled-back`).
 */
export async function rollBackTo(inputs: Readonly<RollbackInputs>, ports: Ports): Promise<ActionResult> {
  const timeline = new Timeline(ports.clock);
  const outcome = newOutcome(inputs.endpointName);
  return recordedRun(inputs, ports, timeline, outcome, (recorder) =>
    returnTo(inputs, ports, timeline, outcome, recorder),
  );
}

async function returnTo(
  inputs: Readonly<RollbackInputs>,
  ports: Ports,
  timeline: Timeline,
  outcome: Outcome,
  recorder: DeploymentRecorder,
): Promise<void> {
  const name = inputs.endpointName;
  const endpoint = await describeEndpoint(ports.sagemaker, name);
  if (!endpoint) throw new DeployFailed(`${name} does not exist: there is nothing to roll back`);
  outcome.endpointArn = endpoint.EndpointArn;
  if (endpoint.EndpointStatus !== 'InService')
    throw new DeployFailed(
      `${name} is ${endpoint.EndpointStatus ?? 'unknown'}; SageMaker updates only an InService endpoint, so roll back when that ends`,
    );
  const target = await targetName(inputs, ports, endpoint.EndpointArn ?? '');
  const config = await describeTarget(ports, target);
  const deployment = deploymentFor(inputs.deployment, config, target);
  outcome.endpointConfigName = target;
  outcome.modelName = config.ProductionVariants?.[0]?.ModelName;
  if (endpoint.EndpointConfigName === target) {
    outcome.action = 'nothing';
    outcome.status = 'succeeded';
    outcome.verdict = `${name} already serves ${target}: nothing to roll back`;
    ports.log.info(outcome.verdict);
    return;
  }
  outcome.action = 'update';
  outcome.previous = endpoint.EndpointConfigName;
  await startRollbackRecord(recorder, name, {
    modelName: outcome.modelName ?? '',
    endpointConfigName: target,
  });
  ports.log.info(`Rolling ${name} back to ${target} (serving ${outcome.previous ?? 'nothing'})`);
  timeline.note(`rolling back to ${target}`);
  const follower = new EndpointFollower(ports, timeline, inputs.timeoutMs, true);
  const { endpoint: last } = await restoreConfig(
    ports.sagemaker,
    name,
    target,
    inputs.wait ? (config) => follower.follow(name, config) : undefined,
    deployment,
  );
  if (last === undefined) {
    outcome.status = 'started';
    outcome.verdict = `Rolling ${name} back to ${target} started; not waiting (wait: false)`;
    return;
  }
  const verdict = verdictOf(last, name, target, outcome.previous);
  outcome.status = verdict.status;
  outcome.verdict =
    verdict.status === 'succeeded' ? `Rolled ${name} back to ${target}; it is InService` : verdict.verdict;
  if (verdict.status !== 'succeeded')
    throw new DeployFailed(
      outcome.verdict,
      last.FailureReason ? [`FailureReason: ${last.FailureReason}`] : [],
      verdict.status,
    );
  ports.log.info(outcome.verdict);
}

async function targetName(
  inputs: Readonly<RollbackInputs>,
  ports: Ports,
  endpointArn: string,
): Promise<string> {
  if (inputs.rollbackTo.kind === 'config') return inputs.rollbackTo.name;
  const recorded = await readPreviousRecord(ports.sagemaker, endpointArn);
  if (recorded === undefined)
    throw new DeployFailed(
      `No previous endpoint configuration is recorded on ${inputs.endpointName} (tag ${PREVIOUS_TAG}, written after each successful update); ` +
        `name the configuration instead: rollback-to: ${resourceNameBase(inputs.endpointName)}-…`,
    );
  // The tag is outside data too: it must name one of this endpoint's configurations.
  const named = rollbackTarget(inputs.endpointName, recorded);
  if (named.kind !== 'config')
    throw new DeployFailed(`The ${PREVIOUS_TAG} tag of ${inputs.endpointName} names no configuration`);
  return named.name;
}

/**
 * The way back as UpdateEndpoint's DeploymentConfig. A step counted in instances means nothing for
 * a serverless configuration (as for a deploy with memory-size): refused before the update.
 */
function deploymentFor(
  settings: DeploymentSettings,
  config: DescribeEndpointConfigOutput,
  target: string,
): DeploymentConfig {
  if (config.ProductionVariants?.some((variant) => variant.ServerlessConfig !== undefined))
    refuseInstanceSteps(settings, `for ${target}, which is serverless`);
  return deploymentConfig(settings);
}

/** The configuration, which must exist; SageMaker's not-found answer becomes one line naming rollback-to. */
async function describeTarget(ports: Ports, target: string) {
  try {
    return await ports.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: target }));
  } catch (err) {
    if (err instanceof Error && /Could not find endpoint configuration/i.test(err.message))
      throw new InputError('rollback-to', `names ${target}, which is not an existing endpoint configuration`);
    throw err;
  }
}
