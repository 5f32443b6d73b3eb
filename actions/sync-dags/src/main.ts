import { createInputReader, run } from '@deploy-suite/kit';
import { readInputs } from './inputs';
import { realPorts } from './ports';
import { resultOf } from './report';
import { syncDags } from './sync';

void run({
  action: 'sync-dags',
  main: async () => {
    const inputs = readInputs(createInputReader());
    return resultOf(await syncDags(inputs, realPorts(inputs)));
  },
});
