/**
 * Two sync-dags on one prefix at once, each with its own tree and delete: true. Without a lease
 * each plans against the listing it read, and the two uploads and deletes interleave into a tree
 * that matches neither. With the lease (an S3 object written with If-None-Match: *, which moto
 * honours as S3 does) the second run waits, then plans against what the first left: the bucket
 * ends equal to one of the two trees, every time.
 *
 * A run takes the lease only after validating its DAGs, so two runs started together need not
 * meet at the lease at all. So that they do, every time and whatever the machine's load, the test
 * holds the lease first (with the action's own Lease, as a third run would), waits until the
 * simulator's call log shows both runs' refused conditional writes, and then lets it go.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { systemClock } from '@deploy-suite/kit';
import { Lease } from '../../../actions/sync-dags/src/lease';
import { recordingLog } from '../../support/fakes';
import { bucketContents, generateDagTree, localContents, write } from './dag-tree';
import { SyncStack } from './sync-stack';

jest.setTimeout(240_000);

let sim: SyncStack;
beforeAll(async () => {
  sim = await SyncStack.start();
}, 60_000);
afterAll(async () => {
  await sim?.stop();
});

/** Tree A: generated DAGs. Tree B: other DAGs, and a file of A's under the same path with other content. */
function twoTrees(): { a: string; b: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'sync-dags-concurrent-'));
  const a = join(root, 'a');
  const b = join(root, 'b');
  generateDagTree(a, { files: 60 });
  for (let i = 0; i < 45; i++) write(b, `squad_${i % 4}/flow_${i}.py`, `flow = ${i}\n`.repeat(50 + i));
  write(b, 'team_1/dag_1.py', 'replaced = True\n');
  return { a, b, root };
}

const leaseExists = async (bucket: string): Promise<boolean> =>
  sim.s3
    .send(new HeadObjectCommand({ Bucket: bucket, Key: 'dags.sync-dags.lease' }))
    .then(() => true)
    .catch(() => false);

/** The lease on `dags/`, held by the test as "org/example run <runId>" would hold it. */
function holdLease(bucket: string, runId: string): Promise<Lease> {
  return Lease.acquire(
    {
      bucket,
      prefix: 'dags/',
      owner: { repository: 'org/example', runId, runAttempt: '1', job: 'harness', nonce: `test-${runId}` },
      timeoutMs: 0,
    },
    { s3: sim.s3, clock: systemClock, log: recordingLog() },
  );
}

/** Resolves once the runs have tried to write the lease `count` times (refused while it is held). */
async function leaseWriteAttempts(count: number): Promise<void> {
  const attempts = async () =>
    (await sim.stack.simulator.calls({ service: 's3' })).filter((call) =>
      /^PUT \/(?:[^/]+\/)?dags\.sync-dags\.lease$/.test(call.operation),
    ).length;
  for (let i = 0; i < 1200 && (await attempts()) < count; i++) await new Promise((r) => setTimeout(r, 50));
}

test('two concurrent runs with delete: true leave one of the two trees, never a mix (3 rounds)', async () => {
  const { a, b, root } = twoTrees();
  const bucket = await sim.newBucket();
  const trees = [localContents(a), localContents(b)];
  const run = (source: string, runId: string) =>
    sim.sync(
      root,
      {
        bucket,
        source: source.slice(root.length + 1),
        delete: 'true',
        'max-delete-percent': '100',
        'max-delete': '1000',
      },
      { env: { GITHUB_RUN_ID: runId } },
    );

  for (let round = 1; round <= 3; round++) {
    const held = await holdLease(bucket, `${round}00`);
    await sim.stack.simulator.clearCalls();
    const runs = Promise.all([run(a, `${round}01`), run(b, `${round}02`)]);
    // The runs validated their DAGs and met the lease; once it is let go they race for it.
    await leaseWriteAttempts(2);
    await held.release(sim.s3);
    const [first, second] = await runs;
    for (const result of [first, second]) {
      if (result.exitCode !== 0) throw new Error(`round ${round}: sync-dags failed:\n${result.stdout}`);
    }
    const contents = await bucketContents(sim.s3, bucket, 'dags/');
    expect([trees[0], trees[1]]).toContainEqual(contents);
    // The lease held them: a run waited for it, naming who held it.
    expect(`${first.stdout}\n${second.stdout}`).toMatch(
      /Waiting for s3:\/\/\S+\/dags\.sync-dags\.lease: held by org\/example run \d+ attempt 1 job harness until /,
    );
    expect(await leaseExists(bucket)).toBe(false);
  }
  rmSync(root, { recursive: true, force: true });
});

test('with lease-timeout-minutes: 0 a second run fails at once in one line naming the holder, and changes nothing', async () => {
  const { a, root } = twoTrees();
  const bucket = await sim.newBucket();
  const held = await holdLease(bucket, '901');
  const second = await sim.sync(
    root,
    { bucket, source: 'b', 'lease-timeout-minutes': '0' },
    { env: { GITHUB_RUN_ID: '902' } },
  );
  expect(second.exitCode).toBe(1);
  expect(second.annotations).toContainEqual(
    expect.objectContaining({
      level: 'error',
      message: expect.stringMatching(
        /^Another sync-dags holds s3:\/\/\S+\/dags\/ \(lease s3:\/\/\S+\/dags\.sync-dags\.lease, held by org\/example run 901 attempt 1 job harness until \S+\); lease-timeout-minutes is 0, so this run did not wait$/,
      ),
    }),
  );
  expect(second.outputs.status).toBe('failed');
  expect(await bucketContents(sim.s3, bucket, 'dags/')).toEqual(new Map());
  // The holder's lease is untouched; once it is let go, a run takes it and syncs.
  expect(await leaseExists(bucket)).toBe(true);
  await held.release(sim.s3);
  const first = await sim.sync(root, { bucket, source: 'a' }, { env: { GITHUB_RUN_ID: '903' } });
  expect(first.exitCode).toBe(0);
  expect(await bucketContents(sim.s3, bucket, 'dags/')).toEqual(localContents(a));
  rmSync(root, { recursive: true, force: true });
});
