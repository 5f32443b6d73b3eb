import * as core from '@actions/core';
import { createInputReader, run as runAction, setOutputs, writeSummary } from '@deploy-suite/kit';
import { buildAndPush } from './build-push';
import { readInputs } from './inputs';
import { cleanUp } from './post';
import { realPortsFor, realPostPorts } from './ports';
import { gateFailure, outputsOf, summaryOf } from './report';

/** The action: started by index.ts on the runner, and called as is by @github/local-action. */
export function run(): Promise<void> {
  return runAction(async () => {
    // One bundle serves both steps: the post step finds the state main saved.
    if (core.getState('isPost') === 'true') return cleanUp(realPostPorts());
    core.saveState('isPost', 'true');
    const inputs = readInputs(createInputReader());
    const result = await buildAndPush(inputs, realPortsFor(inputs.region));
    setOutputs(outputsOf(result, inputs.tags[0] ?? ''));
    await writeSummary(summaryOf(result, inputs.failOnSeverity));
    const failure = gateFailure(result, inputs.failOnSeverity);
    if (failure !== undefined) throw failure;
  });
}
