import { createAwsClient } from '@deploy-suite/kit';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { startStack, type Stack } from '../support/stack';

// Calls go straight to a fault proxy in front of moto; the SDK finds it through AWS_ENDPOINT_URL.
const action = { name: 'kit-retries-test', version: '0.0.0' };
let stack: Stack;
let proxy: FaultProxy;
const savedEnv = { ...process.env };

beforeAll(async () => {
  stack = await startStack();
  proxy = await startFaultProxy({ upstream: stack.endpoints.moto, rate: 0, seed: 2024 });
  Object.assign(process.env, stack.env, { AWS_ENDPOINT_URL: proxy.url });
});

afterAll(async () => {
  process.env = savedEnv;
  await proxy?.close();
  await stack?.stop();
});

beforeEach(() => {
  proxy.configure({ rate: 0 });
  proxy.resetStats();
});

describe('createAwsClient against a faulty endpoint', () => {
  it('gets every call through at a 30% fault rate by retrying', async () => {
    const s3 = createAwsClient(S3Client, { action, maxAttempts: 8 });
    const sts = createAwsClient(STSClient, { action, maxAttempts: 8 });
    await s3.send(new CreateBucketCommand({ Bucket: 'kit-retries' }));
    proxy.resetStats();
    proxy.setRate(0.3);

    const attempts: number[] = [];
    for (let i = 0; i < 10; i++) {
      const put = await s3.send(
        new PutObjectCommand({ Bucket: 'kit-retries', Key: `k${i}`, Body: `body ${i}` }),
      );
      const got = await s3.send(new GetObjectCommand({ Bucket: 'kit-retries', Key: `k${i}` }));
      expect(await got.Body?.transformToString()).toBe(`body ${i}`);
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      expect(identity.Account).toBe('123456789012');
      attempts.push(
        put.$metadata.attempts ?? 1,
        got.$metadata.attempts ?? 1,
        identity.$metadata.attempts ?? 1,
      );
    }

    const { requests, faults } = proxy.stats();
    const injected = Object.values(faults).reduce((sum, n) => sum + n, 0);
    expect(injected).toBeGreaterThan(0);
    expect(requests).toBe(30 + injected);
    // Every attempt the SDK reports made went through the proxy: the faults were retried, not lost.
    expect(attempts.reduce((sum, n) => sum + n, 0)).toBe(requests);
    expect(Math.max(...attempts)).toBeGreaterThan(1);
  });

  it('gives up at a 100% fault rate with an error naming the service and the operation', async () => {
    proxy.configure({ rate: 1, kinds: ['internal-error', 'unavailable', 'throttle'] });
    const s3 = createAwsClient(S3Client, { action, maxAttempts: 3 });
    await expect(
      s3.send(new PutObjectCommand({ Bucket: 'kit-retries', Key: 'never', Body: 'x' })),
    ).rejects.toThrow(/^S3 PutObject failed after 3 attempts: /);
    const sts = createAwsClient(STSClient, { action, maxAttempts: 2 });
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toThrow(
      /^STS GetCallerIdentity failed after 2 attempts: /,
    );
    expect(proxy.stats()).toMatchObject({ requests: 5, forwarded: 0 });
  });
});
