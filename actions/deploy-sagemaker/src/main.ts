import { createInputReader, run as runAction } from '@deploy-suite/kit';
import { deploy } from './deploy';
import { readInputs } from './inputs';
import { realPorts } from './ports';

/** The action: started by index.ts on the runner, and called as is by @github/local-action. */
export function run(): Promise<void> {
  return runAction({
    action: 'deploy-sagemaker',
    main: async () => {
      const inputs = readInputs(createInputReader());
      return deploy(inputs, realPorts(inputs.region));
    },
  });
}
