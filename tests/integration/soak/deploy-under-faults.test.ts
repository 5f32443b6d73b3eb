/**
 * Twenty deploys of each kind through a fault proxy placed in front of the scenario simulator, at a
 * 30 % fault rate that includes lost answers (the call happened, its answer never came): every run
 * must end in a verified success, with AWS in exactly the state one clean run would leave.
 * The proxy is seeded, so a failure here replays with the same faults.
 */
import type { FaultKind } from '../../support/fault-proxy';
import { runAction } from '../../support/harness';
import { startStack, type Stack } from '../../support/stack';
import { BeanstalkStack, ENV } from '../deploy-beanstalk/beanstalk-stack';

jest.setTimeout(600_000);

const RUNS = 20;
const RATE = 0.3;
const KINDS: FaultKind[] = ['throttle', 'internal-error', 'unavailable', 'drop', 'lost-answer'];
// At 30 % a call fails all of 8 attempts once in 15,000 calls; a soak makes thousands of calls,
// so it allows more attempts than the default to test convergence, not luck.
const ATTEMPTS = '14';

interface SimDeployment {
  id: string;
  status: string;
  taskDefinition: string;
  rolloutState: string;
}

describe('deploy-ecs', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ simulatorSpeed: 30, faultsInFront: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test(`${RUNS} deploys at ${RATE * 100} % faults each leave the service on the new image, one deployment`, async () => {
    const service = 'soak-web';
    await stack.simulator.choose('ecs', service, 'healthy');
    await stack.simulator.seed('ecs', {
      serviceName: service,
      taskDefinition: {
        family: service,
        containerDefinitions: [{ name: 'model', image: 'registry.local/model:0', memory: 512 }],
      },
    });
    await stack.faults.configure({ rate: RATE, kinds: KINDS, seed: 1607, resetStats: true });
    for (let run = 1; run <= RUNS; run++) {
      const image = `registry.local/model:${run}`;
      const result = await runAction({
        action: 'deploy-ecs',
        inputs: { service, 'container-name': 'model', image, 'aws-max-attempts': ATTEMPTS },
        env: stack.env,
        timeoutMs: 120_000,
      });
      expect({ run, exitCode: result.exitCode, status: result.outputs.status }).toEqual({
        run,
        exitCode: 0,
        status: 'succeeded',
      });
      const state = (await stack.simulator.state('ecs')) as {
        services: { serviceName: string; deployments: SimDeployment[] }[];
        taskDefinitions?: unknown;
      };
      const deployments = state.services.find((s) => s.serviceName === service)?.deployments ?? [];
      const primary = deployments.filter((d) => d.status === 'PRIMARY');
      expect(primary).toHaveLength(1);
      expect(primary[0]).toMatchObject({ rolloutState: 'COMPLETED' });
      expect(primary[0]?.taskDefinition).toBe(result.outputs['task-definition-arn']);
      expect(result.outputs['deployment-id']).toBe(primary[0]?.id);
    }
    const stats = (await stack.faults.read()).stats;
    expect(stats.faults['lost-answer']).toBeGreaterThan(0);
    expect(Object.values(stats.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(RUNS);
  });
});

describe('deploy-beanstalk', () => {
  let sim: BeanstalkStack;
  beforeAll(async () => {
    sim = await BeanstalkStack.start(true);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  test(`${RUNS} deploys at ${RATE * 100} % faults each leave the environment on the new version, made once`, async () => {
    await sim.fresh('healthy');
    await sim.stack.faults.configure({ rate: RATE, kinds: KINDS, seed: 2412, resetStats: true });
    for (let run = 1; run <= RUNS; run++) {
      const label = `soak-${run}`;
      const result = await sim.deploy({
        image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/model:${run}`,
        'version-label': label,
        'aws-max-attempts': ATTEMPTS,
      });
      expect({ run, exitCode: result.exitCode, status: result.outputs.status }).toEqual({
        run,
        exitCode: 0,
        status: 'succeeded',
      });
      expect(await sim.environment()).toMatchObject({
        EnvironmentName: ENV,
        VersionLabel: label,
        Status: 'Ready',
      });
      expect((await sim.versions()).filter((v) => v.VersionLabel === label)).toHaveLength(1);
    }
    const stats = (await sim.stack.faults.read()).stats;
    expect(stats.faults['lost-answer']).toBeGreaterThan(0);
  });
});
