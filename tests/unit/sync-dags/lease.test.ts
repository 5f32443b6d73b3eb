/**
 * The lease on a prefix: S3 conditional writes (PutObject If-None-Match: * to take it, If-Match on
 * the ETag to take over an expired one, renew or delete it; S3 answers 412 PreconditionFailed when
 * the condition fails), with an injected clock so no test waits.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DeployFailed, type Clock } from '@deploy-suite/kit';
import { fakeClock, recordingLog } from '../../support/fakes';
import {
  isLeaseKey,
  Lease,
  LEASE_TTL_MS,
  leaseKey,
  readLease,
  type LeaseOwner,
} from '../../../actions/sync-dags/src/lease';
import { fakeBucket } from './fake-aws';

const KEY = 'dags.sync-dags.lease';
const owner = (runId: string): LeaseOwner => ({
  repository: 'org/repo',
  runId,
  runAttempt: '1',
  job: 'sync',
  nonce: `nonce-${runId}`,
});
const options = (runId: string, timeoutMs = 0) => ({
  bucket: 'b',
  prefix: 'dags/',
  owner: owner(runId),
  timeoutMs,
});

/** A fake clock whose pauses can make something happen (another run releasing its lease). */
function clockWith(onSleep: (slept: number) => void = () => undefined): Clock & { slept: number[] } {
  const clock = fakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const sleep = clock.sleep;
  clock.sleep = async (ms) => {
    await sleep(ms);
    onSleep(clock.slept.reduce((a, b) => a + b, 0));
  };
  return clock;
}

const leaseIn = (bucket: ReturnType<typeof fakeBucket>) =>
  JSON.parse(bucket.objects.get(KEY)?.body.toString() ?? 'null') as {
    owner: LeaseOwner;
    expiresAt: string;
  } | null;

describe('where the lease lives', () => {
  it.each([
    ['dags/', 'dags.sync-dags.lease'],
    ['team/a/dags/', 'team/a/dags.sync-dags.lease'],
    ['', '.sync-dags.lease'],
  ])('prefix %j → %s, outside the prefix Airflow reads', (prefix, key) => {
    expect(leaseKey(prefix)).toBe(key);
    expect(key.startsWith(prefix) && prefix !== '').toBe(false);
    expect(isLeaseKey(key)).toBe(true);
  });

  it.each(['dags/a.py', 'dags/lease', 'dags/x.sync-dags.lease.bak'])('%s is not a lease', (key) => {
    expect(isLeaseKey(key)).toBe(false);
  });
});

describe('reading a lease someone wrote', () => {
  const modified = new Date('2026-01-01T00:00:00Z');
  it.each([
    ['not JSON', 'garbage', 'an unreadable lease', modified.getTime() + LEASE_TTL_MS],
    [
      'JSON without owner',
      '{"expiresAt":"2026-01-01T00:05:00Z"}',
      'an unreadable lease',
      modified.getTime() + LEASE_TTL_MS,
    ],
    ['null', 'null', 'an unreadable lease', modified.getTime() + LEASE_TTL_MS],
    [
      'a lease',
      JSON.stringify({ owner: owner('42'), expiresAt: '2026-01-01T00:05:00Z' }),
      'org/repo run 42 attempt 1 job sync',
      Date.parse('2026-01-01T00:05:00Z'),
    ],
    [
      'a lease with odd fields',
      JSON.stringify({ owner: { repository: 7, runId: 'x'.repeat(500) }, expiresAt: '2026-01-01T00:05:00Z' }),
      `? run ${'x'.repeat(200)} attempt ? job ?`,
      Date.parse('2026-01-01T00:05:00Z'),
    ],
  ])('%s', (_name, body, holder, expiresAt) => {
    expect(readLease(body, modified, LEASE_TTL_MS)).toMatchObject({ holder, expiresAt });
  });
});

