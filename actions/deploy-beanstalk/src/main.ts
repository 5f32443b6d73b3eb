import { createInputReader, run } from '@deploy-suite/kit';
import { deploy } from './deploy';
import { readInputs } from './inputs';
import { realPorts } from './ports';

void run(async () => {
  const inputs = readInputs(createInputReader());
  await deploy(inputs, realPorts(inputs.region));
});
