import {
  AbortEnvironmentUpdateCommand,
  DeleteApplicationVersionCommand,
  UpdateEnvironmentCommand,
  type EnvironmentDescription,
} from '@aws-sdk/client-elastic-beanstalk';
import {
  Cancelled,
  DeployFailed,
  DeploymentRecorder,
  failureStatus,
  InputError,
  maskSecret,
  messageOf,
  Timeline,
  withDeploymentRecord,
  withResult,
  type ActionResult,
  type DeployEnding,
} from '@deploy-suite/kit';
import {
  apiSettings,
  applicationExists,
  configurationOf,
  environmentsOf,
  environmentUrl,
  findEnvironment,
  findVersion,
  healthCauses,
  tagVersion,
  validateSettings,
  versionsOf,
  versionTags,
} from './beanstalk';
import { buildBundle, type Bundle } from './bundle';
import { checkCnamePrefix, createApplication, createEnvironment } from './create';
import type { Inputs } from './inputs';
import { ENVIRONMENT_NAMESPACE, maskableSecrets, showSetting, type OptionSetting } from './options';
import {
  describeHealth,
  planPrune,
  previousVersionTagKey,
  settingsChange,
  type SettingsChange,
} from './plan';
import type { Ports } from './ports';
import { inFlight, newOutcome, resultOf, type Outcome } from './report';
import { isInvalidState, repeatSafe } from './repeat-safe';
import { chooseApplicationVersion, createApplicationVersion } from './version';
import { EnvironmentWatcher, type WatchResult } from './watch';

/** A rollback restores a version that ran before; its usual colours count as recovered. */
const ROLLBACK_HEALTHY = ['Green', 'Yellow'];
/** How far the runner's clock and the service's may differ when telling an update's start from an older one. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Bundles, versions and deploys; returns the result to report, or throws a failure carrying it.
 * Everything before the upload only reads, so a refused label or a missing environment changes nothing.
 * A deploy to an environment is recorded as a GitHub deployment when github-token is given.
 */
export async function deploy(inputs: Readonly<Inputs>, ports: Ports): Promise<ActionResult> {
  const timeline = new Timeline(ports.clock);
  const outcome = newOutcome(inputs.application, inputs.environment);
  const recorder = new DeploymentRecorder(inputs.github, ports.github, ports.log);
  try {
    await withDeploymentRecord(recorder, async (): Promise<DeployEnding> => {
      await new Deployment(inputs, ports, timeline, outcome, recorder).run();
      return outcome.status === 'succeeded'
        ? { kind: 'succeeded', environmentUrl: outcome.url }
        : { kind: 'unfollowed' };
    });
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (err instanceof Cancelled) {
      outcome.status = 'cancelled';
      outcome.verdict = err.message;
      outcome.leftInFlight = inFlight(outcome, timeline);
      const failure = new DeployFailed(err.message, outcome.leftInFlight, 'cancelled');
      throw withResult(failure, resultOf(outcome, timeline, failure));
    }
    outcome.status = failureStatus(err);
    outcome.verdict ??= messageOf(err);
    throw withResult(err, resultOf(outcome, timeline, err));
  }
  return resultOf(outcome, timeline);
}

/** Registers secret values with the runner before anything that could echo them is printed. */
function maskSecretSettings(settings: readonly OptionSetting[]): void {
  for (const value of maskableSecrets(settings)) maskSecret(value);
}

class Deployment {
  private readonly watcher: EnvironmentWatcher;
  /** The settings this run changes and what they were before, once read. */
  private change: SettingsChange | undefined;

  constructor(
    private readonly inputs: Readonly<Inputs>,
    private readonly ports: Ports,
    private readonly timeline: Timeline,
    private readonly outcome: Outcome,
    private readonly recorder: DeploymentRecorder,
  ) {
    this.watcher = new EnvironmentWatcher(ports, timeline);
  }

