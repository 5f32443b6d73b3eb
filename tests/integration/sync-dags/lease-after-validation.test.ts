/**
 * The lease is taken only once the DAGs are validated: validation reads the folder alone, so a DAG
 * that does not compile ends the run without a single write to the bucket, the lease's included.
 * Counted in the simulator's log of the S3 calls it passed on (every call the action makes goes
 * through it), not by timing.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateDagTree, write } from './dag-tree';
import { SyncStack, workspaceWithRequirements } from './sync-stack';

jest.setTimeout(120_000);

let sim: SyncStack;
beforeAll(async () => {
  sim = await SyncStack.start();
}, 60_000);
afterAll(async () => {
  await sim?.stop();
});

// Path-style (`/bucket/key`) or virtual-hosted (`/key`): the lease object of the `dags` prefix.
const LEASE_WRITE = /^(PUT|DELETE) \/(?:[^/]+\/)?dags\.sync-dags\.lease$/;

/** The PUTs and DELETEs of the lease object, in order, since the log was last cleared. */
async function leaseWrites(): Promise<string[]> {
  const calls = await sim.stack.simulator.calls({ service: 's3' });
  return calls.map((call) => call.operation).filter((operation) => LEASE_WRITE.test(operation));
}

test('a DAG that does not compile fails the run with no PutObject or DeleteObject of the lease; once fixed, the run takes and releases it', async () => {
  const workspace = workspaceWithRequirements('', 4);
  const dags = join(workspace, 'dags');
  write(dags, 'team_0/broken.py', 'import os\n\ndef run(:\n    pass\n');
  const bucket = await sim.newBucket();

  await sim.stack.simulator.clearCalls();
  const broken = await sim.sync(workspace, { bucket, delete: 'true' });
  expect(broken.exitCode).toBe(1);
  expect(broken.annotations).toContainEqual(
    expect.objectContaining({ level: 'error', file: 'dags/team_0/broken.py', line: 3 }),
  );
  expect(await leaseWrites()).toEqual([]);
  // Nothing else was written either: the only S3 calls were reads.
  const s3Writes = (await sim.stack.simulator.calls({ service: 's3' })).filter((call) =>
    /^(PUT|POST|DELETE) /.test(call.operation),
  );
  expect(s3Writes).toEqual([]);

  // The same log sees the lease when the run gets that far: written first, deleted last.
  write(dags, 'team_0/broken.py', 'import os\n\ndef run():\n    pass\n');
  await sim.stack.simulator.clearCalls();
  const fixed = await sim.sync(workspace, { bucket, delete: 'true' });
  expect(fixed.exitCode).toBe(0);
  const writes = await leaseWrites();
  expect(writes[0]).toMatch(/^PUT /);
  expect(writes.at(-1)).toMatch(/^DELETE /);
  rmSync(workspace, { recursive: true, force: true });
});

test('a failing validation command takes no lease either', async () => {
  const workspace = workspaceWithRequirements('', 2);
  generateDagTree(join(workspace, 'dags'), { files: 2 });
  const bucket = await sim.newBucket();
  await sim.stack.simulator.clearCalls();
  const result = await sim.sync(workspace, { bucket, validate: 'exit 3' });
  expect(result.exitCode).toBe(1);
  expect(result.annotations).toContainEqual(
    expect.objectContaining({
      level: 'error',
      message: 'Validation command failed with exit code 3; nothing was uploaded',
    }),
  );
  expect(await leaseWrites()).toEqual([]);
  rmSync(workspace, { recursive: true, force: true });
});
