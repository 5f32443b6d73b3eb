import type { Service } from '../../../sample-service/src/lifecycle';
import { warmUp } from '../../../sample-service/src/model';
import { get, post, sampleRecords, startTestService } from './harness';

describe('sample-service readiness', () => {
  let service: Service;
  let finishWarmUp: () => void = () => {};
  let warmUpStarted: Promise<void>;

  beforeAll(async () => {
    let markStarted: () => void = () => {};
    warmUpStarted = new Promise((resolve) => {
      markStarted = resolve;
    });
    const held = new Promise<void>((resolve) => {
      finishWarmUp = resolve;
    });
    service = await startTestService(
      {},
      {
        warmUp: async (predictor, maxBatchSize) => {
          markStarted();
          await held;
          await warmUp(predictor, maxBatchSize);
        },
      },
    );
  });
  afterAll(() => service.stop());

  it('is live but not ready while the model warms up, and refuses inference with 503', async () => {
    await warmUpStarted;
    expect(await get(`${service.url}/v2/health/live`)).toEqual({ status: 200, body: { live: true } });
    expect((await get(`${service.url}/v2/health/ready`)).status).toBe(400);
    expect(await get(`${service.url}/v2/models/insurance-charges/ready`)).toEqual({
      status: 400,
      body: { name: 'insurance-charges', ready: false },
    });
    const status = await get(`${service.url}/v1/models/insurance-charges`);
    expect((status.body['model_version_status'] as { state: string }[])[0]?.state).toBe('LOADING');
    const metadata = await get(`${service.url}/v2/models/insurance-charges`);
    expect(metadata.status).toBe(200);
    expect((metadata.body['parameters'] as { backend: string }).backend).toBe('loading');

    const early = await post(`${service.url}/predict`, sampleRecords(1)[0]);
    expect(early.status).toBe(503);
    expect(early.body['error']).toContain('not ready');
    expect(await get(`${service.url}/metrics`)).toMatchObject({
      body: expect.stringMatching(/model_ready\{model="insurance-charges"\} 0/),
    });
  });

  it('becomes ready once warm-up finishes', async () => {
    finishWarmUp();
    await service.ready;
    expect((await get(`${service.url}/v2/health/ready`)).status).toBe(200);
    expect((await post(`${service.url}/predict`, sampleRecords(1)[0])).status).toBe(200);
    const status = await get(`${service.url}/v1/models/insurance-charges`);
    expect((status.body['model_version_status'] as { state: string }[])[0]?.state).toBe('AVAILABLE');
  });
});
