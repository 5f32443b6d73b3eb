import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Cancelled, DeployFailed, messageOf, type Clock, type Env, type Log } from '@deploy-suite/kit';

/**
 * One sync at a time per prefix. The lease is an S3 object beside the prefix, never under it, so
 * Airflow never sees it and no sync lists, uploads or deletes it: `dags/` → `dags.sync-dags.lease`
 * (the bucket root → `.sync-dags.lease`, which the plan leaves alone by its name).
 *
 * It is taken with a conditional write S3 makes atomic (PutObject If-None-Match: *, which fails
 * with 412 when the key exists), taken over when expired with If-Match on the expired lease's
 * ETag (so of two runs taking over, one wins), renewed the same way, and deleted with If-Match at
 * the end (S3 conditional requests: "Add preconditions to S3 operations with conditional requests").
 */
export const LEASE_SUFFIX = '.sync-dags.lease';

/** How long a lease holds without renewal; a runner that vanished blocks the prefix this long at most. */
export const LEASE_TTL_MS = 10 * 60_000;
/** A holder renews when a third of the lease has passed, so two renewals may fail before it lapses. */
export const LEASE_RENEW_AFTER_MS = LEASE_TTL_MS / 3;
/** How often a waiting run looks again. */
export const LEASE_POLL_MS = 5_000;

export function leaseKey(prefix: string): string {
  return `${prefix.replace(/\/+$/, '')}${LEASE_SUFFIX}`;
}

/** Any run's lease, at any prefix: never uploaded over, never deleted by a sync. */
export function isLeaseKey(key: string): boolean {
  return key.endsWith(LEASE_SUFFIX);
}

export interface LeaseOwner {
  repository: string;
  runId: string;
  runAttempt: string;
  job: string;
  /** Tells this run's lease from another job of the same run (a matrix), and a lost answer's effect from a rival's. */
  nonce: string;
}

export interface LeaseRecord {
  owner: LeaseOwner;
  prefix: string;
  acquiredAt: string;
  expiresAt: string;
}

export function ownerFromEnv(env: Env, nonce: string): LeaseOwner {
  return {
    repository: env.GITHUB_REPOSITORY ?? 'unknown repository',
    runId: env.GITHUB_RUN_ID ?? 'unknown',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    job: env.GITHUB_JOB ?? 'unknown',
    nonce,
  };
}

export function describeOwner(owner: LeaseOwner): string {
  return `${owner.repository} run ${owner.runId} attempt ${owner.runAttempt} job ${owner.job}`;
}

export interface HeldBy {
  /** Who holds it, as the lease says (another writer's words: only ever logged). */
  holder: string;
  nonce: string | undefined;
  expiresAt: number;
}

/**
 * Reads a lease someone wrote. A body that is not a lease (a hand-written object, a truncated
 * write) is held until its LastModified plus the TTL, so it still expires.
 */
export function readLease(body: string, lastModified: Date | undefined, ttlMs: number): HeldBy {
  const fallback = {
    holder: 'an unreadable lease',
    nonce: undefined,
    expiresAt: (lastModified?.getTime() ?? 0) + ttlMs,
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return fallback;
  }
  const record = parsed as Partial<LeaseRecord> | null;
  const owner = record?.owner;
  const expiresAt = typeof record?.expiresAt === 'string' ? Date.parse(record.expiresAt) : NaN;
  if (typeof owner !== 'object' || owner === null || Number.isNaN(expiresAt)) return fallback;
  const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 200) : '?');
  return {
    holder: describeOwner({
      repository: text(owner.repository),
      runId: text(owner.runId),
      runAttempt: text(owner.runAttempt),
      job: text(owner.job),
      nonce: '',
    }),
    nonce: typeof owner.nonce === 'string' ? owner.nonce : undefined,
    expiresAt,
  };
}

