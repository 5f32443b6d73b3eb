/**
 * Seconds between the simulator's SageMaker endpoint settling (InService on the new configuration,
 * or InService again on the previous one once a failed update is rolled back) and the bundled
 * deploy-sagemaker ending, for a healthy creation, a healthy update, an update whose container
 * fails its ping check (SageMaker's own rollback) and an update an alarm rolls back during its bake
 * (RollingBack, then the previous configuration InService). The action runs in real time, as on a
 * runner; the simulator's clock runs SPEED times faster so a rollout lasts seconds. Endpoints an
 * update needs are created beforehand with `wait: false` and the simulator's clock moved past their
 * creation, so only the measured run waits. Figures are printed, never asserted.
 *
 *   npx tsx bench/deploy-sagemaker/settle-to-end.ts [runs per scenario, default 3]
 */
import { runAction, type RunActionResult } from '../../tests/support/harness';
import { startStack, type Stack } from '../../tests/support/stack';
import { realTimeOf, report } from '../settle';

const SPEED = 20;
const TARGET_SECONDS = 2.5;
const ACCOUNT = '123456789012';
const image = (digit: string) =>
  `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/sample-service@sha256:${digit.repeat(64)}`;

interface Scenario {
  readonly label: string;
  /** The simulator scenario of the measured creation or update. */
  readonly scenario: string;
  /** Whether an endpoint exists before the measured run (an update), or the run creates it. */
  readonly update: boolean;
  readonly inputs?: Readonly<Record<string, string>>;
  readonly status: string;
}

const SCENARIOS: readonly Scenario[] = [
  { label: 'healthy create', scenario: 'healthy', update: false, status: 'succeeded' },
  { label: 'healthy update', scenario: 'healthy', update: true, status: 'succeeded' },
  { label: 'update fails its ping check', scenario: 'ping-fails', update: true, status: 'rolled-back' },
  {
    label: 'update rolled back by an alarm',
    scenario: 'alarm-during-bake',
    update: true,
    inputs: { 'wait-interval': '120', alarms: 'bench-5xx' },
    status: 'rolled-back',
  },
];

interface SimEndpoint {
  name: string;
  rollouts: Array<{ startedAt: number; timeline: Array<{ from: number }> }>;
}

/** Virtual time at which the endpoint's last rollout reached its final segment. */
async function settledAtVirtual(stack: Stack, name: string): Promise<number> {
  const state = (await stack.simulator.state('sagemaker')) as { endpoints: SimEndpoint[] };
  const rollout = state.endpoints.find((e) => e.name === name)?.rollouts.at(-1);
  const last = rollout?.timeline.at(-1);
  if (rollout === undefined || last === undefined) throw new Error(`${name} has no rollout`);
  return rollout.startedAt + last.from * 1000;
}

function deploy(stack: Stack, name: string, inputs: Record<string, string>): Promise<RunActionResult> {
  return runAction({
    action: 'deploy-sagemaker',
    inputs: {
      'endpoint-name': name,
      'execution-role-arn': `arn:aws:iam::${ACCOUNT}:role/sagemaker-execution`,
      'instance-type': 'ml.m5.large',
      ...inputs,
    },
    env: stack.env,
    timeoutMs: 600_000,
  });
}

/** An endpoint InService on a first configuration, without waiting for it in real time. */
async function existingEndpoint(stack: Stack, name: string): Promise<void> {
  await stack.simulator.choose('sagemaker', name, 'healthy');
  const created = await deploy(stack, name, { image: image('1'), wait: 'false' });
  if (created.outputs.status !== 'started') throw new Error(`creating ${name}:\n${created.stdout}`);
  const settled = await settledAtVirtual(stack, name);
  const { nowMs } = await stack.simulator.clock();
  await stack.simulator.clock({ advanceSeconds: Math.ceil((settled - nowMs) / 1000) + 1 });
}

async function measure(
  stack: Stack,
  scenario: Scenario,
  run: number,
): Promise<{ lag: number; status: string }> {
  const name = `${scenario.scenario}-${scenario.update ? 'update' : 'create'}-${run}`;
  if (scenario.update) await existingEndpoint(stack, name);
  await stack.simulator.choose('sagemaker', name, scenario.scenario);
  const result = await deploy(stack, name, { image: image('2'), ...scenario.inputs });
  const ended = Date.now();
  const settled = await realTimeOf(stack, await settledAtVirtual(stack, name));
  return { lag: (ended - settled) / 1000, status: result.outputs.status ?? '?' };
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const stack = await startStack({ simulatorSpeed: SPEED });
  try {
    console.log(
      `deploy-sagemaker: seconds from the endpoint settling to the job ending (${runs} runs, clock x${SPEED})`,
    );
    for (const scenario of SCENARIOS) {
      const lags: number[] = [];
      for (let run = 1; run <= runs; run++) {
        const { lag, status } = await measure(stack, scenario, run);
        lags.push(lag);
        const unexpected = status === scenario.status ? '' : ` — expected ${scenario.status}`;
        console.log(`  ${scenario.label} #${run}: ${lag.toFixed(2)} s (status ${status}${unexpected})`);
      }
      report(scenario.label, lags, TARGET_SECONDS);
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
