/**
 * `npm run demo` (scripts/demo): the main job end to end on this machine, against the local AWS
 * stack, with no AWS account. build-push builds the sample service image with buildah and pushes
 * it under the ECR host name; deploy-ecs and deploy-beanstalk deploy it (simulated rollouts);
 * deploy-sagemaker serves it on a simulated SageMaker endpoint, which the aws CLI then invokes;
 * sync-dags syncs the DAGs to S3; deploy-ecs rolls ECS back with rollback-to: previous. Each step
 * prints its log, outputs and job summary, and what the aws CLI reads back. At the end the sample
 * service is started locally from the image's bundle and answers a prediction. Everything started
 * is stopped, also on failure and Ctrl-C.
 *
 *   --break ecs|beanstalk   (or DEMO_BREAK=…) make that deploy fail: the demo stops there with the
 *                           reasons, exits 1, and shows the previous release still running.
 *
 * Needs root: the chain runs in private mount and network namespaces (it binds port 443 and points
 * the ECR host name at loopback there), so this script re-runs itself under `unshare`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { inPrivateNamespaces } from '../tests/support/registry-tls';
import {
  BREAKS,
  failureReasons,
  isBreakPoint,
  names,
  predict,
  prepareChain,
  privateNamespacesCommand,
  runChain,
  startLocalService,
  whyChainCannotRun,
  type BreakPoint,
  type ChainOutcome,
  type LocalService,
  type Prepared,
  type World,
} from '../tests/support/chain';
import { paint, terminalReport, type Paint } from '../tests/support/chain/terminal-report';

const USAGE = `usage: npm run demo [-- --break ecs|beanstalk]

Runs build-push → deploy-ecs → deploy-beanstalk → deploy-sagemaker → sync-dags →
deploy-ecs (rollback-to: previous) against a local AWS stack, then asks the sample service for a prediction. Needs root.
  --break ecs        the ECS deployment crash-loops: the demo stops there and exits 1
  --break beanstalk  the Beanstalk deployment fails: the demo stops there and exits 1
DEMO_BREAK=ecs|beanstalk does the same.`;

interface Args {
  readonly breakAt: BreakPoint | undefined;
}

function readArgs(argv: readonly string[]): Args | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: { break: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return 'help';
  const asked = values.break ?? (process.env.DEMO_BREAK || undefined);
  if (asked !== undefined && !isBreakPoint(asked)) {
    throw new Error(`--break takes ${Object.keys(BREAKS).join(' or ')}; got '${asked}'`);
  }
  return { breakAt: asked };
}

/** Outside the namespaces: check the machine, then run this script again inside them. */
function relaunchInPrivateNamespaces(argv: readonly string[]): Promise<number> {
  const reason = whyChainCannotRun();
  if (reason !== undefined) {
    console.error(`The demo cannot run here: ${reason}.`);
    return Promise.resolve(1);
  }
  const { command, args, env } = privateNamespacesCommand(__filename, argv);
  // Its own process group, so a signal forwarded to it reaches the action processes too.
  const child = spawn(command, args, { env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    }
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handlers = signals.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return new Promise((resolve) => {
    child.once('error', (error) => {
      console.error(`could not start unshare: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      for (const [name, handler] of handlers) process.off(name, handler);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 143));
    });
  });
}

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function printFailure(outcome: ChainOutcome, p: Paint, write: (text: string) => void): void {
  const failed = outcome.failed;
  if (failed === undefined) return;
  const notRun = [
    'build-push',
    'deploy-ecs',
    'deploy-beanstalk',
    'deploy-sagemaker',
    'sync-dags',
    'rollback-ecs',
  ].slice(failed.index + 1);
  write(
    `\n${p.red(p.bold(`✘ The chain stopped at step ${failed.index + 1}, ${failed.action}: ${failed.title}`))}\n`,
  );
  write(`\n  ${p.bold('Why')}\n`);
  for (const reason of failureReasons(failed.result)) {
    const [headline = '', ...evidence] = reason.split('\n');
    write(`    ${p.red(headline)}\n${evidence.map((line) => `      ${line}\n`).join('')}`);
  }
  if (failed.checked.length > 0) {
    write(`\n  ${p.bold('What runs now (read back with the aws CLI)')}\n`);
    write(`${failed.checked.map((line) => `    ${line}`).join('\n')}\n`);
  }
  if (notRun.length > 0) write(`\n  Not run: ${notRun.join(', ')}.\n`);
}

async function showPrediction(
  prepared: Prepared,
  p: Paint,
  write: (text: string) => void,
  keep: (service: LocalService) => void,
): Promise<void> {
  write(
    `\n${p.bold('━━ The sample service, started locally')} ${p.dim('—')} the bundle the image carries, on Node 24\n`,
  );
  const service = await startLocalService(prepared.context);
  keep(service);
  write(
    `  listening on ${service.url} (TFJS_BACKEND=${names.IMAGE_BACKEND}, model ${prepared.context.modelDir})\n`,
  );
  const prediction = await predict(service.url);
  write(`  POST ${service.url}/predict ${JSON.stringify(prediction.request)}\n`);
  write(`  → ${prediction.status} ${JSON.stringify(prediction.answer)}\n`);
  const charges = (prediction.answer as { predictions?: number[] }).predictions?.[0];
  if (typeof charges === 'number') {
    write(
      `  ${p.green(p.bold(`Predicted yearly insurance charges: $${charges.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 })}`))}\n`,
    );
  }
  await service.stop();
}

async function runDemo(args: Args): Promise<number> {
  const started = Date.now();
  const p = paint(process.stdout.isTTY === true && !process.env.NO_COLOR);
  // After an interrupt only the stopping is told; the steps still unwinding say nothing more.
  let interrupted = false;
  const say = (text: string): void => void process.stdout.write(text);
  const write = (text: string): void => {
    if (!interrupted) say(text);
  };
  const workDir = mkdtempSync(join(tmpdir(), 'deploy-suite-demo-'));
  // DEMO_LOG_DIR names where logs and summaries go (the e2e test reads them there).
  const logDir = process.env.DEMO_LOG_DIR || mkdtempSync(join(tmpdir(), 'deploy-suite-demo-logs-'));
  // Known as soon as they run, so an interrupt at any point stops them.
  let world: World | undefined;
  let service: LocalService | undefined;
  let cleaned: Promise<void> | undefined;
  const cleanUp = (): Promise<void> =>
    (cleaned ??= (async () => {
      await service?.stop().catch(() => undefined);
      await world?.stop().catch(() => undefined);
      rmSync(workDir, { recursive: true, force: true });
    })());
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    // on, not once: the signal can come twice (to the process group and relayed by tsx), and a
    // second one with no listener would end the process before it has stopped anything.
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      say(`\n${p.yellow(`Interrupted (${signal}): stopping everything the demo started…`)}\n`);
      void cleanUp().finally(() => {
        say(`Stopped everything the demo started. Logs so far: ${logDir}\n`);
        process.exit(code);
      });
    });
  }

  write(
    `${p.bold('deploy-suite demo')}: the main job with the bundled actions, against a local AWS stack (no AWS account)\n`,
  );
  if (args.breakAt !== undefined) {
    const broken = BREAKS[args.breakAt];
    write(
      p.yellow(`Broken on purpose: ${broken.step} follows the simulator scenario '${broken.scenario}'.\n`),
    );
  }
  try {
    write(
      `\nStarting moto, the fault proxy, the scenario simulator (clock ×${names.CLOCK_SPEED}) and a TLS registry under the ECR host name,\nand bundling the sample service into a root file system for the image…\n`,
    );
    const prepareStarted = Date.now();
    const prepared = await prepareChain(workDir, {
      breakAt: args.breakAt,
      onWorld: (started) => (world = started),
    });
    const { previous, registryHost, stack } = prepared.world;
    write(
      `  ready in ${seconds(prepareStarted)}: AWS endpoint ${stack.endpoints.simulator}, registry https://${registryHost} (127.0.0.1:443 in this demo's own network namespace)\n`,
    );
    write(
      `  previous release: ECS ${names.CLUSTER}/${names.ECS_SERVICE} on ${previous.taskDefinitionArn.split('/').pop()} (${previous.image}),\n`,
    );
    write(
      `                    Beanstalk ${names.EB_ENVIRONMENT} on ${previous.versionLabel}; s3://${names.DAGS_BUCKET}/${names.DAGS_PREFIX} holds a retired DAG\n`,
    );

    const outcome = await runChain(
      prepared.world,
      prepared.context,
      terminalReport({ write, paint: p, logDir }),
    );
    write(`\n${p.bold('━━ Steps')}\n`);
    for (const run of outcome.runs) {
      const ok = run.result.exitCode === 0 && (run.result.postExitCode ?? 0) === 0;
      write(
        `  ${ok ? p.green('✔') : p.red('✘')} ${`${run.index + 1}. ${run.action}`.padEnd(20)} ${run.seconds.toFixed(1).padStart(5)} s  ${run.title}\n`,
      );
    }
    if (outcome.failed !== undefined) {
      printFailure(outcome, p, write);
      return 1;
    }
    await showPrediction(prepared, p, write, (s) => (service = s));
    return 0;
  } catch (error) {
    write(
      `\n${p.red(p.bold('The demo itself failed (not one of the actions):'))}\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  } finally {
    await cleanUp();
    write(
      `\nStopped everything the demo started (sample service, registry, moto, fault proxy, simulator).\n`,
    );
    write(`Logs and job summaries: ${logDir}\n`);
    write(`Took ${seconds(started)}.\n`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let args: Args | 'help';
  try {
    args = readArgs(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  return inPrivateNamespaces() ? runDemo(args) : relaunchInPrivateNamespaces(argv);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