export interface LeaseOptions {
  bucket: string;
  prefix: string;
  owner: LeaseOwner;
  /** How long to wait for another run's lease; 0 fails at once. */
  timeoutMs: number;
  ttlMs?: number;
  pollMs?: number;
  /** False once the run no longer needs the lease (it failed while the lease was being taken): stop waiting. */
  wanted?: () => boolean;
}

export interface LeasePorts {
  s3: S3Client;
  clock: Clock;
  log: Log;
}

/** A lease this run holds. */
export class Lease {
  private lastWritten: number;
  private renewal: Promise<void> | undefined;
  private lostTo: string | undefined;

  private constructor(
    private readonly options: Required<LeaseOptions>,
    private readonly ports: LeasePorts,
    private etag: string,
    writtenAt: number,
  ) {
    this.lastWritten = writtenAt;
  }

  get key(): string {
    return leaseKey(this.options.prefix);
  }

  /** Takes the lease, waiting up to timeoutMs for another run's; fails in one line naming the holder. */
  static async acquire(options: LeaseOptions, ports: LeasePorts): Promise<Lease> {
    const full: Required<LeaseOptions> = {
      ttlMs: LEASE_TTL_MS,
      pollMs: LEASE_POLL_MS,
      wanted: () => true,
      ...options,
    };
    const { clock, log } = ports;
    const key = leaseKey(full.prefix);
    const where = `s3://${full.bucket}/${key}`;
    const deadline = clock.now() + full.timeoutMs;
    let waitingFor: string | undefined;
    for (;;) {
      if (!full.wanted()) throw new DeployFailed(`Stopped taking the lease ${where}: the run has ended`);
      const now = clock.now();
      const body = leaseBody(full, now);
      const created = await conditionalPut(ports.s3, full.bucket, key, body, { IfNoneMatch: '*' });
      if (created !== undefined) return new Lease(full, ports, created, now);

      const current = await readCurrent(ports.s3, full.bucket, key, full.ttlMs);
      if (current === undefined) continue; // released between the two calls
      if (current.held.nonce === full.owner.nonce) {
        // Our own write, whose answer was lost and whose retry S3 refused.
        return new Lease(full, ports, current.etag, now);
      }
      if (current.held.expiresAt <= now) {
        const taken = await conditionalPut(ports.s3, full.bucket, key, body, { IfMatch: current.etag });
        if (taken !== undefined) {
          log.warning(
            `Took over the expired lease ${where} of ${current.held.holder} (expired ${new Date(current.held.expiresAt).toISOString()}): that run ended without releasing it`,
          );
          return new Lease(full, ports, taken, now);
        }
        continue; // another run took it over first, or its holder renewed it
      }
      const until = new Date(current.held.expiresAt).toISOString();
      if (now >= deadline) {
        throw new DeployFailed(
          `Another sync-dags holds s3://${full.bucket}/${full.prefix} (lease ${where}, held by ${current.held.holder} until ${until}); ` +
            (full.timeoutMs === 0
              ? 'lease-timeout-minutes is 0, so this run did not wait'
              : `waited ${Math.round(full.timeoutMs / 60_000)} min (lease-timeout-minutes)`),
        );
      }
      if (waitingFor !== current.held.holder) {
        waitingFor = current.held.holder;
        log.info(
          `Waiting for ${where}: held by ${current.held.holder} until ${until} (at most lease-timeout-minutes)`,
        );
      }
      await clock.sleep(Math.min(full.pollMs, Math.max(deadline - now, 0)));
    }
  }

  /** Renews when a third of the lease has passed; one renewal at a time. Never throws. */
  renewIfDue(): Promise<void> {
    if (this.lostTo !== undefined) return Promise.resolve();
    if (this.renewal === undefined && this.ports.clock.now() - this.lastWritten >= this.options.ttlMs / 3) {
      this.renewal = this.renew().finally(() => (this.renewal = undefined));
    }
    return this.renewal ?? Promise.resolve();
  }