  async run(): Promise<void> {
    const { inputs, ports, outcome } = this;
    // Reads first: what is missing, and whether a CNAME prefix is free, before anything changes.
    const applicationMissing = !(await applicationExists(ports.eb, inputs.application));
    if (applicationMissing && !inputs.create.application) {
      throw new DeployFailed(
        `Application ${inputs.application} does not exist; create it first, or set create-application: true`,
      );
    }
    let creating = false;
    if (inputs.environment !== undefined) {
      const environment = applicationMissing
        ? undefined
        : await findEnvironment(ports.eb, inputs.application, inputs.environment);
      if (environment) {
        outcome.url = environmentUrl(environment);
        outcome.environmentId = environment.EnvironmentId;
        await this.checkSettings(inputs.environment);
      } else if (inputs.create.environment) {
        creating = true;
        maskSecretSettings(inputs.settings);
        if (inputs.create.environment.cnamePrefix !== undefined)
          await checkCnamePrefix(ports, inputs.create.environment.cnamePrefix);
      } else {
        throw new DeployFailed(
          `Environment ${inputs.environment} does not exist in application ${inputs.application}; create it first, or set create-environment: true`,
        );
      }
    }
    if (applicationMissing) {
      await createApplication(ports, inputs.application);
      ports.log.info(`Created application ${inputs.application}`);
      this.timeline.note(`created application ${inputs.application}`);
    }

    const label = inputs.rollbackTo ? await this.rollbackTarget() : await this.prepareVersion();
    outcome.label = label;
    if (inputs.environment === undefined) {
      outcome.status = 'succeeded';
      outcome.verdict = `Version ${label} is ready; no environment to deploy to`;
      await this.prune([label]);
      return;
    }
    if (creating) await this.launch(inputs.environment, label);
    else await this.deployTo(inputs.environment, label);
  }

  /** create-environment: the environment is created running the version, then followed like an update (nothing to roll back to). */
  private async launch(name: string, label: string): Promise<void> {
    const { inputs, ports, outcome } = this;
    const plan = inputs.create.environment;
    if (!plan) throw new Error('launch needs create-environment');
    await this.recordStart(label);
    const asked = new Date(ports.clock.now());
    if (inputs.settings.length > 0)
      ports.log.info(`Option settings: ${inputs.settings.map(showSetting).join(', ')}`);
    const created = await createEnvironment(inputs, ports, name, label, plan);
    outcome.action = 'created';
    outcome.settings = inputs.settings.map(showSetting);
    outcome.environmentId = created.EnvironmentId;
    outcome.url = environmentUrl(created);
    const platform =
      'SolutionStackName' in plan.platform ? plan.platform.SolutionStackName : plan.platform.PlatformArn;
    ports.log.info(`Creating ${name} (${plan.tier}, ${platform}) running ${label}`);
    this.timeline.note(`environment ${name} created`);
    if (!inputs.wait) {
      this.finish(created, 'started', `Started creating ${name} with ${label}; not waiting (wait: false)`);
      return;
    }
    const result = await this.follow(
      `Launching ${name} with ${label}`,
      name,
      label,
      created.DateCreated ?? asked,
    );
    if (result.verdict.kind === 'succeeded') {
      this.finish(
        result.environment,
        'succeeded',
        `${name} was created and runs ${label}, Ready, health ${this.healthOf(result)}`,
      );
      ports.log.info(outcome.verdict ?? '');
      await this.prune([label]);
      return;
    }
    await this.fail(name, label, undefined, result);
  }

  /**
   * Secret values are masked before anything prints them; then Elastic Beanstalk judges the
   * settings for this environment, before any upload or update. Its errors are the user's to fix.
   */
  private async checkSettings(name: string): Promise<void> {
    const { inputs, ports } = this;
    if (inputs.settings.length === 0) return;
    maskSecretSettings(inputs.settings);
    ports.log.info(`Option settings: ${inputs.settings.map(showSetting).join(', ')}`);
    let verdict: { errors: string[]; warnings: string[] };
    try {
      verdict = await validateSettings(ports.eb, inputs.application, name, inputs.settings);
    } catch (err) {
      // UpdateEnvironment validates them again; a refused pre-check only loses the early answer.
      ports.log.warning(`Could not validate the option settings before the update: ${messageOf(err)}`);
      return;
    }
    for (const warning of verdict.warnings) ports.log.warning(`Option setting ${warning}`);
    const [first] = verdict.errors;
    if (first !== undefined) {
      const onlyVariables = inputs.settings.every((s) => s.namespace === ENVIRONMENT_NAMESPACE);
      throw new InputError(
        onlyVariables ? 'environment-variables' : 'option-settings',
        `Elastic Beanstalk refuses ${verdict.errors.join('; ')}`,
      );
    }
  }

