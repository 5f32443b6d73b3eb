import {
  CreateEndpointCommand,
  UpdateEndpointCommand,
  type DeploymentConfig,
} from '@aws-sdk/client-sagemaker';
import {
  DeploymentRecorder,
  DeployFailed,
  InputError,
  messageOf,
  Timeline,
  type ActionResult,
} from '@deploy-suite/kit';
import { startRecord } from './github-record';
import type { Inputs } from './inputs';
import { deploymentConfig, endpointAction, resourceNames, type EndpointAction } from './plan';
import type { Ports } from './ports';
import { recordedRun } from './recorded-run';
import { newOutcome, type Outcome } from './report';
import { conversionRefusal } from './serverless';
import { EndpointFollower } from './follow';
import { writePreviousRecord } from './previous-record';
import { restoreConfig } from './restore';
import { runSmokeTest } from './smoke-test';
import {
  carryOver,
  createEndpointConfigRequest,
  createModelRequest,
  NOTHING_CARRIED,
  type Carried,
} from './carry';
import { describeEndpoint, ensureEndpointConfig, ensureModel, lastLogLines, readServed } from './sagemaker';
import { verdictOf, type EndpointView } from './verdict';

/** How far the runner's clock and CloudWatch's may differ when reading this run's log lines. */
const CLOCK_SKEW_MS = 60_000;
/** Another change in progress is waited for, then the decision is made again, at most this often. */
const DECISIONS = 3;

/**
 * Plans (pure: a bad input stops here, before any call), then creates what is missing, creates or
 * updates the endpoint, and follows it; returns the result, or throws a failure carrying it.
 */
export async function deploy(inputs: Readonly<Inputs>, ports: Ports): Promise<ActionResult> {
  const names = resourceNames(inputs.endpointName, inputs.model, inputs.variant);
  const config = deploymentConfig(inputs.deployment);
  const timeline = new Timeline(ports.clock);
  const outcome = newOutcome(inputs.endpointName);
  outcome.modelName = names.modelName;
  outcome.endpointConfigName = names.endpointConfigName;
  return recordedRun(
    inputs,
    ports,
    timeline,
    outcome,
    (recorder) => new Deployment(inputs, ports, timeline, outcome, config, recorder).run(),
    (message) => `${message}; SageMaker goes on with what was started (run again to follow it)`,
  );
}

class Deployment {
  private readonly follower: EndpointFollower;
  /** What the update keeps from the configuration the endpoint serves; decided with the names. */
  private carried: Carried = NOTHING_CARRIED;

  constructor(
    private readonly inputs: Readonly<Inputs>,
    private readonly ports: Ports,
    private readonly timeline: Timeline,
    private readonly outcome: Outcome,
    private readonly config: DeploymentConfig,
    private readonly recorder: DeploymentRecorder,
  ) {
    this.follower = new EndpointFollower(ports, timeline, inputs.timeoutMs, inputs.rollbackOnFailure);
  }

