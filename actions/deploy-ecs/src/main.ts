import { createInputReader, run as runAction, withResult } from '@deploy-suite/kit';
import { deployToEcs } from './deploy';
import { readInputs } from './inputs';
import { Journal } from './journal';
import { realPorts } from './ports';
import { recordFailure, resultOf } from './report';

/** The action: started by index.ts on the runner, and called as is by @github/local-action. */
export function run(): Promise<void> {
  return runAction({
    action: 'deploy-ecs',
    main: async () => {
      const inputs = readInputs(createInputReader());
      const ports = realPorts(inputs.region, inputs.maxAttempts);
      const journal = new Journal(
        ports.clock,
        inputs.service ? `${inputs.cluster}/${inputs.service}` : 'register only',
      );
      try {
        await deployToEcs(inputs, ports, journal);
      } catch (err) {
        throw withResult(recordFailure(journal, err), resultOf(journal));
      }
      return resultOf(journal);
    },
  });
}