  /** The version the bundle becomes: reused when the same bundle is already a version, else uploaded and created. */
  private async prepareVersion(): Promise<string> {
    const { inputs, ports, outcome } = this;
    const { source } = inputs;
    let bundle: Bundle | undefined;
    if (source.kind !== 'existing-version') {
      bundle = await ports.log.group('Bundle', async () => {
        const built = await buildBundle(source, ports.workDir, ports.log, ports.roots);
        ports.log.info(`Bundled ${built.origin}: md5 ${built.md5}`);
        return built;
      });
      outcome.bundle = { origin: bundle.origin, md5: bundle.md5, bytes: bundle.bytes, location: undefined };
    }
    const choice = await chooseApplicationVersion(inputs, ports, bundle);
    if (choice.kind === 'reuse') {
      ports.log.info(`Reusing version ${choice.label}: ${choice.why}`);
      outcome.versionNote = `reused: ${choice.why}`;
      this.timeline.note(`reused version ${choice.label}`);
      return choice.label;
    }
    if (!bundle) throw new Error('a new version needs a bundle');
    const made = bundle;
    await this.recordStart(choice.label);
    const created = await ports.log.group(`Create version ${choice.label}`, () =>
      createApplicationVersion(inputs, ports, choice.label, made),
    );
    outcome.versionNote = 'created by this run';
    if (outcome.bundle) outcome.bundle.location = `s3://${created.bucket}/${created.key}`;
    this.timeline.note(`created version ${choice.label}`);
    return choice.label;
  }

  /**
   * `rollback-to`: the label given, or for `previous` the version the environment ran before the
   * one it runs now, as recorded on that version's tags when it was deployed.
   */
  private async rollbackTarget(): Promise<string> {
    const { inputs, ports } = this;
    const target = inputs.rollbackTo;
    const name = inputs.environment;
    if (!target || name === undefined) throw new Error('rollbackTarget needs rollback-to and an environment');
    let label: string;
    if (target.kind === 'version') {
      label = target.label;
    } else {
      const environment = await this.readyEnvironment(name);
      const current = environment.VersionLabel;
      const version =
        current === undefined ? undefined : await findVersion(ports.eb, inputs.application, current);
      const recorded = version?.ApplicationVersionArn
        ? (await versionTags(ports.eb, version.ApplicationVersionArn)).get(previousVersionTagKey(name))
        : undefined;
      if (!recorded) {
        throw new DeployFailed(
          `No record of the version ${name} ran before ${current ?? 'its current version'}; give rollback-to a version label`,
        );
      }
      label = recorded;
      ports.log.info(`${name} runs ${current}; the version before it was ${label}`);
    }
    if (!(await findVersion(ports.eb, inputs.application, label))) {
      throw new DeployFailed(
        `Cannot roll back to ${label}: application ${inputs.application} has no such version`,
      );
    }
    this.outcome.versionNote = `rollback-to ${target.kind === 'previous' ? 'previous' : label}`;
    return label;
  }

  private async deployTo(name: string, label: string): Promise<void> {
    const { inputs, ports, outcome } = this;
    const environment = await this.readyEnvironment(name);
    const previous = environment.VersionLabel;
    outcome.previous = previous;
    if (inputs.settings.length > 0) {
      this.change = settingsChange(
        inputs.settings,
        await configurationOf(ports.eb, inputs.application, name),
      );
      outcome.settings = this.change.changed.map(showSetting);
    }
    const settingsHeld = (this.change?.changed.length ?? 0) === 0;
    if (
      previous === label &&
      settingsHeld &&
      inputs.healthyStates.some((colour) => colour === environment.Health)
    ) {
      this.finish(
        environment,
        'succeeded',
        `${name} already runs ${label}${inputs.settings.length > 0 ? ' with these settings' : ''} and health ${environment.Health}; nothing to do`,
      );
      outcome.action = 'reused';
      ports.log.info(outcome.verdict ?? '');
      await this.prune([label]);
      return;
    }
    await this.recordStart(label);
    const since = await this.startUpdate(name, label, this.change?.changed ?? []);
    outcome.action = inputs.rollbackTo ? 'rolled-back' : 'updated';
    if (!inputs.rollbackTo && previous !== undefined && previous !== label)
      await this.recordPrevious(name, label, previous);
    if (!inputs.wait) {
      this.finish(environment, 'started', `Started updating ${name} to ${label}; not waiting (wait: false)`);
      return;
    }
    const result = await this.follow(`Deploying ${label} to ${name}`, name, label, since);
    if (result.verdict.kind === 'succeeded') {
      this.finish(
        result.environment,
        'succeeded',
        `${name} runs ${label}, Ready, health ${this.healthOf(result)}`,
      );
      if (result.environment?.Health !== 'Green')
        outcome.causes = (await healthCauses(ports.eb, name)).causes;
      ports.log.info(outcome.verdict ?? '');
      await this.prune([label, ...(previous === undefined ? [] : [previous])]);
      return;
    }
    await this.fail(name, label, previous, result);
  }