  async run(): Promise<void> {
    const { inputs, ports, outcome } = this;
    const name = inputs.endpointName;
    const action = await this.decide(name);
    const target = outcome.endpointConfigName ?? '';
    if (action.kind !== 'wait' && action.kind !== 'blocked') outcome.action = action.kind;
    await startRecord(this.recorder, inputs, {
      modelName: outcome.modelName ?? '',
      endpointConfigName: target,
    });
    await this.prepare(target);
    if (action.kind === 'nothing') {
      outcome.status = 'succeeded';
      outcome.verdict = `${name} already serves ${target}; nothing to change`;
      ports.log.info(outcome.verdict);
      await this.smokeTest(name, target);
      return;
    }
    // A refusal (ResourceLimitExceeded, an endpoint busy) is AWS's answer, named by the kit's
    // client (`SageMaker CreateEndpoint failed after 1 attempt: …`): one line, status failed.
    if (action.kind === 'create') {
      const created = await ports.sagemaker.send(
        new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: target }),
      );
      outcome.endpointArn = created.EndpointArn;
    }
    if (action.kind === 'update')
      await ports.sagemaker.send(
        new UpdateEndpointCommand({
          EndpointName: name,
          EndpointConfigName: target,
          DeploymentConfig: this.config,
        }),
      );
    const verb = action.kind === 'create' ? 'Creating' : action.kind === 'update' ? 'Updating' : 'Following';
    ports.log.info(
      `${verb} ${name} with ${target}${outcome.previous ? ` (serving ${outcome.previous})` : ''}`,
    );
    this.timeline.note(`${verb.toLowerCase()} ${name} with ${target}`);
    if (!inputs.wait) {
      outcome.status = 'started';
      outcome.verdict = `${verb} ${name} with ${target} started; not waiting (wait: false)`;
      return;
    }
    await this.judge(await this.follow(name, target), name, target);
  }

  /** Create, update, follow or nothing; another change in progress is waited for first. */
  private async decide(name: string): Promise<EndpointAction> {
    for (let round = 1; ; round++) {
      const endpoint = await describeEndpoint(this.ports.sagemaker, name);
      const blocked = endpointAction(endpoint, '');
      if (blocked.kind === 'blocked')
        throw new DeployFailed(`${name} cannot be deployed to: ${blocked.reason}`);
      // Read again after each wait: the change waited for may have moved the endpoint.
      const target = await this.name(endpoint?.EndpointConfigName);
      this.outcome.endpointArn = endpoint?.EndpointArn;
      this.outcome.previous =
        endpoint?.EndpointConfigName === target ? undefined : endpoint?.EndpointConfigName;
      const action = endpointAction(endpoint, target);
      const conversion =
        action.kind === 'update'
          ? conversionRefusal(endpoint?.ProductionVariants, this.inputs.variant)
          : undefined;
      if (conversion !== undefined)
        throw new InputError('memory-size', `cannot update ${name}: ${conversion}`);
      if (action.kind !== 'wait' || round >= DECISIONS) {
        if (action.kind === 'wait')
          throw new DeployFailed(
            `${name} is still ${action.status} with another change; try again when it ends`,
          );
        return action;
      }
      this.ports.log.info(`${name} is ${action.status} with another change; waiting until it ends`);
      this.timeline.note(`waiting for ${name}'s change in progress (${action.status})`);
      await this.follow(name, undefined);
    }
  }

  /**
   * The names of the new model and configuration, from the inputs and what the configuration the
   * endpoint serves (`served`) carries over; sets them in the outcome and returns the configuration's.
   */
  private async name(served: string | undefined): Promise<string> {
    const { inputs, ports, outcome } = this;
    const found =
      served === undefined
        ? undefined
        : await readServed(ports.sagemaker, served, inputs.variant.variantName, (line) =>
            ports.log.warning(line),
          );
    this.carried = carryOver(inputs.endpointName, found, inputs.model, inputs.variant);
    const names = resourceNames(inputs.endpointName, inputs.model, inputs.variant, this.carried);
    outcome.modelName = names.modelName;
    outcome.endpointConfigName = names.endpointConfigName;
    outcome.kept = [...this.carried.kept];
    outcome.replaced = [...this.carried.replaced];
    if (served !== undefined && found === undefined)
      ports.log.warning(
        `${inputs.endpointName} serves ${served}, which no longer exists: nothing of it is carried over`,
      );
    return names.endpointConfigName;
  }

  /** The model and the configuration, created unless a re-run already did. */
  private async prepare(target: string): Promise<void> {
    const { inputs, ports, outcome, carried } = this;
    const modelName = outcome.modelName ?? '';
    if (outcome.kept.length > 0)
      ports.log.info(`Kept from ${outcome.previous ?? target}: ${outcome.kept.join(', ')}`);
    if (outcome.replaced.length > 0) ports.log.info(`Replaced by the inputs: ${outcome.replaced.join(', ')}`);
    const model = await ensureModel(ports.sagemaker, createModelRequest(modelName, inputs.model, carried));
    const config = await ensureEndpointConfig(
      ports.sagemaker,
      createEndpointConfigRequest(target, modelName, inputs.variant, carried),
    );
    for (const [what, resource, how] of [
      ['model', modelName, model],
      ['endpoint configuration', target, config],
    ] as const) {
      const line = `${how === 'created' ? 'Created' : 'Reused the existing'} ${what} ${resource}`;
      ports.log.info(line);
      outcome.notes.push(line);
      this.timeline.note(line);
    }
  }

  private follow(name: string, target: string | undefined): Promise<EndpointView> {
    return this.follower.follow(name, target);
  }

  private async judge(endpoint: EndpointView, name: string, target: string): Promise<void> {
    const { outcome } = this;
    const verdict = verdictOf(endpoint, name, target, outcome.previous);
    outcome.status = verdict.status;
    outcome.verdict = verdict.verdict;
    if (verdict.status === 'succeeded') {
      this.ports.log.info(verdict.verdict);
      await this.smokeTest(name, target);
      // What rollback-to: previous returns to; only an update that served has a previous to record.
      if (outcome.previous !== undefined && outcome.endpointArn !== undefined)
        await writePreviousRecord(
          this.ports.sagemaker,
          this.ports.log,
          outcome.endpointArn,
          outcome.previous,
        );
      return;
    }
    const evidence = [
      ...(endpoint.FailureReason ? [`FailureReason: ${endpoint.FailureReason}`] : []),
      ...(await this.logLines(name)),
    ];
    throw new DeployFailed(verdict.verdict, evidence, verdict.status);
  }

  /**
   * `smoke-test-payload`: one InvokeEndpoint on the configuration now serving. A failure fails the
   * deploy; with rollback-on-failure, the configuration served before this run is put back first.
   */
  private async smokeTest(name: string, target: string): Promise<void> {
    const { inputs, ports, outcome } = this;
    if (!inputs.smokeTest) return;
    const result = await runSmokeTest(ports.runtime, name, inputs.smokeTest);
    outcome.smokeTest = result;
    ports.log.info(result.line);
    this.timeline.note(result.passed ? 'smoke test passed' : 'smoke test failed');
    if (result.passed) return;
    const evidence = [
      `InvokeEndpoint: ${result.error}`,
      ...(result.response ? [`Smoke test response: ${result.response}`] : []),
    ];
    const previous = outcome.previous;
    if (previous === undefined || !inputs.rollbackOnFailure) {
      const kept =
        previous === undefined
          ? 'no earlier configuration to return to'
          : 'not rolled back: rollback-on-failure is false';
      outcome.verdict = `${name} serves ${target}, but the smoke test failed (${result.cause}; ${kept})`;
      throw new DeployFailed(outcome.verdict, evidence, 'failed');
    }
    // Said before the update back, so a refusal of it still reports the smoke test as the cause.
    outcome.verdict = `the smoke test of ${name} on ${target} failed (${result.cause}); returning to ${previous}`;
    ports.log.info(`Putting ${name} back on ${previous}, which it served before this run`);
    this.timeline.note(`restoring ${previous}`);
    const { restored, endpoint } = await restoreConfig(ports.sagemaker, name, previous, (config) =>
      this.follow(name, config),
    );
    outcome.verdict = restored
      ? `the smoke test of ${name} on ${target} failed (${result.cause}); ${previous} serves again`
      : `the smoke test of ${name} on ${target} failed (${result.cause}), and returning to ${previous} did not complete: ${name} is ${endpoint?.EndpointStatus ?? 'unknown'} on ${endpoint?.EndpointConfigName ?? 'no configuration'}`;
    throw new DeployFailed(outcome.verdict, evidence, restored ? 'rolled-back' : 'failed');
  }

  /** The endpoint's last log lines of this run; a failure to read them is a warning, not the verdict. */
  private async logLines(name: string): Promise<string[]> {
    try {
      const lines = await lastLogLines(this.ports.logs, name, this.timeline.start - CLOCK_SKEW_MS);
      return lines.length > 0 ? [`Last log lines of /aws/sagemaker/Endpoints/${name}:`, ...lines] : [];
    } catch (err) {
      this.ports.log.warning(`The endpoint's log lines could not be read: ${messageOf(err)}`);
      return [];
    }
  }
}
