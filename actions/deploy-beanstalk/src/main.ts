import { createInputReader, DeployFailed, run } from '@deploy-suite/kit';
import { readInputs } from './inputs';

void run(async () => {
  readInputs(createInputReader());
  throw new DeployFailed('deploy-beanstalk validated its inputs, but deploying is not implemented yet');
});