describe('taking the lease', () => {
  it('writes it with If-None-Match: *, naming the owner and an expiry one TTL ahead', async () => {
    const bucket = fakeBucket();
    const clock = clockWith();
    await Lease.acquire(options('1'), { s3: bucket.s3, clock, log: recordingLog() });
    expect(bucket.mock.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Key: KEY,
      IfNoneMatch: '*',
    });
    const lease = leaseIn(bucket);
    expect(lease?.owner).toEqual(owner('1'));
    expect(Date.parse(lease?.expiresAt ?? '')).toBe(clock.now() + LEASE_TTL_MS);
  });

  it('fails in one line naming the holder when another run holds it and lease-timeout-minutes is 0', async () => {
    const bucket = fakeBucket();
    const clock = clockWith();
    await Lease.acquire(options('1'), { s3: bucket.s3, clock, log: recordingLog() });
    const second = Lease.acquire(options('2'), { s3: bucket.s3, clock, log: recordingLog() });
    await expect(second).rejects.toThrow(DeployFailed);
    await expect(second).rejects.toThrow(
      'Another sync-dags holds s3://b/dags/ (lease s3://b/dags.sync-dags.lease, held by org/repo run 1 attempt 1 job sync until 2026-01-01T00:10:00.000Z); lease-timeout-minutes is 0, so this run did not wait',
    );
    expect(clock.slept).toEqual([]);
  });

  it('waits, polling, while the holder works, and takes it once released', async () => {
    const bucket = fakeBucket();
    const log = recordingLog();
    const first = await Lease.acquire(options('1'), { s3: bucket.s3, clock: clockWith(), log });
    const clock = clockWith((slept) => {
      if (slept >= 30_000 && bucket.objects.has(KEY)) void first.release(bucket.s3);
    });
    await Lease.acquire(options('2', 60_000), { s3: bucket.s3, clock, log });
    expect(leaseIn(bucket)?.owner.runId).toBe('2');
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(30_000);
    expect(log.lines.filter((line) => line.startsWith('Waiting for'))).toEqual([
      'Waiting for s3://b/dags.sync-dags.lease: held by org/repo run 1 attempt 1 job sync until 2026-01-01T00:10:00.000Z (at most lease-timeout-minutes)',
    ]);
  });

  it('gives up at lease-timeout-minutes, having waited that long', async () => {
    const bucket = fakeBucket();
    await Lease.acquire(options('1'), { s3: bucket.s3, clock: clockWith(), log: recordingLog() });
    const clock = clockWith();
    await expect(
      Lease.acquire(options('2', 120_000), { s3: bucket.s3, clock, log: recordingLog() }),
    ).rejects.toThrow('waited 2 min (lease-timeout-minutes)');
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(120_000);
  });

  it('stops waiting, with no further write, once the run no longer wants the lease', async () => {
    const bucket = fakeBucket();
    await Lease.acquire(options('1'), { s3: bucket.s3, clock: clockWith(), log: recordingLog() });
    let wanted = true;
    const clock = clockWith(() => (wanted = false)); // the run fails during the first pause
    const waiting = Lease.acquire(
      { ...options('2', 120_000), wanted: () => wanted },
      { s3: bucket.s3, clock, log: recordingLog() },
    );
    await expect(waiting).rejects.toThrow('the run has ended');
    expect(clock.slept).toHaveLength(1);
    expect(bucket.mock.commandCalls(PutObjectCommand)).toHaveLength(2); // run 1's, and run 2's one try
    expect(leaseIn(bucket)?.owner.runId).toBe('1');
  });

  it('takes over an expired lease, conditional on its ETag, and says whose it was', async () => {
    const bucket = fakeBucket();
    const stale = bucket.put(
      KEY,
      Buffer.from(JSON.stringify({ owner: owner('7'), expiresAt: '2025-12-31T23:00:00Z' })),
    );
    const log = recordingLog();
    await Lease.acquire(options('2'), { s3: bucket.s3, clock: clockWith(), log });
    const takeover = bucket.mock.commandCalls(PutObjectCommand)[1]?.args[0].input;
    expect(takeover).toMatchObject({ Key: KEY, IfMatch: stale.etag });
    expect(leaseIn(bucket)?.owner.runId).toBe('2');
    expect(log.lines).toContainEqual(
      expect.stringContaining('Took over the expired lease s3://b/dags.sync-dags.lease of org/repo run 7'),
    );
  });

  it('recognises its own lease when the answer to its write was lost and the retry refused', async () => {
    const bucket = fakeBucket();
    const clock = clockWith();
    bucket.put(
      KEY,
      Buffer.from(
        JSON.stringify({ owner: owner('1'), expiresAt: new Date(clock.now() + LEASE_TTL_MS).toISOString() }),
      ),
    );
    const lease = await Lease.acquire(options('1'), { s3: bucket.s3, clock, log: recordingLog() });
    await lease.release(bucket.s3);
    expect(bucket.objects.has(KEY)).toBe(false);
  });
});

describe('holding the lease', () => {
  it('renews once a third of it has passed, conditional on its ETag', async () => {
    const bucket = fakeBucket();
    const clock = clockWith();
    const lease = await Lease.acquire(options('1'), { s3: bucket.s3, clock, log: recordingLog() });
    await clock.sleep(LEASE_TTL_MS / 3 - 1);
    await lease.renewIfDue();
    expect(bucket.mock.commandCalls(PutObjectCommand)).toHaveLength(1);
    await clock.sleep(1);
    await lease.renewIfDue();
    expect(bucket.mock.commandCalls(PutObjectCommand)[1]?.args[0].input).toMatchObject({
      IfMatch: expect.any(String),
    });
    expect(Date.parse(leaseIn(bucket)?.expiresAt ?? '')).toBe(clock.now() + LEASE_TTL_MS);
    await expect(lease.check('deleting')).resolves.toBeUndefined();
  });

  it('stops before deleting when another run took it over, and leaves that run’s lease in place', async () => {
    const bucket = fakeBucket();
    const clock = clockWith();
    const log = recordingLog();
    const lease = await Lease.acquire(options('1'), { s3: bucket.s3, clock, log });
    bucket.put(KEY, Buffer.from(JSON.stringify({ owner: owner('9'), expiresAt: '2030-01-01T00:00:00Z' })));
    await clock.sleep(LEASE_TTL_MS / 3);
    await expect(lease.check('deleting')).rejects.toThrow(
      'Lost the lease s3://b/dags.sync-dags.lease to org/repo run 9 attempt 1 job sync; stopped before deleting',
    );
    await lease.release(bucket.s3);
    expect(leaseIn(bucket)?.owner.runId).toBe('9');
  });

  it('releases with If-Match, so a lease no longer its own is never deleted', async () => {
    const bucket = fakeBucket();
    const lease = await Lease.acquire(options('1'), {
      s3: bucket.s3,
      clock: clockWith(),
      log: recordingLog(),
    });
    bucket.put(KEY, Buffer.from('someone else'));
    await lease.release(bucket.s3);
    expect(bucket.objects.get(KEY)?.body.toString()).toBe('someone else');
  });
});
