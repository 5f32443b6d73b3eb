import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BackendChoice } from './backend';
import type { BatchTimer } from './batch-queue';
import type { ServiceConfig } from './config';
import { readSchema } from './features';
import { ServiceMetrics } from './metrics';
import { type Predictor, loadPredictor, useBackend, warmUp } from './model';
import type { ServerIdentity } from './routes/kserve-v2';
import { buildServer } from './server';
import { ServingModel } from './serving-model';

export interface LoadedModel {
  readonly predictor: Predictor;
  readonly backend: BackendChoice;
}

export type ModelLoader = (config: ServiceConfig) => Promise<LoadedModel>;

export const loadModelFromDisk: ModelLoader = async (config) => {
  const backend = await useBackend(config.backend);
  return { backend, predictor: await loadPredictor(config.modelDir) };
};

export interface ServiceDependencies {
  readonly loadModel?: ModelLoader;
  /** Runs between load and ready; tests hold it to observe the not-yet-ready state. */
  readonly warmUp?: (predictor: Predictor, maxBatchSize: number) => Promise<void>;
  readonly batchTimer?: BatchTimer;
  readonly processMetrics?: boolean;
}

export interface Service {
  readonly app: FastifyInstance;
  readonly model: ServingModel;
  readonly metrics: ServiceMetrics;
  readonly port: number;
  readonly url: string;
  /** Settles when the model is loaded and warmed up (rejects if that fails). */
  readonly ready: Promise<void>;
  /** Stops reporting ready, answers every request already accepted, then closes the listener. */
  stop(): Promise<void>;
}

function serviceIdentity(): ServerIdentity {
  try {
    const manifest = JSON.parse(readFileSync(resolve(__dirname, '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return { name: 'sample-service', version: manifest.version ?? '0.0.0' };
  } catch {
    return { name: 'sample-service', version: '0.0.0' };
  }
}

/**
 * Listens first (so liveness answers and readiness says "not yet" while the model loads), then
 * selects the backend, loads the model, warms it up and only then reports ready.
 */
export async function startService(config: ServiceConfig, deps: ServiceDependencies = {}): Promise<Service> {
  const schema = readSchema(config.modelDir);
  const metrics = new ServiceMetrics({ processMetrics: deps.processMetrics ?? true });
  const model = new ServingModel(config.modelName ?? schema.model, schema, metrics);
  const app = buildServer({
    model,
    metrics,
    identity: serviceIdentity(),
    bodyLimitBytes: config.bodyLimitBytes,
    logLevel: config.logLevel,
  });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  app.log.info({ model: model.name, port, modelDir: config.modelDir }, 'listening; loading model');

  const ready = (async () => {
    const started = Date.now();
    const { predictor, backend } = await (deps.loadModel ?? loadModelFromDisk)(config);
    app.log.info(
      { backend: backend.name, package: backend.package, passedOver: backend.skipped },
      `TensorFlow.js backend: ${backend.name}`,
    );
    await (deps.warmUp ?? warmUp)(predictor, config.maxBatchSize);
    model.attach(predictor, backend, {
      maxBatchSize: config.maxBatchSize,
      maxBatchDelayMs: config.maxBatchDelayMs,
      ...(deps.batchTimer ? { timer: deps.batchTimer } : {}),
    });
    app.log.info(
      {
        model: model.name,
        backend: backend.name,
        ms: Date.now() - started,
        maxBatchSize: config.maxBatchSize,
      },
      'model loaded and warmed up; ready',
    );
  })();
  ready.catch((error: unknown) => {
    model.markFailed();
    app.log.fatal({ err: error }, 'model failed to load');
  });

  let stopping: Promise<void> | undefined;
  return {
    app,
    model,
    metrics,
    port,
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    ready,
    stop() {
      stopping ??= (async () => {
        model.drain();
        await app.close();
        model.dispose();
      })();
      return stopping;
    },
  };
}
