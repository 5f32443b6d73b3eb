import { Cancelled, DeployFailed, InputError, type GroupRunTool } from '@deploy-suite/kit';
import type { Engine } from './inputs';
import type { BuilderName } from './plan';

async function answers(exec: GroupRunTool, tool: string, args: readonly string[]): Promise<boolean> {
  try {
    return (await exec(tool, args, { quiet: true })).exitCode === 0;
  } catch (err) {
    // A cancel or the builder deadline ends the run; any other throw means the program is not
    // on PATH at all.
    if (err instanceof Cancelled || err instanceof DeployFailed) throw err;
    return false;
  }
}

/** Docker is usable only when its daemon answers and buildx is installed. */
async function dockerReady(exec: GroupRunTool): Promise<boolean> {
  return (
    (await answers(exec, 'docker', ['version', '--format', '{{.Server.Version}}'])) &&
    (await answers(exec, 'docker', ['buildx', 'version']))
  );
}

async function buildahReady(exec: GroupRunTool): Promise<boolean> {
  return answers(exec, 'buildah', ['--version']);
}

/**
 * Resolves the `engine` input to a builder that works on this runner, before anything in AWS is
 * touched: `auto` prefers Docker with buildx (GitHub-hosted runners), then buildah (rootless
 * self-hosted runners).
 */
export async function resolveEngine(engine: Engine, exec: GroupRunTool): Promise<BuilderName> {
  if (engine === 'docker') {
    if (await dockerReady(exec)) return 'docker';
    throw new InputError(
      'engine',
      "is docker, but no Docker daemon with buildx answers here ('docker version' and 'docker buildx version' failed)",
    );
  }
  if (engine === 'buildah') {
    if (await buildahReady(exec)) return 'buildah';
    throw new InputError(
      'engine',
      "is buildah, but 'buildah --version' failed; install buildah or choose engine: docker",
    );
  }
  if (await dockerReady(exec)) return 'docker';
  if (await buildahReady(exec)) return 'buildah';
  throw new InputError(
    'engine',
    'is auto, but neither a Docker daemon with buildx nor buildah is available on this runner',
  );
}

/** How the builder can keep the cache in the registry. */
export type CacheExport = 'registry' | 'inline';

/** The driver `docker buildx inspect` names for the current builder (`Driver:` line). */
export function builderDriver(inspect: string): string | undefined {
  return /^Driver:\s+(\S+)/m.exec(inspect)?.[1];
}

/**
 * What the builder can export. Every driver but `docker` exports a registry cache; the `docker`
 * driver (the default builder of a plain Docker install, as on GitHub-hosted runners) does so only
 * with the containerd image store, whose snapshotter `docker info` names in DriverStatus
 * (docs.docker.com "Cache storage backends"). Otherwise only an inline cache is possible. An
 * answer it cannot read is taken as a capable builder: buildx's own error then says why.
 */
export function cacheExportFor(driver: string | undefined, driverStatus: string): CacheExport {
  if (driver !== 'docker') return 'registry';
  return driverStatus.includes('io.containerd.snapshotter') ? 'registry' : 'inline';
}

async function output(exec: GroupRunTool, tool: string, args: readonly string[]): Promise<string> {
  try {
    const result = await exec(tool, args, { quiet: true });
    return result.exitCode === 0 ? result.stdout : '';
  } catch (err) {
    if (err instanceof Cancelled || err instanceof DeployFailed) throw err;
    return '';
  }
}

/** Asks Docker which driver the current buildx builder uses, and its image store when it matters. */
export async function dockerCacheExport(exec: GroupRunTool): Promise<CacheExport> {
  const driver = builderDriver(await output(exec, 'docker', ['buildx', 'inspect']));
  if (driver !== 'docker') return 'registry';
  return cacheExportFor(driver, await output(exec, 'docker', ['info', '--format', '{{json .DriverStatus}}']));
}