  /** Watches `name` until it runs `label` healthily, fails, or the deadline: a deploy's or a launch's end. */
  private follow(title: string, name: string, label: string, since: Date): Promise<WatchResult> {
    const { inputs, ports } = this;
    return ports.log.group(title, () =>
      this.watcher.watch({
        application: inputs.application,
        environment: name,
        label,
        since,
        timeoutMs: inputs.timeoutMs,
        healthyStates: inputs.healthyStates,
        graceMs: inputs.healthGraceMs,
      }),
    );
  }

  private async fail(
    name: string,
    label: string,
    previous: string | undefined,
    result: WatchResult,
  ): Promise<never> {
    const { inputs, ports, outcome } = this;
    const why = result.verdict.kind === 'failed' ? result.verdict.why : 'unknown';
    const attempt =
      outcome.action === 'created' ? `Creating ${name} with ${label}` : `Deploying ${label} to ${name}`;
    const health = await healthCauses(ports.eb, name);
    outcome.causes = health.causes;
    this.finish(result.environment, 'failed', `${attempt} failed: ${why}`);
    // ERROR events first: they say what failed, while the health causes read at that moment may
    // still describe the update in progress.
    const evidence = [...result.errors.map((e) => `event: ${e}`), ...health.causes.map((c) => `cause: ${c}`)];
    const now = result.environment?.VersionLabel;
    if (now !== undefined && now !== label && now !== previous) {
      // Another run (or a person) deployed after this one; rolling back would undo theirs.
      throw new DeployFailed(
        `${outcome.verdict}; superseded by version ${now}, deployed after this run's update: not rolling back`,
        evidence,
        'failed',
      );
    }
    // The same version with changed settings can still be rolled back: its settings are set back.
    const settingsToUndo = (this.change?.changed.length ?? 0) > 0;
    if (!inputs.rollbackOnFailure || previous === undefined || (previous === label && !settingsToUndo)) {
      const note = !inputs.rollbackOnFailure
        ? 'rollback-on-failure is off'
        : outcome.action === 'created'
          ? 'the environment was created by this run; it is left as it is for inspection'
          : `there is no earlier version to roll back to`;
      throw new DeployFailed(`${outcome.verdict} (not rolled back: ${note})`, evidence, 'failed');
    }
    ports.log.info(`${outcome.verdict ?? ''}; rolling back`);
    const rollback = await ports.log.group(`Rolling back ${name} to ${previous}`, () =>
      this.rollBack(name, previous),
    );
    if (rollback.environment) this.noteEnvironment(rollback.environment);
    if (rollback.verdict.kind === 'succeeded') {
      outcome.status = 'rolled-back';
      outcome.action = 'rolled-back';
      const settingsNote = settingsToUndo ? ' with its earlier option settings' : '';
      outcome.rollback = `${name} runs ${previous} again${settingsNote}, health ${describeHealth(outcome)}`;
      throw new DeployFailed(`${outcome.verdict}; rolled back to ${previous}`, evidence, 'rolled-back');
    }
    outcome.rollback = `failed: ${rollback.verdict.kind === 'failed' ? rollback.verdict.why : ''}`;
    throw new DeployFailed(
      `${outcome.verdict}; the rollback to ${previous} failed too: ${outcome.rollback.slice('failed: '.length)}`,
      [...evidence, ...rollback.errors.map((e) => `rollback event: ${e}`)],
      'failed',
    );
  }

