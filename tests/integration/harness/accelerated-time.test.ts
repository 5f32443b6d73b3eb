import * as path from 'node:path';
import { DescribeEnvironmentsCommand, ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { HarnessError, runAction } from '../../support/harness';
import { startStack, type Stack } from '../../support/stack';

const fixture = path.join(__dirname, '..', '..', 'support', 'fixtures', 'clock');
const DAY_MS = 86_400_000;

describe('runAction with clockSpeed (tests/support/harness/accelerated-time.ts)', () => {
  it("runs the process's time 600 times faster: a 60 s pause lasts a tenth of a second", async () => {
    const result = await runAction({ action: fixture, clockSpeed: 600, timeoutMs: 30_000 });
    expect(result.exitCode).toBe(0);
    const ms = (name: string): number => Number(result.outputs[name]);
    expect(result.outputs['date-type']).toBe('string true');
    for (const seen of ['pause-date-ms', 'pause-new-date-ms', 'pause-performance-ms']) {
      expect(ms(seen)).toBeGreaterThanOrEqual(60_000);
    }
    // 100 ms at speed 600; generous for a loaded machine, far below the 60 s of real time.
    expect(ms('pause-real-ms')).toBeGreaterThanOrEqual(99);
    expect(ms('pause-real-ms')).toBeLessThan(10_000);
  });

  it('leaves AbortSignal.timeout (the per-call deadlines) in real time', async () => {
    const result = await runAction({
      action: fixture,
      inputs: { 'pause-ms': '0', 'abort-ms': '300' },
      clockSpeed: 600,
      timeoutMs: 30_000,
    });
    expect(result.exitCode).toBe(0);
    expect(Number(result.outputs['abort-real-ms'])).toBeGreaterThanOrEqual(299);
  });

  it('runs in real time without it', async () => {
    const result = await runAction({ action: fixture, inputs: { 'pause-ms': '200' }, timeoutMs: 30_000 });
    expect(Number(result.outputs['pause-real-ms'])).toBeGreaterThanOrEqual(199);
    expect(Number(result.outputs['pause-date-ms'])).toBeLessThan(10_000);
  });

  it.each([0, -2, Number.NaN])('refuses clockSpeed %p before running anything', async (clockSpeed) => {
    await expect(runAction({ action: fixture, clockSpeed })).rejects.toThrow(HarnessError);
  });
});

/**
 * Why an accelerated action can still talk to the local stack: its signatures are dated in its own
 * (future) time, and neither moto nor the simulator checks a signature's date. Real AWS would refuse
 * one dated more than 15 minutes off, and the SDK would correct its clock offset from the answer's
 * Date header (see accelerated-time.ts).
 */
describe('the local stack and future-dated SigV4 signatures', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  /** The x-amz-date each request was signed with. */
  function signingDates(client: { middlewareStack: { add: (...args: never[]) => void } }): string[] {
    const dates: string[] = [];
    const record = (next: (args: unknown) => Promise<unknown>) => (args: unknown) => {
      const headers = (args as { request?: { headers?: Record<string, string> } }).request?.headers ?? {};
      dates.push(headers['x-amz-date'] ?? '');
      return next(args);
    };
    (client.middlewareStack.add as unknown as (m: typeof record, o: object) => void)(record, {
      step: 'deserialize',
      name: 'recordSigningDate',
    });
    return dates;
  }

  const clientConfig = (endpoint: string) => ({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    systemClockOffset: DAY_MS,
    maxAttempts: 1,
  });

  const aDayAhead = (stamp: string | undefined): boolean => {
    const match = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(stamp ?? '');
    if (!match) return false;
    const [, y, mo, d, h, mi, s] = match.map(Number) as [number, ...number[]];
    const signedAt = Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s);
    return signedAt - Date.now() > DAY_MS - 60_000;
  };

  it('moto accepts an S3 call signed a day ahead', async () => {
    const s3 = new S3Client({ ...clientConfig(stack.endpoints.moto), forcePathStyle: true });
    const dates = signingDates(s3 as never);
    await expect(s3.send(new ListBucketsCommand({}))).resolves.toBeDefined();
    expect(aDayAhead(dates[0])).toBe(true);
    s3.destroy();
  });

  it('the simulator accepts an Elastic Beanstalk call signed a day ahead', async () => {
    const eb = new ElasticBeanstalkClient(clientConfig(stack.endpoints.simulator));
    const dates = signingDates(eb as never);
    await expect(eb.send(new DescribeEnvironmentsCommand({}))).resolves.toBeDefined();
    expect(aDayAhead(dates[0])).toBe(true);
    eb.destroy();
  });
});
