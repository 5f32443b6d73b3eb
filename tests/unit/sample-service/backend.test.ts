import {
  type BackendHost,
  type BackendName,
  parseBackendName,
  selectBackend,
} from '../../../sample-service/src/backend';

/** A host where only the listed packages install and only the listed backends start. */
function host(installed: readonly string[], starts: readonly BackendName[]) {
  const activated: BackendName[] = [];
  const fake: BackendHost = {
    load(packageName) {
      if (!installed.includes(packageName))
        throw new Error(`Cannot find module '${packageName}'\nRequire stack: ...`);
    },
    async activate(name) {
      activated.push(name);
      return starts.includes(name);
    },
  };
  return { fake, activated };
}

describe('selectBackend', () => {
  it('prefers tfjs-node-gpu when it is installed', async () => {
    const { fake } = host(
      ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-wasm'],
      ['tensorflow', 'wasm', 'cpu'],
    );
    await expect(selectBackend(undefined, fake)).resolves.toEqual({
      name: 'tensorflow',
      package: '@tensorflow/tfjs-node-gpu',
      skipped: [],
    });
  });

  it('uses tfjs-node when the GPU build is absent', async () => {
    const { fake } = host(['@tensorflow/tfjs-node'], ['tensorflow', 'cpu']);
    await expect(selectBackend(undefined, fake)).resolves.toMatchObject({
      name: 'tensorflow',
      package: '@tensorflow/tfjs-node',
    });
  });

  it('falls back to wasm without a native package, and says why in one line per package', async () => {
    const { fake } = host(['@tensorflow/tfjs-backend-wasm'], ['wasm', 'cpu']);
    const choice = await selectBackend(undefined, fake);
    expect(choice.name).toBe('wasm');
    expect(choice.skipped).toEqual([
      "tensorflow unavailable (@tensorflow/tfjs-node-gpu: Cannot find module '@tensorflow/tfjs-node-gpu'; " +
        "@tensorflow/tfjs-node: Cannot find module '@tensorflow/tfjs-node')",
    ]);
  });

  it('falls back to cpu when wasm will not start', async () => {
    const { fake, activated } = host(['@tensorflow/tfjs-backend-wasm'], ['cpu']);
    await expect(selectBackend(undefined, fake)).resolves.toMatchObject({
      name: 'cpu',
      package: '@tensorflow/tfjs',
    });
    expect(activated).toEqual(['wasm', 'cpu']);
  });

  it('uses exactly the requested backend, passing over better ones', async () => {
    const { fake, activated } = host(
      ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-wasm'],
      ['tensorflow', 'wasm', 'cpu'],
    );
    await expect(selectBackend('cpu', fake)).resolves.toMatchObject({ name: 'cpu' });
    expect(activated).toEqual(['cpu']);
  });

  it('fails instead of silently falling back when the requested backend is unavailable', async () => {
    const { fake } = host(['@tensorflow/tfjs-backend-wasm'], ['wasm', 'cpu']);
    await expect(selectBackend('tensorflow', fake)).rejects.toThrow(
      /no TensorFlow.js backend could start: tensorflow unavailable/,
    );
  });
});

describe('parseBackendName', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['auto', undefined],
    ['wasm', 'wasm'],
    ['tensorflow', 'tensorflow'],
  ])('reads %p as %p', (value, expected) => {
    expect(parseBackendName(value)).toBe(expected);
  });

  it('names the variable and the choices on a typo', () => {
    expect(() => parseBackendName('gpu')).toThrow(
      'TFJS_BACKEND must be one of auto, tensorflow, wasm, cpu; got "gpu"',
    );
  });
});