  /**
   * Back to the version that ran before: an update still in progress is aborted (which by itself
   * often restores the old version), then the environment is updated to it and followed like a deploy.
   */
  private async rollBack(name: string, target: string): Promise<WatchResult> {
    const { inputs, ports } = this;
    try {
      let environment = await findEnvironment(ports.eb, inputs.application, name);
      if (environment && environment.Status !== 'Ready' && environment.AbortableOperationInProgress) {
        try {
          await ports.eb.send(new AbortEnvironmentUpdateCommand({ EnvironmentName: name }));
          ports.log.info(`Aborted the update still in progress on ${name}`);
          this.timeline.note('aborted the update in progress');
        } catch (err) {
          // The update may have ended between the read and the abort; waiting for Ready covers both.
          ports.log.info(`Could not abort the update on ${name} (${messageOf(err)}); waiting for it to end`);
        }
      }
      environment = await this.readyEnvironment(name);
      // Already back on the target and healthy (an aborted update, or a failed immutable one) with
      // no settings to restore: followed as it is. Otherwise the target is deployed (again), with
      // the settings this run changed set back.
      const restore = this.change?.before ?? [];
      const remove = this.change?.added ?? [];
      const settled =
        environment.VersionLabel === target &&
        ROLLBACK_HEALTHY.includes(environment.Health ?? '') &&
        restore.length + remove.length === 0;
      // DescribeEvents returns events "on or after" StartTime: the event stamped at DateUpdated of a
      // settled environment is the ended update's last ("Failed to deploy application."), not news.
      const since = settled
        ? new Date((environment.DateUpdated ?? new Date(0)).getTime() + 1)
        : await this.startUpdate(name, target, restore, remove);
      return await this.watcher.watch({
        application: inputs.application,
        environment: name,
        label: target,
        since,
        timeoutMs: inputs.timeoutMs,
        healthyStates: ROLLBACK_HEALTHY,
        graceMs: inputs.healthGraceMs,
      });
    } catch (err) {
      if (!(err instanceof DeployFailed)) throw err;
      return { verdict: { kind: 'failed', why: err.message }, environment: undefined, errors: [] };
    }
  }

  /** The environment once it is Ready: an update someone else started is waited for, within the deadline. */
  private async readyEnvironment(name: string): Promise<EnvironmentDescription> {
    const { inputs, ports } = this;
    const environment = await findEnvironment(ports.eb, inputs.application, name);
    if (!environment) throw new DeployFailed(`Environment ${name} no longer exists`);
    if (environment.Status === 'Ready') return environment;
    ports.log.info(`${name} is ${environment.Status}; waiting until it is Ready before updating it`);
    return this.watcher.waitUntilReady(inputs.application, name, inputs.timeoutMs);
  }

  /** Starts the GitHub deployment (once) just before the first change: a new version's upload, or the update. */
  private async recordStart(label: string): Promise<void> {
    const { application, environment, rollbackTo } = this.inputs;
    if (environment === undefined) return;
    const target = `${application}/${environment}`;
    await this.recorder.start({
      description: rollbackTo ? `Roll back ${target} to ${label}` : `${label} to ${target}`,
      ...(rollbackTo && { task: 'deploy:rollback', rollback: true }),
      payload: { application, environment, 'version-label': label },
    });
  }

  /** Starts the update; returns its start in the service's time, from which its events are read. */
  private async startUpdate(
    name: string,
    label: string,
    settings: readonly OptionSetting[] = [],
    remove: readonly OptionSetting[] = [],
  ): Promise<Date> {
    const { ports } = this;
    const asked = new Date(ports.clock.now());
    const command = new UpdateEnvironmentCommand({
      EnvironmentName: name,
      VersionLabel: label,
      ...(settings.length > 0 && { OptionSettings: apiSettings(settings) }),
      ...(remove.length > 0 && {
        OptionsToRemove: remove.map((s) => ({
          Namespace: s.namespace,
          OptionName: s.optionName,
          ...(s.resourceName !== undefined && { ResourceName: s.resourceName }),
        })),
      }),
    });
    const answer = await repeatSafe<{ DateUpdated?: Date | undefined }>(
      () => ports.eb.send(command),
      (err) => this.updateStartedBefore(name, label, asked, err),
    );
    const changes = settings.length + remove.length;
    ports.log.info(
      `Updating ${name} to ${label}${changes > 0 ? ` with ${changes} option setting change(s)` : ''}`,
    );
    this.timeline.note(`update to ${label} started`);
    return answer.DateUpdated ?? asked;
  }

