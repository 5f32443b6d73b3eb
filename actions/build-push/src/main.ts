import * as core from '@actions/core';
import {
  Cancelled,
  createInputReader,
  DeployFailed,
  run,
  runSignal,
  setOutputs,
  writeSummary,
} from '@deploy-suite/kit';
import { buildAndPush, newProgress } from './build-push';
import { readInputs } from './inputs';
import { cleanUp } from './post';
import { realPortsFor, realPostPorts } from './ports';
import {
  cancelledOutputs,
  cancelledSummary,
  gateFailure,
  leftInFlight,
  outputsOf,
  summaryOf,
} from './report';

// One bundle serves both steps: the post step finds the state main saved.
const isPost = core.getState('isPost') === 'true';

void run(async () => {
  if (isPost) return cleanUp(realPostPorts());
  core.saveState('isPost', 'true');
  const inputs = readInputs(createInputReader());
  const progress = newProgress();
  let result;
  try {
    result = await buildAndPush(inputs, realPortsFor(inputs.region), progress);
    // A cancel during a step that swallows errors (reading the image's size, peeking at the
    // scan) still ends as a cancel, reporting what was pushed.
    if (runSignal.aborted) throw runSignal.reason;
  } catch (err) {
    if (!(err instanceof Cancelled)) {
      setOutputs({ status: 'failed' });
      throw err;
    }
    // The builder's processes are gone by now; say what the registry holds, then leave.
    const left = leftInFlight(progress);
    setOutputs(cancelledOutputs(progress));
    await writeSummary(cancelledSummary(left));
    throw new DeployFailed(err.message, left, 'cancelled');
  }
  const failure = gateFailure(result, inputs.failOnSeverity);
  setOutputs({ ...outputsOf(result, inputs.tags[0] ?? ''), status: failure ? 'failed' : 'succeeded' });
  await writeSummary(summaryOf(result, inputs.failOnSeverity));
  if (failure !== undefined) throw failure;
});
