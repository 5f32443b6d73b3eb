import { BUNDLED_MODEL_DIR, readConfig } from '../../../sample-service/src/config';

describe('readConfig', () => {
  it('defaults to 0.0.0.0:8080, the bundled model and automatic backend choice', () => {
    expect(readConfig({})).toEqual({
      host: '0.0.0.0',
      port: 8080,
      modelDir: BUNDLED_MODEL_DIR,
      modelName: undefined,
      backend: undefined,
      maxBatchSize: 64,
      maxBatchDelayMs: 0,
      bodyLimitBytes: 1048576,
      shutdownTimeoutMs: 25000,
      logLevel: 'info',
    });
  });

  it('reads every setting from the environment', () => {
    const config = readConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      MODEL_NAME: 'charges',
      TFJS_BACKEND: 'cpu',
      MAX_BATCH_SIZE: '16',
      MAX_BATCH_DELAY_MS: '0',
      BODY_LIMIT_BYTES: '2048',
      SHUTDOWN_TIMEOUT_MS: '1000',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      modelName: 'charges',
      backend: 'cpu',
      maxBatchSize: 16,
      maxBatchDelayMs: 0,
      bodyLimitBytes: 2048,
      shutdownTimeoutMs: 1000,
      logLevel: 'warn',
    });
  });

  it.each([
    ['PORT', 'http', 'PORT must be an integer from 0 to 65535; got "http"'],
    ['MAX_BATCH_SIZE', '0', 'MAX_BATCH_SIZE must be an integer from 1'],
    ['MAX_BATCH_DELAY_MS', '1.5', 'MAX_BATCH_DELAY_MS must be an integer'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL must be one of'],
    ['TFJS_BACKEND', 'webgl', 'TFJS_BACKEND must be one of'],
  ])('rejects %s=%s with a message naming it', (name, value, message) => {
    expect(() => readConfig({ [name]: value })).toThrow(message);
  });
});