  /**
   * After "invalid state": the environment going to (or already on) this label is the update this
   * call started, answered by a retry after a lost answer; it is followed as if the call had
   * answered. An update to another label is someone else's, and this run's version was not deployed.
   */
  private async updateStartedBefore(
    name: string,
    label: string,
    asked: Date,
    err: unknown,
  ): Promise<{ DateUpdated: Date } | undefined> {
    const { inputs, ports } = this;
    if (!isInvalidState(err)) return undefined;
    const environment = await findEnvironment(ports.eb, inputs.application, name);
    if (environment === undefined) return undefined;
    if (environment.VersionLabel !== label) {
      throw new DeployFailed(
        `${name} is ${environment.Status ?? 'busy'} with an update to ${environment.VersionLabel ?? 'another version'} that this run did not start; ${label} was not deployed`,
      );
    }
    ports.log.info(
      `UpdateEnvironment answered that ${name} is in an invalid state; it is ${environment.Status ?? 'unknown'} on ${label}, so an earlier attempt of the same call started the update`,
    );
    // The update's start in the service's time, unless the environment reports an older one.
    const updated = environment.DateUpdated;
    return { DateUpdated: updated && updated.getTime() >= asked.getTime() - CLOCK_SKEW_MS ? updated : asked };
  }

  /**
   * Tags the new version with the one the environment ran before, for `rollback-to: previous`.
   * Version tags, not environment tags: tagging an environment makes Elastic Beanstalk update it.
   */
  private async recordPrevious(name: string, label: string, previous: string): Promise<void> {
    const { inputs, ports } = this;
    try {
      const arn = (await findVersion(ports.eb, inputs.application, label))?.ApplicationVersionArn;
      if (arn) await tagVersion(ports.eb, arn, previousVersionTagKey(name), previous);
    } catch (err) {
      ports.log.warning(`Could not record ${previous} as the version before ${label}: ${messageOf(err)}`);
    }
  }

  private finish(
    environment: EnvironmentDescription | undefined,
    status: Outcome['status'],
    verdict: string,
  ): void {
    const { outcome } = this;
    outcome.status = status;
    outcome.verdict = verdict;
    if (environment) this.noteEnvironment(environment);
  }

  private noteEnvironment(environment: EnvironmentDescription): void {
    this.outcome.health = environment.Health;
    this.outcome.healthStatus = environment.HealthStatus;
    this.outcome.url = environmentUrl(environment) ?? this.outcome.url;
  }

  private healthOf(result: WatchResult): string {
    return describeHealth({
      health: result.environment?.Health,
      healthStatus: result.environment?.HealthStatus,
    });
  }

  /** keep-versions: deletes the oldest versions beyond N that no environment runs; a failed delete only warns. */
  private async prune(protect: readonly string[]): Promise<void> {
    const { inputs, ports, outcome } = this;
    if (inputs.keepVersions === 0) return;
    const [versions, environments] = await Promise.all([
      versionsOf(ports.eb, inputs.application),
      environmentsOf(ports.eb, inputs.application),
    ]);
    const kept = new Set(protect);
    for (const environment of environments) if (environment.VersionLabel) kept.add(environment.VersionLabel);
    const doomed = planPrune(
      versions.map((v) => ({ label: v.VersionLabel ?? '', created: v.DateCreated?.getTime() ?? 0 })),
      inputs.keepVersions,
      kept,
    );
    for (const label of doomed) {
      try {
        await ports.eb.send(
          new DeleteApplicationVersionCommand({
            ApplicationName: inputs.application,
            VersionLabel: label,
            DeleteSourceBundle: true,
          }),
        );
        outcome.pruned.push(label);
      } catch (err) {
        // A retry of a delete whose answer was lost finds the version gone: it was deleted.
        if ((await findVersion(ports.eb, inputs.application, label).catch(() => null)) === undefined) {
          outcome.pruned.push(label);
        } else {
          ports.log.warning(`Could not delete version ${label}: ${messageOf(err)}`);
        }
      }
    }
    if (outcome.pruned.length > 0) {
      ports.log.info(
        `Deleted ${outcome.pruned.length} old version(s) beyond ${inputs.keepVersions}: ${outcome.pruned.join(', ')}`,
      );
    }
  }
}
