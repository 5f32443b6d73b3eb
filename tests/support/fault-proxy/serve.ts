// Process entry used by the local stack: `tsx serve.ts --upstream URL --port N [--rate R --seed S --kinds a,b]`.
import { parseArgs } from 'node:util';
import { isFaultKind, type FaultKind } from './faults';
import { startFaultProxy } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      upstream: { type: 'string' },
      port: { type: 'string', default: '0' },
      rate: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      kinds: { type: 'string' },
    },
  });
  if (!values.upstream) throw new Error('--upstream is required');
  const kinds = values.kinds?.split(',').filter(Boolean);
  if (kinds && !kinds.every(isFaultKind)) throw new Error(`unknown fault kind in --kinds ${values.kinds}`);
  const proxy = await startFaultProxy({
    upstream: values.upstream,
    port: Number(values.port),
    rate: Number(values.rate),
    seed: Number(values.seed),
    ...(kinds && { kinds: kinds as FaultKind[] }),
  });
  console.log(`fault proxy listening on ${proxy.url}, forwarding to ${values.upstream}`);
  const stop = (): void => void proxy.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
