// Process entry used by the local stack: `tsx serve.ts --upstream URL --port N [--speed S]`.
import { parseArgs } from 'node:util';
import { startSimulator } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      upstream: { type: 'string' },
      port: { type: 'string', default: '0' },
      speed: { type: 'string', default: '1' },
    },
  });
  if (!values.upstream) throw new Error('--upstream is required');
  const simulator = await startSimulator({
    upstream: values.upstream,
    port: Number(values.port),
    speed: Number(values.speed),
  });
  console.log(`simulator listening on ${simulator.url}, forwarding to ${values.upstream}`);
  const stop = (): void => void simulator.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
