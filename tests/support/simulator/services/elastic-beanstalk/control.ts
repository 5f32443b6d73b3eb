import { required, text, type Input } from './query-params';
import type { BeanstalkStore } from './state';
import { PROCESSING_SECONDS } from './timing';
import { environmentView, versionView } from './views';

/** The control endpoint's seed and state for Elastic Beanstalk (`/_sim/services/elasticbeanstalk/…`). */

/**
 * `{ ApplicationName, VersionLabel?, EnvironmentName?, S3Bucket?, S3Key?, Description?, CreatedSecondsAgo? }`:
 * the application, a Processed version (when not there yet) and an environment Ready and Green
 * on it, each only when named. A `busy` environment starts its other update when first described.
 */
export function seed(store: BeanstalkStore, input: Input, region: string): unknown {
  store.region = region;
  const app = required(input, 'ApplicationName');
  store.addApplication(app);
  const label = text(input, 'VersionLabel');
  if (label !== undefined && !store.application(app).versions.has(label)) {
    const ago = Number(input.CreatedSecondsAgo ?? 0) * 1000;
    store.addVersion(app, label, input, true, store.now() - ago - PROCESSING_SECONDS * 1000);
  }
  const envName = text(input, 'EnvironmentName');
  const env = envName === undefined ? undefined : store.createEnvironment(app, envName, label);
  return { application: app, ...(env && { environment: environmentView(store, env) }) };
}

/** Applications with their versions and tags, environments with their scenario and updates, deleted versions, the events shown so far. */
export function state(store: BeanstalkStore): unknown {
  const now = store.now();
  return {
    applications: [...store.applications.entries()].map(([name, app]) => ({
      name,
      versions: [...app.versions.values()]
        .sort((a, b) => a.created - b.created)
        .map((v) => ({ ...versionView(store, v), Tags: Object.fromEntries(v.tags) })),
    })),
    environments: [...store.environments.values()].map((env) => ({
      ...environmentView(store, env),
      Scenario: store.context.scenarioFor(env.name).name,
      Updates: env.history.map((u) => ({
        target: u.target,
        scenario: u.scenario,
        requested: u.requested,
        outcome: u.outcome,
        startedAt: new Date(u.startedAt).toISOString(),
      })),
    })),
    deletedVersions: store.deleted,
    events: store.events
      .filter((e) => e.at <= now)
      .sort((a, b) => a.at - b.at)
      .map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
  };
}
