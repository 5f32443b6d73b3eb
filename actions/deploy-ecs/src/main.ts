import { createInputReader, DeployFailed, run } from '@deploy-suite/kit';
import { readInputs } from './inputs';

void run(async () => {
  readInputs(createInputReader());
  throw new DeployFailed('deploy-ecs validated its inputs, but deploying is not implemented yet');
});