  /** Before a step that must not run without the lease (deletes, the MWAA update). */
  async check(before: string): Promise<void> {
    await this.renewIfDue();
    if (this.lostTo !== undefined) {
      throw new DeployFailed(
        `Lost the lease s3://${this.options.bucket}/${this.key} to ${this.lostTo}; stopped before ${before}`,
        ['Files already uploaded stay; run the step again once the other run has ended.'],
      );
    }
  }

  /** Deletes the lease if it is still ours; a failure is a warning (the lease then expires by itself). */
  async release(s3: S3Client): Promise<void> {
    const where = `s3://${this.options.bucket}/${this.key}`;
    await this.renewal?.catch(() => undefined);
    if (this.lostTo !== undefined) return;
    try {
      await s3.send(
        new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.key, IfMatch: this.etag }),
      );
      this.ports.log.info(`Released the lease ${where}`);
    } catch (err) {
      if (isGone(err) || isPreconditionFailed(err)) return; // already released (a lost answer) or no longer ours
      this.ports.log.warning(
        `Could not release the lease ${where} (${messageOf(err)}); it expires by itself within ${Math.round(this.options.ttlMs / 60_000)} min`,
      );
    }
  }

  private async renew(): Promise<void> {
    const { bucket } = this.options;
    const now = this.ports.clock.now();
    try {
      const body = leaseBody(this.options, now);
      const etag = await conditionalPut(this.ports.s3, bucket, this.key, body, { IfMatch: this.etag });
      if (etag !== undefined) {
        this.etag = etag;
        this.lastWritten = now;
        return;
      }
      const current = await readCurrent(this.ports.s3, bucket, this.key, this.options.ttlMs);
      if (current?.held.nonce === this.options.owner.nonce) {
        this.etag = current.etag; // our renewal took effect; its answer was lost
        this.lastWritten = now;
        return;
      }
      this.lostTo = current?.held.holder ?? 'nobody (it was deleted)';
      this.ports.log.warning(`The lease s3://${bucket}/${this.key} was taken over by ${this.lostTo}`);
    } catch (err) {
      if (err instanceof Cancelled) return; // the run ends; the lease is released next
      // A failed renewal is retried at the next check; the lease still has two thirds of its time.
      this.ports.log.warning(`Could not renew the lease s3://${bucket}/${this.key}: ${messageOf(err)}`);
    }
  }
}

function leaseBody(options: Required<LeaseOptions>, now: number): string {
  const record: LeaseRecord = {
    owner: options.owner,
    prefix: options.prefix,
    acquiredAt: new Date(now).toISOString(),
    expiresAt: new Date(now + options.ttlMs).toISOString(),
  };
  return JSON.stringify(record);
}

/** The new ETag, or undefined when S3 refused the precondition. */
async function conditionalPut(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string,
  condition: { IfNoneMatch: '*' } | { IfMatch: string },
): Promise<string | undefined> {
  try {
    const answer = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
        ...condition,
      }),
    );
    return answer.ETag ?? '';
  } catch (err) {
    // 412: the condition failed; 409 ConditionalRequestConflict: a concurrent conditional write
    // won; 404 on If-Match: the object went away. Each means "read again".
    if (isPreconditionFailed(err) || isGone(err)) return undefined;
    throw err;
  }
}

async function readCurrent(
  s3: S3Client,
  bucket: string,
  key: string,
  ttlMs: number,
): Promise<{ etag: string; held: HeldBy } | undefined> {
  try {
    const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = (await answer.Body?.transformToString()) ?? '';
    return { etag: answer.ETag ?? '', held: readLease(body.slice(0, 4096), answer.LastModified, ttlMs) };
  } catch (err) {
    if (isGone(err)) return undefined;
    throw err;
  }
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function isPreconditionFailed(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name;
  return (
    statusOf(err) === 412 ||
    statusOf(err) === 409 ||
    name === 'PreconditionFailed' ||
    name === 'ConditionalRequestConflict'
  );
}

function isGone(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name;
  return statusOf(err) === 404 || name === 'NoSuchKey' || name === 'NotFound';
}
