import { createInputReader, run as runAction } from '@deploy-suite/kit';
import { readInputs } from './inputs';
import { realPorts } from './ports';
import { syncDags } from './sync';

/** The action: started by index.ts on the runner, and called as is by @github/local-action. */
export function run(): Promise<void> {
  return runAction(async () => {
    const inputs = readInputs(createInputReader());
    await syncDags(inputs, await realPorts(inputs));
  });
}
