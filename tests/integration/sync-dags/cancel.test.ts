/**
 * GitHub's cancel (SIGINT, SIGTERM 7.5 s later, then a kill: actions/runner ProcessInvoker; docs
 * "Canceling a workflow"), done by the harness to the bundled sync-dags while it waits for a slow
 * MWAA update on the scenario simulator.
 */
import { rmSync } from 'node:fs';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { SyncStack, workspaceWithRequirements } from './sync-stack';

jest.setTimeout(120_000);

let sim: SyncStack;
beforeAll(async () => {
  // 60 virtual seconds a second: the `slow` scenario's 25-minute update lasts 25 s, far longer
  // than the cancel takes.
  sim = await SyncStack.start({ simulatorSpeed: 60 });
}, 60_000);
afterAll(async () => {
  await sim?.stop();
});

test('a cancel during the MWAA wait reports the update in flight within 5 s, with outputs, summary and the lease released', async () => {
  const workspace = workspaceWithRequirements('apache-airflow-providers-amazon==8.16.0\n');
  const bucket = await sim.newBucket({ versioned: true });
  await sim.environment('cancel-me', bucket, 'slow');

  const result = await sim.sync(
    workspace,
    { bucket, 'mwaa-environment': 'cancel-me', requirements: 'requirements.txt' },
    { cancel: { whenLine: /MWAA environment cancel-me: UPDATING/ } },
  );

  const main = result.stages.find((stage) => stage.stage === 'main');
  expect(main?.cancelToExitMs).toBeLessThan(5_000);
  expect(main?.signal).toBeNull(); // it left on its own, before SIGTERM
  expect(result.exitCode).toBe(1);
  expect(result.stdout).toContain('Received SIGINT: the run is being cancelled; no new change is started');
  expect(result.annotations).toContainEqual(
    expect.objectContaining({ level: 'error', message: 'Cancelled by the runner (SIGINT)' }),
  );
  expect(result.stdout).toContain(
    'MWAA environment cancel-me is updating to the new versions (last seen UPDATING); MWAA goes on with it.',
  );
  expect(result.outputs).toMatchObject({ status: 'cancelled', 'environment-status': 'UPDATING' });
  expect(result.outputs['requirements-version']).toBe(await sim.latestVersion(bucket, 'requirements.txt'));
  expect(result.summary).toContain('Cancelled: left in flight');
  expect(result.summary).toContain('MWAA environment cancel-me is updating to the new versions');
  expect(result.stdout).toContain(`Released the lease s3://${bucket}/dags.sync-dags.lease`);
  await expect(
    sim.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dags.sync-dags.lease' })),
  ).rejects.toMatchObject({ name: 'NotFound' });

  // The update goes on in MWAA, as the step said.
  expect(await sim.mwaaState('cancel-me')).toMatchObject({ Status: 'UPDATING' });
  rmSync(workspace, { recursive: true, force: true });
});
