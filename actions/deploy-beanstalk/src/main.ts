import { createInputReader, run } from '@deploy-suite/kit';
import { deploy } from './deploy';
import { readInputs } from './inputs';
import { realPorts } from './ports';

void run({
  action: 'deploy-beanstalk',
  main: async () => {
    const inputs = readInputs(createInputReader());
    return deploy(inputs, realPorts(inputs.region));
  },
});
