import { createInputReader, run } from '@deploy-suite/kit';
import { readInputs } from './inputs';
import { realPorts } from './ports';
import { syncDags } from './sync';

void run(async () => {
  const inputs = readInputs(createInputReader());
  await syncDags(inputs, await realPorts(inputs));
});
