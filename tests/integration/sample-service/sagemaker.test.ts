import type { Service } from '../../../sample-service/src/lifecycle';
import { warmUp } from '../../../sample-service/src/model';
import { expectClose, get, post, referencePredictions, sampleRecords, startTestService } from './harness';

// SageMaker's container contract: "Custom Inference Code with Hosting Services"
// (docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html): GET /ping answers
// 200 when healthy; POST /invocations gets InvokeEndpoint's body, ContentType and Accept.
describe('sample-service under SageMaker hosting', () => {
  let service: Service;
  let finishWarmUp: () => void = () => {};
  let warmUpStarted: Promise<void>;
  const records = sampleRecords(4);

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

  it('fails the ping health check with 503 while the model loads, and refuses invocations', async () => {
    await warmUpStarted;
    expect((await get(`${service.url}/ping`)).status).toBe(503);
    const early = await post(`${service.url}/invocations`, records[0]);
    expect(early.status).toBe(503);
    expect(early.body['error']).toContain('not ready');
  });

  it('answers ping with 200 and an empty body once the model is ready', async () => {
    finishWarmUp();
    await service.ready;
    const response = await fetch(`${service.url}/ping`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('predicts what the saved model predicts, for one record and for a list, as application/json', async () => {
    const expected = await referencePredictions(records);
    const one = await fetch(`${service.url}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
      body: JSON.stringify(records[0]),
    });
    expect(one.status).toBe(200);
    expect(one.headers.get('content-type')).toMatch(/^application\/json/);
    expectClose(((await one.json()) as { predictions: number[] }).predictions, expected.slice(0, 1));

    const many = await post(`${service.url}/invocations`, records, { accept: '*/*' });
    expect(many.status).toBe(200);
    expectClose(many.body['predictions'] as number[], expected);
  });

  it.each([
    [
      'a CSV body',
      { 'content-type': 'text/csv' },
      '19,female,27.9,0,yes,southwest',
      415,
      'ContentType text/csv',
    ],
    [
      'an Accept it cannot answer',
      { 'content-type': 'application/json', accept: 'text/csv' },
      '{}',
      406,
      'Accept text/csv',
    ],
    ['a record missing a feature', { 'content-type': 'application/json' }, '{"age":30}', 400, 'sex'],
    ['a body that is not JSON', { 'content-type': 'application/json' }, '{', 400, 'not valid JSON'],
  ])('answers %s with a 4xx that says why', async (_case, headers, body, status, message) => {
    const response = await fetch(`${service.url}/invocations`, { method: 'POST', headers, body });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toContain(message);
  });
});
