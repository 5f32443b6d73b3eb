import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../errors';
import { mergeOptions, type OptionName, type OptionSetting } from './options';
import { invalid } from './query-params';
import type { BeanstalkStore, EnvironmentRecord, Running, UpdateRecord } from './state';
import { ABORT_SECONDS, BEANSTALK_SCENARIOS, statusOf, updateEvents, type BeanstalkScenario } from './timing';

/**
 * Environment updates over virtual time: starting one (its events planned ahead, each shown once
 * its time has come), folding a finished one into what the environment runs, aborts, and the
 * `busy` and `throttled` scenarios. Nothing runs on a timer: state is settled whenever it is read.
 */

export interface UpdateRequest {
  readonly target: string;
  /** False for an update nobody asked for (`busy`: someone else's). */
  readonly requested: boolean;
  /** Plays this scenario instead of the one chosen for the environment. */
  readonly forced?: BeanstalkScenario;
  readonly options?: readonly OptionSetting[];
  readonly removed?: readonly OptionName[];
}

/** The environment by name, with a pending `busy` update started and a finished one settled. */
export function openEnvironment(store: BeanstalkStore, name: string | undefined): EnvironmentRecord {
  const env = name === undefined ? undefined : store.environments.get(name);
  if (!env) throw invalid(`No Environment found for EnvironmentName = '${name ?? ''}'.`);
  startBusy(store, env);
  settle(store, env);
  return env;
}

/** The `throttled` scenario: every n-th describe call about the environment answers Throttling. */
export function throttle(store: BeanstalkStore, env: EnvironmentRecord): void {
  const every = store.context.scenarioFor(env.name).definition.throttleEvery;
  env.describeCalls += 1;
  if (every > 0 && env.describeCalls % every === 0)
    throw new ServiceError('Throttling', 'Rate exceeded', 400);
}

/**
 * Starts deploying `target`: a version this environment ran healthily deploys like `healthy`,
 * anything else plays the scenario chosen for the environment.
 */
export function startUpdate(
  store: BeanstalkStore,
  env: EnvironmentRecord,
  request: UpdateRequest,
): UpdateRecord {
  const chosen = store.context.scenarioFor(env.name);
  const known = env.good.has(request.target);
  const scenario = request.forced ?? (known ? BEANSTALK_SCENARIOS.healthy : chosen.definition);
  const startedAt = store.now();
  const fails = scenario.outcome === 'deploy-fails';
  const after = settledRunning(env, scenario, startedAt, request);
  const update: UpdateRecord = {
    id: randomUUID(),
    startedAt,
    target: request.target,
    before: env.running,
    after,
    settleSeconds: scenario.deploySeconds,
    scenario: request.forced
      ? 'busy'
      : known
        ? 'healthy (a version this environment ran before)'
        : chosen.name,
    requested: request.requested,
    succeeds: !fails && (after.health !== 'Red' || after.recoversAt !== undefined),
    launch: env.history.length === 0 && env.running.versionLabel === undefined,
    outcome: 'in-progress',
  };
  env.update = update;
  env.updatedAt = startedAt;
  env.history.push(update);
  planEvents(store, env, update, scenario);
  return update;
}

/** What the environment runs once the update settles. */
function settledRunning(
  env: EnvironmentRecord,
  scenario: BeanstalkScenario,
  startedAt: number,
  request: UpdateRequest,
): Running {
  const fails = scenario.outcome === 'deploy-fails';
  if (fails && scenario.failureKeepsOld) return env.running;
  const health = fails ? 'Red' : scenario.health;
  const recoversAt =
    scenario.recoverSeconds === undefined || scenario.deploySeconds === undefined
      ? undefined
      : startedAt + (scenario.deploySeconds + scenario.recoverSeconds) * 1000;
  return {
    versionLabel: request.target,
    health,
    healthStatus: statusOf(health, recoversAt !== undefined),
    causes: scenario.causes,
    ...(recoversAt !== undefined && { recoversAt }),
    options: mergeOptions(env.running.options, request.options ?? [], request.removed ?? []),
  };
}

