import type { Service } from '../../../sample-service/src/lifecycle';
import { expectClose, get, post, referencePredictions, sampleRecords, startTestService } from './harness';

function histogram(metrics: string, name: string): { count: number; sum: number } {
  const value = (suffix: string) =>
    Number(new RegExp(`^${name}_${suffix} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
  return { count: value('count'), sum: value('sum') };
}

describe('sample-service dynamic batching', () => {
  let service: Service;
  const records = sampleRecords(40, 7);
  let expected: number[];

  beforeAll(async () => {
    // A long delay so concurrent requests certainly meet in the queue; 16 rows fill a batch.
    service = await startTestService({ MAX_BATCH_SIZE: '16', MAX_BATCH_DELAY_MS: '200' });
    await service.ready;
    expected = await referencePredictions(records);
  });
  afterAll(() => service.stop());

  it('answers N concurrent single-row requests with N correct answers, in fewer batches than requests', async () => {
    const before = histogram((await get(`${service.url}/metrics`)).body, 'inference_batch_size');
    const responses = await Promise.all(records.map((record) => post(`${service.url}/predict`, record)));
    expect(responses.map((r) => r.status)).toEqual(records.map(() => 200));
    const batched = responses.map((r) => (r.body['predictions'] as number[])[0] as number);
    expectClose(batched, expected);

    const after = histogram((await get(`${service.url}/metrics`)).body, 'inference_batch_size');
    expect(after.sum - before.sum).toBe(40);
    // 40 rows at 16 per batch: at least 3 batches, and far fewer than 40 (a loaded machine splits more).
    expect(after.count - before.count).toBeGreaterThanOrEqual(3);
    expect(after.count - before.count).toBeLessThanOrEqual(20);

    // The same rows one at a time, each alone in its batch, give the same numbers.
    const unbatched: number[] = [];
    for (const record of records.slice(0, 5)) {
      unbatched.push(
        ((await post(`${service.url}/predict`, record)).body['predictions'] as number[])[0] as number,
      );
    }
    expectClose(batched.slice(0, 5), unbatched);
  });

  it('keeps each caller’s rows together and in order when multi-row requests share a batch', async () => {
    const chunks = [records.slice(0, 3), records.slice(3, 4), records.slice(4, 9), records.slice(9, 11)];
    const responses = await Promise.all(chunks.map((chunk) => post(`${service.url}/predict`, chunk)));
    let offset = 0;
    responses.forEach((response, i) => {
      const size = chunks[i]?.length ?? 0;
      expectClose(response.body['predictions'] as number[], expected.slice(offset, offset + size));
      offset += size;
    });
  });

  it('reports requests by route and status, latency histograms, batch sizes and the backend in /metrics', async () => {
    const response = await fetch(`${service.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const metrics = await response.text();
    expect(metrics).toMatch(/^http_requests_total\{route="\/predict",method="POST",status="200"\} \d+$/m);
    expect(metrics).toMatch(
      /^http_request_duration_seconds_bucket\{le="0.25",route="\/predict",method="POST",status="200"\} \d+$/m,
    );
    expect(metrics).toMatch(/^inference_batch_size_bucket\{le="16"\} \d+$/m);
    expect(metrics).toMatch(/^inference_rows_total \d+$/m);
    expect(metrics).toContain(
      'model_backend_info{model="insurance-charges",backend="wasm",package="@tensorflow/tfjs-backend-wasm"} 1',
    );
    expect(metrics).toContain('model_ready{model="insurance-charges"} 1');
  });
});
