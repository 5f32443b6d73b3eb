/**
 * A lost UpdateEnvironment answer: the fault proxy, in front of the scenario simulator, forwards
 * the call (MWAA starts the update), then drops the connection. The SDK retries (ECONNRESET is a
 * transient error to it) and MWAA refuses the retry with ValidationException, the environment
 * being UPDATING already (MWAA API reference, UpdateEnvironment errors). The bundled action reads
 * the environment back, recognises its own update and ends on a verified success.
 */
import { rmSync } from 'node:fs';
import { SyncStack, workspaceWithRequirements } from './sync-stack';

jest.setTimeout(120_000);

let sim: SyncStack;
// The action's own time runs slower than the simulator's: at 600x the harness's preload shrinks
// the SDK's own timers (its 10 s connect timeout to 17 ms), and on a loaded machine a call the
// simulator already took was then sent a third time (seen in CI), blurring what is measured.
const ACTION_SPEED = 20;

beforeAll(async () => {
  // 600 virtual seconds a second: the `slow` scenario's 25-minute update plays in 2.5 s, long
  // enough that the SDK's retry meets the environment still UPDATING.
  sim = await SyncStack.start({ simulatorSpeed: 600, faultsInFront: true });
}, 60_000);
afterAll(async () => {
  await sim?.stop();
});

test('a lost UpdateEnvironment answer converges: AVAILABLE with our requirements version, one update', async () => {
  const workspace = workspaceWithRequirements('apache-airflow-providers-amazon==8.16.0\n');
  const bucket = await sim.newBucket({ versioned: true });
  await sim.environment('lost-answer', bucket, 'slow');
  await sim.stack.faults.configure({
    rules: [
      {
        kind: 'lost-answer',
        match: { service: 'airflow', method: 'PATCH', pathPrefix: '/environments/' },
        count: 1,
      },
    ],
    resetStats: true,
  });

  const result = await sim.sync(
    workspace,
    { bucket, 'mwaa-environment': 'lost-answer', requirements: 'requirements.txt' },
    // Real time: this test counts calls, and any acceleration shrinks the SDK's timers too.
    { clockSpeed: 1 },
  );

  const faults = await sim.stack.faults.read();
  expect(faults.stats.faults['lost-answer']).toBe(1);
  const calls = await sim.stack.simulator.calls({ service: 'mwaa', operation: 'UpdateEnvironment' });
  expect(calls.filter((c) => c.params.Name === 'lost-answer')).toHaveLength(2); // the call and the SDK's retry
  if (result.exitCode !== 0) throw new Error(`sync-dags failed:\n${result.stdout}`);
  const version = await sim.latestVersion(bucket, 'requirements.txt');
  expect(result.outputs).toMatchObject({
    status: 'succeeded',
    'environment-status': 'AVAILABLE',
    'requirements-version': version,
  });
  expect(result.stdout).toContain("this run's update, whose answer was lost; waiting for it");
  expect(result.stdout).toMatch(/MWAA environment lost-answer: AVAILABLE/);

  const environment = await sim.mwaaState('lost-answer');
  expect(environment).toMatchObject({
    Status: 'AVAILABLE',
    RequirementsS3ObjectVersion: version,
    LastUpdate: expect.objectContaining({ Status: 'SUCCESS' }),
  });
  expect(environment.Updates).toHaveLength(1);
  expect(environment.Updates[0]?.requested).toMatchObject({ RequirementsS3ObjectVersion: version });
  rmSync(workspace, { recursive: true, force: true });
});

// timeout-minutes 0.1 is the smallest the input takes; the allowance is one per-call deadline
// (30 s, packages/kit/src/aws.ts) plus start-up, as the README's bound says.
const SILENT_BOUND_MS = 0.1 * 60_000 + 30_000;

test('an MWAA endpoint that stops answering while the update is followed: the run ends within its bound', async () => {
  const workspace = workspaceWithRequirements('apache-airflow-providers-amazon==8.17.0\n');
  const bucket = await sim.newBucket({ versioned: true });
  await sim.environment('silent', bucket, 'slow');
  // Reading the environment before the update is answered; every GetEnvironment after the update
  // (the polls that follow it) is read and never answered.
  await sim.stack.faults.configure({
    rules: [
      {
        kind: 'never-answer',
        match: { service: 'airflow', method: 'GET', pathPrefix: '/environments/' },
        after: 2,
      },
    ],
    resetStats: true,
  });

  const started = Date.now();
  const result = await sim.sync(
    workspace,
    { bucket, 'mwaa-environment': 'silent', requirements: 'requirements.txt', 'timeout-minutes': '0.1' },
    { clockSpeed: ACTION_SPEED },
  );
  const elapsed = Date.now() - started;

  expect(result.stages.find((s) => s.timedOut)).toBeUndefined();
  expect(elapsed).toBeLessThan(SILENT_BOUND_MS);
  expect(result.exitCode).toBe(1);
  const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(errors).toEqual([expect.stringMatching(/MWAA GetEnvironment got no answer within 30 s|Timed out/)]);
  expect((await sim.stack.faults.read()).stats.faults['never-answer']).toBeGreaterThanOrEqual(1);
  rmSync(workspace, { recursive: true, force: true });
});
