/**
 * The chain scenario's body, run by chain.test.ts inside `unshare --mount --net`: the same
 * preparation and steps as the demo (tests/support/chain), with the sample service asked for a
 * prediction at the end. It writes what it observed as JSON to the file named by its argument;
 * the test makes the assertions.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { predict, prepareChain, runChain, startLocalService, type Prepared } from '../../support/chain';
import type { ChainE2eFacts } from './facts';
import { runFactsScript } from '../../support/facts-script';

async function main(outFile: string): Promise<void> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'chain-e2e-'));
  let prepared: Prepared | undefined;
  try {
    prepared = await prepareChain(dir);
    const { world, context } = prepared;
    const outcome = await runChain(world, context);
    const service = await startLocalService(context);
    const prediction = await predict(service.url).finally(() => service.stop());
    const facts: ChainE2eFacts = {
      registryHost: world.registryHost,
      previous: world.previous,
      steps: outcome.runs.map((run) => ({
        id: run.id,
        action: run.action,
        exitCode: run.result.exitCode,
        postExitCode: run.result.postExitCode,
        outputs: run.result.outputs,
        summary: run.result.summary,
        errors: run.result.annotations.filter((a) => a.level === 'error').map((a) => a.message),
        seconds: run.seconds,
      })),
      failed: outcome.failed?.id,
      observed: outcome.facts,
      prediction,
      seconds: (Date.now() - started) / 1000,
    };
    writeFileSync(outFile, JSON.stringify(facts, null, 2));
  } finally {
    await prepared?.world.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runFactsScript('in-namespace.ts', main);
