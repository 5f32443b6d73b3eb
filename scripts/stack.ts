// The local AWS stack for development: `tsx scripts/stack.ts up|down|status|env [--state-dir DIR]`.
// `up` leaves the servers running in the background; `eval "$(tsx scripts/stack.ts env)"` sets up a shell.
import { parseArgs } from 'node:util';
import {
  DEFAULT_STATE_DIR,
  exportLines,
  runningStack,
  stackStatus,
  startStack,
  stopStack,
  type Stack,
} from '../tests/support/stack';

function describe(stack: Stack, headline: string): string {
  const { endpoints } = stack;
  return [
    `# ${headline} (state in ${stack.stateDir}, started ${stack.startedAt})`,
    `#   moto       ${endpoints.moto}`,
    `#   registry   ${endpoints.registry}  (basic auth: ${stack.registryAuth.username}, password in STACK_REGISTRY_PASSWORD)`,
    `#   proxy      ${endpoints.proxy}  (${stack.faultsInFront ? 'in front of the simulator' : 'behind the simulator'}; faults: POST ${endpoints.proxy}/_fault {"rate":0.3})`,
    `#   simulator  ${endpoints.simulator}  (control under ${endpoints.simulator}/_sim/)`,
    exportLines(stack.env),
  ].join('\n');
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'state-dir': { type: 'string' },
      speed: { type: 'string' },
      'faults-in-front': { type: 'boolean' },
    },
  });
  const stateDir = values['state-dir'] ?? process.env.STACK_DIR ?? DEFAULT_STATE_DIR;
  const command = positionals[0];
  switch (command) {
    case 'up': {
      const stack = await startStack({
        stateDir,
        mode: 'detached',
        ...(values.speed !== undefined && { simulatorSpeed: Number(values.speed) }),
        ...(values['faults-in-front'] && { faultsInFront: true }),
      });
      console.log(
        describe(stack, stack.reused ? 'local AWS stack already running' : 'local AWS stack started'),
      );
      return 0;
    }
    case 'down': {
      const stopped = await stopStack(stateDir);
      console.log(stopped.length ? `stopped: ${stopped.join(', ')}` : 'local AWS stack was not running');
      return 0;
    }
    case 'status': {
      const status = stackStatus(stateDir);
      if (!status.state) {
        console.log('local AWS stack is not running');
        return 1;
      }
      for (const p of status.processes) {
        console.log(
          `${p.name.padEnd(10)} pid ${String(p.pid).padEnd(8)} port ${p.port}  ${p.alive ? 'running' : 'DEAD'}`,
        );
      }
      console.log(status.running ? 'running' : 'partly dead: run `stack down` then `stack up`');
      return status.running ? 0 : 1;
    }
    case 'env': {
      const stack = runningStack(stateDir);
      if (!stack) {
        console.error('local AWS stack is not running; start it with `npm run stack:up`');
        return 1;
      }
      console.log(exportLines(stack.env));
      return 0;
    }
    default:
      console.error(
        'usage: tsx scripts/stack.ts up|down|status|env [--state-dir DIR] [--speed N] [--faults-in-front]',
      );
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
