/**
 * A lost answer: the fault proxy (in front of the scenario simulator) forwards the call, lets it
 * happen, then drops the connection. The SDK retries a call whose effect already happened, and
 * AWS answers the retry with an error ("already exists", "invalid state"); the action must read
 * the state back, recognise its own change and go on, ending on a verified success.
 */
import { BeanstalkStack } from './beanstalk-stack';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1.5.0';
let sim: BeanstalkStack;
jest.setTimeout(90_000);

beforeAll(async () => {
  sim = await BeanstalkStack.start(true);
}, 60_000);
afterAll(async () => {
  await sim?.stop();
});
afterEach(async () => {
  await sim.stack.faults.configure({ rate: 0, rules: [], resetStats: true });
});

const loseFirst = (operation: string) =>
  sim.stack.faults.configure({
    rules: [{ kind: 'lost-answer', match: { service: 'elasticbeanstalk', operation }, count: 1 }],
    resetStats: true,
  });

test.each(['CreateApplicationVersion', 'UpdateEnvironment'])(
  'a lost %s answer converges: the environment runs the new version, made and deployed once',
  async (operation) => {
    await sim.fresh('healthy');
    await loseFirst(operation);
    // Real time: this test counts calls, and the harness's acceleration shrinks the SDK's own
    // timers too (its connect timeout to milliseconds), which on a loaded machine resent a call.
    const result = await sim.deploy({ image: IMAGE, 'version-label': 'v1' }, {}, undefined, {
      clockSpeed: 1,
    });

    const faults = await sim.stack.faults.read();
    expect(faults.stats.faults['lost-answer']).toBe(1);
    expect(await sim.calls(operation)).toHaveLength(2); // the call and the SDK's retry
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'succeeded', 'version-label': 'v1', health: 'Green' });
    expect(await sim.environment()).toMatchObject({ VersionLabel: 'v1', Status: 'Ready', Health: 'Green' });
    const versions = (await sim.versions()).filter((v) => v.VersionLabel === 'v1');
    expect(versions).toHaveLength(1);
    const updates = (await sim.environment()).Updates.filter((u) => u.target === 'v1');
    expect(updates).toHaveLength(1);
    expect(result.stdout).not.toContain('someone else');
  },
);

// timeout-minutes 0.1 is the smallest the input takes; the allowance is one per-call deadline
// (30 s, packages/kit/src/aws.ts) plus start-up, as the README's bound says.
const SILENT_BOUND_MS = 0.1 * 60_000 + 30_000;

test('an Elastic Beanstalk endpoint that stops answering: the run ends within its bound, naming the call', async () => {
  await sim.fresh('slow');
  // Every DescribeEnvironments is read and never answered. (The harness runs the action's clock
  // 300 times faster, but not the per-call deadline: AbortSignal.timeout keeps real time.)
  await sim.stack.faults.configure({
    rules: [
      { kind: 'never-answer', match: { service: 'elasticbeanstalk', operation: 'DescribeEnvironments' } },
    ],
    resetStats: true,
  });
  const started = Date.now();
  const result = await sim.deploy({ image: IMAGE, 'version-label': 'v-silent', 'timeout-minutes': '0.1' });
  const elapsed = Date.now() - started;

  expect(result.stages.find((s) => s.timedOut)).toBeUndefined();
  expect(elapsed).toBeLessThan(SILENT_BOUND_MS);
  expect(result.exitCode).toBe(1);
  const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toBe(
    'ElasticBeanstalk DescribeEnvironments got no answer within 30 s (retries included)',
  );
  expect((await sim.stack.faults.read()).stats.faults['never-answer']).toBeGreaterThanOrEqual(1);
});
