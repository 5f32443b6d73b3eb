import * as core from '@actions/core';
import { createInputReader, DeployFailed, run } from '@deploy-suite/kit';
import { readInputs } from './inputs';

// One bundle serves both steps: the post step finds the state main saved.
const isPost = core.getState('isPost') === 'true';

void run(async () => {
  if (isPost) return;
  core.saveState('isPost', 'true');
  readInputs(createInputReader());
  throw new DeployFailed('build-push validated its inputs, but building and pushing are not implemented yet');
});
