import { createInputReader, DeployFailed, run } from '@deploy-suite/kit';
import { readInputs } from './inputs';

void run(async () => {
  readInputs(createInputReader());
  throw new DeployFailed('sync-dags validated its inputs, but syncing is not implemented yet');
});
