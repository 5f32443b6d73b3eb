import type { RunTool } from '@deploy-suite/kit';
import {
  builderDriver,
  cacheExportFor,
  resolveEngine,
  type CacheExport,
} from '../../../actions/build-push/src/engine';

/** Which probes answer: `daemon` (docker version), `buildx`, `buildah`; a missing program throws. */
function runner(answering: readonly string[]): RunTool {
  return async (tool, args) => {
    const probe = tool === 'buildah' ? 'buildah' : args[0] === 'version' ? 'daemon' : 'buildx';
    if (!answering.includes(probe)) {
      if (tool === 'buildah') throw new Error('Unable to locate executable file: buildah');
      return { exitCode: 1, stdout: '', stderr: 'Cannot connect to the Docker daemon' };
    }
    return { exitCode: 0, stdout: 'ok', stderr: '' };
  };
}

test.each([
  ['auto', ['daemon', 'buildx', 'buildah'], 'docker'],
  ['auto', ['buildx', 'buildah'], 'buildah'],
  ['auto', ['daemon', 'buildah'], 'buildah'],
  ['docker', ['daemon', 'buildx'], 'docker'],
  ['buildah', ['daemon', 'buildx', 'buildah'], 'buildah'],
] as const)('engine %s with %p answering resolves to %s', async (engine, answering, expected) => {
  await expect(resolveEngine(engine, runner(answering))).resolves.toBe(expected);
});

test.each([
  ['auto', [], "Input 'engine' is auto, but neither a Docker daemon with buildx nor buildah is available"],
  ['docker', ['buildah'], "Input 'engine' is docker, but no Docker daemon with buildx answers here"],
  ['buildah', ['daemon', 'buildx'], "Input 'engine' is buildah, but 'buildah --version' failed"],
] as const)('engine %s with %p answering fails naming the input', async (engine, answering, message) => {
  await expect(resolveEngine(engine, runner(answering))).rejects.toThrow(message);
});

describe('whether the docker builder can export a registry cache', () => {
  // `docker buildx inspect` prints the builder's driver on a `Driver:` line (docker/buildx
  // commands/inspect.go); the default builder of a plain Docker install uses the docker driver.
  test.each<[string, string, string | undefined]>([
    [
      'the default builder',
      'Name:          default\nDriver:        docker\n\nNodes:\nName: default\n',
      'docker',
    ],
    [
      'setup-buildx-action',
      'Name:          builder-1a2b\nDriver:        docker-container\nLast Activity: 2025-01-01\n',
      'docker-container',
    ],
    ['a remote builder', 'Name: r\nDriver: remote\n', 'remote'],
    ['no answer', '', undefined],
  ])('%s', (_name, inspect, driver) => {
    expect(builderDriver(inspect)).toBe(driver);
  });

  // docs.docker.com "Cache storage backends": the docker driver exports caches only with the
  // containerd image store; every other driver does.
  test.each<[string | undefined, string, CacheExport]>([
    ['docker', '[["Backing Filesystem","extfs"],["Supports d_type","true"]]', 'inline'],
    ['docker', '[["driver-type","io.containerd.snapshotter.v1"]]', 'registry'],
    ['docker', '', 'inline'],
    ['docker-container', '', 'registry'],
    ['kubernetes', '', 'registry'],
    ['remote', '', 'registry'],
    [undefined, '', 'registry'],
  ])('driver %s with DriverStatus %s: %s', (driver, status, expected) => {
    expect(cacheExportFor(driver, status)).toBe(expected);
  });
});
