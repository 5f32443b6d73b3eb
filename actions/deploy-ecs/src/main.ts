import { createInputReader, run, setOutputs, writeSummary } from '@deploy-suite/kit';
import { deployToEcs } from './deploy';
import { readInputs } from './inputs';
import { Journal } from './journal';
import { realPorts } from './ports';
import { outputsOf, recordFailure, summaryOf } from './report';

void run(async () => {
  const inputs = readInputs(createInputReader());
  const ports = realPorts(inputs.region, inputs.maxAttempts);
  const journal = new Journal(
    ports.clock,
    inputs.service ? `${inputs.cluster}/${inputs.service}` : 'register only',
  );
  try {
    await deployToEcs(inputs, ports, journal);
  } catch (err) {
    throw recordFailure(journal, err);
  } finally {
    setOutputs(outputsOf(journal));
    await writeSummary(summaryOf(journal));
  }
});
