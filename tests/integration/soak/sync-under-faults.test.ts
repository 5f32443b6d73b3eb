/**
 * Twenty syncs through a fault proxy in front of the scenario simulator (S3 calls pass it on to
 * moto), at a 30 % fault rate that includes lost answers: each run adds, changes and deletes DAGs
 * with `delete: true`, and must leave the bucket holding exactly the folder's files, byte for
 * byte, and no lease behind. The proxy is seeded, so a failure here replays with the same faults.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { FaultKind } from '../../support/fault-proxy';
import { SyncStack } from '../sync-dags/sync-stack';

jest.setTimeout(600_000);

const RUNS = 20;
const KINDS: FaultKind[] = ['throttle', 'internal-error', 'unavailable', 'drop', 'lost-answer'];
// At 30 % a call fails all of 8 attempts once in 15,000 calls; a soak makes thousands of calls,
// so it allows more attempts than the default to test convergence, not luck.
const ATTEMPTS = '14';

let sim: SyncStack;
beforeAll(async () => {
  sim = await SyncStack.start({ faultsInFront: true });
});
afterAll(async () => {
  await sim?.stop();
});

function filesOf(root: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else found.set(relative(root, path), createHash('md5').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(root);
  return found;
}

async function bucketOf(bucket: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const listed = await sim.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  for (const object of listed.Contents ?? []) {
    const body = await sim.s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
    const bytes = Buffer.from(await body.Body!.transformToByteArray());
    found.set(object.Key ?? '', createHash('md5').update(bytes).digest('hex'));
  }
  return found;
}

test(`${RUNS} syncs at 30 % faults each leave the bucket equal to the folder, and no lease`, async () => {
  const bucket = await sim.newBucket();
  const workspace = mkdtempSync(join(tmpdir(), 'soak-sync-'));
  const dags = join(workspace, 'dags');
  mkdirSync(join(dags, 'common'), { recursive: true });
  await sim.stack.faults.configure({ rate: 0.3, kinds: KINDS, seed: 3141, resetStats: true });
  for (let run = 1; run <= RUNS; run++) {
    writeFileSync(join(dags, `dag_${run}.py`), `from common.helpers import answer\nRUN = ${run}\n`);
    writeFileSync(join(dags, 'common', 'helpers.py'), `def answer():\n    return ${run}\n`);
    if (run > 2) rmSync(join(dags, `dag_${run - 2}.py`));
    const result = await sim.sync(workspace, {
      bucket,
      source: 'dags',
      delete: 'true',
      'aws-max-attempts': ATTEMPTS,
    });
    expect({ run, exitCode: result.exitCode, status: result.outputs.status }).toEqual({
      run,
      exitCode: 0,
      status: 'succeeded',
    });
    const want = new Map([...filesOf(dags)].map(([path, md5]) => [`dags/${path}`, md5]));
    expect({ run, bucket: Object.fromEntries(await bucketOf(bucket)) }).toEqual({
      run,
      bucket: Object.fromEntries(want),
    });
  }
  const stats = (await sim.stack.faults.read()).stats;
  expect(stats.faults['lost-answer']).toBeGreaterThan(0);
  rmSync(workspace, { recursive: true, force: true });
});
