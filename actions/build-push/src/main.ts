import * as core from '@actions/core';
import {
  Cancelled,
  createInputReader,
  DeployFailed,
  run as runAction,
  runSignal,
  withResult,
} from '@deploy-suite/kit';
import { buildAndPush, newProgress, type BuildProgress, type BuildResult } from './build-push';
import { readInputs, type Inputs } from './inputs';
import { cleanUp } from './post';
import { realPortsFor, realPostPorts } from './ports';
import { cancelledResultOf, failureResultOf, gateFailure, leftInFlight, resultOf } from './report';

/** The action: started by index.ts on the runner, and called as is by @github/local-action. */
export function run(): Promise<void> {
  return runAction({
    action: 'build-push',
    main: async () => {
      // One bundle serves both steps: the post step finds the state main saved.
      if (core.getState('isPost') === 'true') return cleanUp(realPostPorts());
      core.saveState('isPost', 'true');
      const inputs = readInputs(createInputReader());
      const result = await build(inputs);
      const failure = gateFailure(result, inputs.failOnSeverity);
      const report = resultOf(result, inputs, failure);
      if (failure !== undefined) throw withResult(failure, report);
      return report;
    },
  });
}

/** The build and pushes, every failure carrying the result its step reports. */
async function build(inputs: Inputs): Promise<BuildResult> {
  const progress: BuildProgress = newProgress();
  try {
    const result = await buildAndPush(inputs, realPortsFor(inputs.region), progress);
    // A cancel during a step that swallows errors (reading the image's size, peeking at the
    // scan) still ends as a cancel, reporting what was pushed.
    if (runSignal.aborted) throw runSignal.reason;
    return result;
  } catch (err) {
    if (!(err instanceof Cancelled)) throw withResult(err, failureResultOf(err, inputs));
    // The builder's processes are gone by now; say what the registry holds, then leave.
    const left = leftInFlight(progress);
    throw withResult(new DeployFailed(err.message, left, 'cancelled'), cancelledResultOf(progress, left));
  }
}
