import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Everything `/metrics` exposes, on its own registry so several servers can share a process. */
export class ServiceMetrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request received to response sent, by route, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly batchSize = new Histogram({
    name: 'inference_batch_size',
    help: 'Rows per batch run through the model.',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    registers: [this.registry],
  });

  readonly batchDuration = new Histogram({
    name: 'inference_batch_duration_seconds',
    help: 'Time the model took per batch.',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [this.registry],
  });

  readonly rowsPredicted = new Counter({
    name: 'inference_rows_total',
    help: 'Rows predicted.',
    registers: [this.registry],
  });

  /** Where the queue depth is read from at scrape time; the serving model sets it. */
  queueDepth: () => number = () => 0;

  readonly queuedRows = new Gauge({
    name: 'inference_queued_rows',
    help: 'Rows waiting for a batch at scrape time.',
    registers: [this.registry],
    collect: () => {
      this.queuedRows.set(this.queueDepth());
    },
  });

  readonly backend = new Gauge({
    name: 'model_backend_info',
    help: 'The TensorFlow.js backend serving the model (value is always 1).',
    labelNames: ['model', 'backend', 'package'] as const,
    registers: [this.registry],
  });

  readonly ready = new Gauge({
    name: 'model_ready',
    help: '1 once the model is loaded and warmed up, 0 otherwise.',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });

  constructor(options: { readonly processMetrics: boolean } = { processMetrics: true }) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
