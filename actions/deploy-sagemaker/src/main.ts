import { createInputReader, run as runAction } from '@deploy-suite/kit';
import { deploy } from './deploy';
import { readInputs } from './inputs';
import { realPorts } from './ports';
import { readRollbackInputs, rollBackTo } from './rollback-to';

/** The action: started by index.ts on the runner, and called as is by @github/local-action. */
export function run(): Promise<void> {
  return runAction({
    action: 'deploy-sagemaker',
    main: async () => {
      const read = createInputReader();
      const rollback = readRollbackInputs(read);
      if (rollback) return rollBackTo(rollback, realPorts(rollback.region));
      const inputs = readInputs(read);
      return deploy(inputs, realPorts(inputs.region));
    },
  });
}
