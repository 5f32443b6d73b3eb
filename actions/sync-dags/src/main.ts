import { createInputReader, run as runAction } from '@deploy-suite/kit';
import { readInputs } from './inputs';
import { realPorts } from './ports';
import { resultOf } from './report';
import { syncDags } from './sync';

/** The action: started by index.ts on the runner, and called as is by @github/local-action. */
export function run(): Promise<void> {
  return runAction({
    action: 'sync-dags',
    main: async () => {
      const inputs = readInputs(createInputReader());
      return resultOf(await syncDags(inputs, await realPorts(inputs)));
    },
  });
}
