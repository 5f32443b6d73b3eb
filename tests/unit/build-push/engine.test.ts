import type { RunTool } from '@deploy-suite/kit';
import { resolveEngine } from '../../../actions/build-push/src/engine';

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
