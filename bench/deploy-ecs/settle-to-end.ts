/**
 * Seconds between the simulator settling a deployment (steady state, or the circuit breaker's
 * rollback complete) and the bundled deploy-ecs ending, for the healthy and
 * rollback-by-circuit-breaker scenarios; and for blue/green services through CodeDeploy, from the
 * deployment's end (or CodeDeploy's rollback's) to the job's, for the healthy and hook-fails
 * scenarios; and for services ECS deploys itself blue/green (deploymentConfiguration.strategy
 * BLUE_GREEN, bake time 1 minute), from the service deployment's end (SUCCESSFUL, or ECS's
 * ROLLBACK_SUCCESSFUL) to the job's, for the healthy and alarm-rollback scenarios. Figures are
 * printed, never asserted.
 *
 *   npx tsx bench/deploy-ecs/settle-to-end.ts [runs per scenario, default 3]
 */
import { runAction } from '../../tests/support/harness';
import { startStack, type Stack } from '../../tests/support/stack';
import { realTimeOf, report } from '../settle';

const SPEED = 10;
const SCENARIOS = ['healthy', 'rollback-by-circuit-breaker'] as const;
const BLUE_GREEN_SCENARIOS = ['healthy', 'hook-fails'] as const;
const NATIVE_SCENARIOS = ['healthy', 'alarm-rollback'] as const;

interface SimService {
  serviceName: string;
  deployments: Array<{ status: string; finishedAtMs?: number }>;
}

/** Real time at which the service's newest deployment (this run's service deployment) ended. */
async function nativeEndedAt(stack: Stack, name: string): Promise<number> {
  const realNow = Date.now();
  const clock = await stack.simulator.clock();
  const state = (await stack.simulator.state('ecs')) as { services: SimService[] };
  const newest = state.services.find((s) => s.serviceName === name)?.deployments[0];
  if (newest?.finishedAtMs === undefined) throw new Error(`${name} has not ended`);
  return realNow - (clock.nowMs - newest.finishedAtMs) / clock.speed;
}

async function measureNative(
  stack: Stack,
  scenario: string,
  run: number,
): Promise<{ lag: number; status: string }> {
  const name = `native-${scenario}-${run}`;
  await stack.simulator.choose('ecs', name, scenario);
  await stack.simulator.seed('ecs', {
    serviceName: name,
    deploymentConfiguration: {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 1,
      alarms: { enable: true, rollback: true, alarmNames: [`${name}-5xx`] },
    },
    taskDefinition: {
      family: name,
      containerDefinitions: [{ name: 'model', image: `registry.local/${name}:1`, memory: 512 }],
    },
  });
  const result = await runAction({
    action: 'deploy-ecs',
    inputs: { service: name, 'container-name': 'model', image: `registry.local/${name}:2` },
    env: stack.env,
  });
  const ended = Date.now();
  return { lag: (ended - (await nativeEndedAt(stack, name))) / 1000, status: result.outputs.status ?? '?' };
}

/** Real time at which the service's PRIMARY deployment finished, from its virtual finish time. */
async function settledAt(stack: Stack, name: string): Promise<number> {
  const state = (await stack.simulator.state('ecs')) as { services: SimService[] };
  const primary = state.services
    .find((s) => s.serviceName === name)
    ?.deployments.find((d) => d.status === 'PRIMARY');
  if (primary?.finishedAtMs === undefined) throw new Error(`${name} has not settled`);
  return realTimeOf(stack, primary.finishedAtMs);
}

async function measure(
  stack: Stack,
  scenario: string,
  run: number,
): Promise<{ lag: number; status: string }> {
  const name = `${scenario}-${run}`;
  await stack.simulator.choose('ecs', name, scenario);
  await stack.simulator.seed('ecs', {
    serviceName: name,
    taskDefinition: {
      family: name,
      containerDefinitions: [{ name: 'model', image: `registry.local/${name}:1`, memory: 512 }],
    },
  });
  const result = await runAction({
    action: 'deploy-ecs',
    inputs: { service: name, 'container-name': 'model', image: `registry.local/${name}:2` },
    env: stack.env,
  });
  const ended = Date.now();
  return { lag: (ended - (await settledAt(stack, name))) / 1000, status: result.outputs.status ?? '?' };
}

/** Real time at which the group's last CodeDeploy deployment (the rollback, when there is one) ended. */
async function codeDeployEndedAt(stack: Stack, group: string): Promise<number> {
  const state = (await stack.simulator.state('codedeploy')) as {
    deployments: Array<{ deploymentGroupName: string; endedAtMs?: number }>;
  };
  const last = state.deployments.filter((d) => d.deploymentGroupName === group).at(-1);
  if (last?.endedAtMs === undefined) throw new Error(`${group} has not ended`);
  return realTimeOf(stack, last.endedAtMs);
}

async function measureBlueGreen(
  stack: Stack,
  scenario: string,
  run: number,
): Promise<{ lag: number; status: string }> {
  const name = `bg-${scenario}-${run}`;
  await stack.simulator.seed('ecs', {
    serviceName: name,
    deploymentController: { type: 'CODE_DEPLOY' },
    loadBalancers: [
      {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/b/0',
        containerName: 'model',
        containerPort: 8080,
      },
    ],
    taskDefinition: {
      family: name,
      containerDefinitions: [{ name: 'model', image: `registry.local/${name}:1`, memory: 512 }],
    },
  });
  const group = `DgpECS-default-${name}`;
  await stack.simulator.seed('codedeploy', { service: name });
  await stack.simulator.choose('codedeploy', group, scenario);
  const result = await runAction({
    action: 'deploy-ecs',
    inputs: { service: name, 'container-name': 'model', image: `registry.local/${name}:2` },
    env: stack.env,
  });
  const ended = Date.now();
  return {
    lag: (ended - (await codeDeployEndedAt(stack, group))) / 1000,
    status: result.outputs.status ?? '?',
  };
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const stack = await startStack({ simulatorSpeed: SPEED });
  try {
    console.log(
      `deploy-ecs: seconds from the simulator settling to the job ending (${runs} runs, clock x${SPEED})`,
    );
    for (const scenario of SCENARIOS) {
      const lags: number[] = [];
      for (let run = 1; run <= runs; run++) {
        const { lag, status } = await measure(stack, scenario, run);
        lags.push(lag);
        console.log(`  ${scenario} #${run}: ${lag.toFixed(2)} s (status ${status})`);
      }
      report(scenario, lags, 5);
    }
    for (const scenario of BLUE_GREEN_SCENARIOS) {
      const lags: number[] = [];
      for (let run = 1; run <= runs; run++) {
        const { lag, status } = await measureBlueGreen(stack, scenario, run);
        lags.push(lag);
        console.log(`  blue/green ${scenario} #${run}: ${lag.toFixed(2)} s (status ${status})`);
      }
      report(`blue/green ${scenario}`, lags, 2.5);
    }
    for (const scenario of NATIVE_SCENARIOS) {
      const lags: number[] = [];
      for (let run = 1; run <= runs; run++) {
        const { lag, status } = await measureNative(stack, scenario, run);
        lags.push(lag);
        console.log(`  native BLUE_GREEN ${scenario} #${run}: ${lag.toFixed(2)} s (status ${status})`);
      }
      report(`native BLUE_GREEN ${scenario}`, lags, 2.5);
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
