import { S3Client } from '@aws-sdk/client-s3';
import { createAwsClient, InputError } from '@deploy-suite/kit';
import { hasCustomEndpoint, resolveRegion } from '../../../packages/kit/src/aws';

const action = { name: 'sync-dags', version: '1.2.3' };

describe('resolveRegion', () => {
  test('the input wins, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(resolveRegion('eu-west-1', { AWS_REGION: 'us-east-1' })).toBe('eu-west-1');
    expect(resolveRegion('', { AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'us-west-1' })).toBe('us-east-2');
    expect(resolveRegion(undefined, { AWS_DEFAULT_REGION: 'us-west-1' })).toBe('us-west-1');
  });
  test('none names the input', () => {
    expect(() => resolveRegion(undefined, {})).toThrow(InputError);
    expect(() => resolveRegion(undefined, {})).toThrow(
      "Input 'aws-region' is required when neither AWS_REGION nor AWS_DEFAULT_REGION is set",
    );
  });
  test('a malformed region names the input', () => {
    expect(() => resolveRegion('Frankfurt', {})).toThrow(
      "Input 'aws-region' must be an AWS region such as us-east-1; got 'Frankfurt'",
    );
  });
});

test('hasCustomEndpoint sees the general and the per-service variables', () => {
  expect(hasCustomEndpoint({})).toBe(false);
  expect(hasCustomEndpoint({ AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' })).toBe(true);
  expect(hasCustomEndpoint({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:5000' })).toBe(true);
});

describe('createAwsClient', () => {
  test('region, attempts, adaptive retries and the user agent are set', async () => {
    const client = createAwsClient(S3Client, { action, region: 'eu-central-1', maxAttempts: 4, env: {} });
    expect(await client.config.region()).toBe('eu-central-1');
    expect(await client.config.maxAttempts()).toBe(4);
    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
    expect(client.config.customUserAgent).toEqual([['deploy-suite-sync-dags', '1.2.3']]);
    expect(client.config.forcePathStyle).toBe(false);
  });
  test('a custom endpoint turns off host prefixes and virtual-hosted buckets', () => {
    const client = createAwsClient(S3Client, {
      action,
      env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:1' },
    });
    expect(client.config.forcePathStyle).toBe(true);
    expect(client.config.disableHostPrefix).toBe(true);
  });
  test('client settings given by the caller win', () => {
    const client = createAwsClient(S3Client, {
      action,
      env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:1' },
      config: { forcePathStyle: false },
    });
    expect(client.config.forcePathStyle).toBe(false);
  });
  test('no region anywhere fails naming aws-region', () => {
    expect(() => createAwsClient(S3Client, { action, env: {} })).toThrow("Input 'aws-region'");
  });
});