/** Logs the update's events ahead, at their virtual times; a launch words them as a creation. */
function planEvents(
  store: BeanstalkStore,
  env: EnvironmentRecord,
  update: UpdateRecord,
  scenario: BeanstalkScenario,
): void {
  const label = update.target ?? '';
  const requestId = randomUUID();
  // A launch speaks of creating the environment where an update speaks of updating it.
  const launchWords: Readonly<Record<string, string>> = update.launch
    ? {
        'Environment update is starting.': 'createEnvironment is starting.',
        'Environment update completed successfully.': `Successfully launched environment: ${env.name}`,
      }
    : {};
  for (const planned of updateEvents(scenario, label)) {
    store.events.push({
      at: update.startedAt + planned.atSeconds * 1000,
      severity: planned.severity,
      message: launchWords[planned.message] ?? planned.message,
      application: env.application,
      environment: env.name,
      versionLabel: label,
      requestId,
      updateId: update.id,
    });
  }
}

/**
 * Folds a finished update (or abort) into what the environment runs, then a passing Red whose
 * time is up into Green: in that order, so a first look long after the update ended sees what any
 * poller would see by then.
 */
export function settle(store: BeanstalkStore, env: EnvironmentRecord): void {
  const now = store.now();
  foldUpdate(env, now);
  const recoversAt = env.running.recoversAt;
  if (recoversAt !== undefined && now >= recoversAt) {
    const { versionLabel, options } = env.running;
    env.running = { versionLabel, health: 'Green', healthStatus: 'Ok', causes: [], options };
  }
}

function foldUpdate(env: EnvironmentRecord, now: number): void {
  const update = env.update;
  if (!update) return;
  if (update.abortedAt !== undefined) {
    if (now < update.abortedAt + ABORT_SECONDS * 1000) return;
    env.running = update.before;
    update.outcome = 'aborted';
  } else {
    if (update.settleSeconds === undefined || now < update.startedAt + update.settleSeconds * 1000) return;
    env.running = update.after;
    update.outcome = update.succeeds ? 'succeeded' : 'failed';
    if (update.succeeds && update.after.versionLabel) env.good.add(update.after.versionLabel);
  }
  env.updatedAt = now;
  delete env.update;
}

/** `busy`: someone else's update of the running version starts when a client first looks. */
export function startBusy(store: BeanstalkStore, env: EnvironmentRecord): void {
  const label = env.running.versionLabel;
  if (!env.busyPending || label === undefined) return;
  env.busyPending = false;
  const seconds = store.context.scenarioFor(env.name).definition.busySeconds;
  startUpdate(store, env, {
    target: label,
    requested: false,
    forced: { ...BEANSTALK_SCENARIOS.healthy, deploySeconds: seconds },
  });
}

/**
 * Aborts the update in progress: its events not yet shown are dropped, and the environment runs
 * the previous version again ABORT_SECONDS later.
 */
export function abortUpdate(store: BeanstalkStore, env: EnvironmentRecord): void {
  const update = env.update;
  if (!update || update.abortedAt !== undefined)
    throw invalid(`Environment named ${env.name} has no operation in progress that can be aborted.`);
  const abortedAt = store.now();
  update.abortedAt = abortedAt;
  const events = store.events;
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i]?.updateId === update.id && (events[i]?.at ?? 0) > abortedAt) events.splice(i, 1);
  }
  const base = { application: env.application, environment: env.name, updateId: update.id };
  events.push({ ...base, at: abortedAt, severity: 'WARN', message: 'Environment update is being aborted.' });
  events.push({
    ...base,
    at: abortedAt + ABORT_SECONDS * 1000,
    severity: 'INFO',
    message: `Environment update was aborted; the environment runs ${update.before.versionLabel ?? 'no version'} again.`,
  });
}
