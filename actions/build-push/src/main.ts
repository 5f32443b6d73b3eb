import * as core from '@actions/core';
import { createInputReader, run, withResult } from '@deploy-suite/kit';
import { buildAndPush } from './build-push';
import { readInputs } from './inputs';
import { cleanUp } from './post';
import { realPortsFor, realPostPorts } from './ports';
import { failureResultOf, gateFailure, resultOf } from './report';

// One bundle serves both steps: the post step finds the state main saved.
const isPost = core.getState('isPost') === 'true';

void run({
  action: 'build-push',
  main: async () => {
    if (isPost) return cleanUp(realPostPorts());
    core.saveState('isPost', 'true');
    const inputs = readInputs(createInputReader());
    const result = await buildAndPush(inputs, realPortsFor(inputs.region)).catch((err: unknown) => {
      throw withResult(err, failureResultOf(err, inputs));
    });
    const failure = gateFailure(result, inputs.failOnSeverity);
    const report = resultOf(result, inputs, failure);
    if (failure !== undefined) throw withResult(failure, report);
    return report;
  },
});
