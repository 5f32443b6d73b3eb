import { readCommand, readConfig } from './config';
import { startService } from './lifecycle';

/**
 * `npm start` / the container entry point. SIGTERM (ECS stopping a task) drains: readiness goes
 * false, requests already accepted are answered, then the process exits 0. If draining outlasts
 * SHUTDOWN_TIMEOUT_MS (kept under the ECS stop timeout) it exits 1 rather than be killed.
 */
async function main(): Promise<void> {
  readCommand(process.argv.slice(2));
  const config = readConfig();
  const service = await startService(config);
  const log = service.app.log;
  service.ready.catch(() => process.exit(1));

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'draining in-flight requests');
    setTimeout(() => {
      log.error({ timeoutMs: config.shutdownTimeoutMs }, 'drain did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    service.stop().then(
      () => {
        log.info('drained; exiting');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error(JSON.stringify({ level: 60, msg: 'failed to start', err: String(error) }));
  process.exit(1);
});
