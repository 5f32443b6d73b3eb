import { BUNDLED_MODEL_DIR, readCommand, readConfig } from '../../../sample-service/src/config';

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

// SageMaker sets SAGEMAKER_BIND_TO_PORT for the container to listen on and starts it as
// `docker run <image> serve` (docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html).
describe('SageMaker start-up', () => {
  it.each([
    [{}, 8080],
    [{ PORT: '9000' }, 9000],
    [{ SAGEMAKER_BIND_TO_PORT: '8081' }, 8081],
    [{ PORT: '9000', SAGEMAKER_BIND_TO_PORT: '8081' }, 8081],
    [{ PORT: '9000', SAGEMAKER_BIND_TO_PORT: ' ' }, 9000],
  ])('listens on the port of %j: %i', (env, port) => {
    expect(readConfig(env).port).toBe(port);
  });

  it('names SAGEMAKER_BIND_TO_PORT when its value is bad', () => {
    expect(() => readConfig({ SAGEMAKER_BIND_TO_PORT: 'x' })).toThrow(
      'SAGEMAKER_BIND_TO_PORT must be an integer from 0 to 65535; got "x"',
    );
  });

  it.each([[[]], [['serve']]])('starts the server for arguments %j', (args) => {
    expect(readCommand(args)).toBe('serve');
  });

  it.each([[['train']], [['serve', 'extra']], [['--port', '1']]])('refuses arguments %j', (args) => {
    expect(() => readCommand(args)).toThrow('the only command is "serve"');
  });
});
