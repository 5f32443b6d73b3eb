import type { Service } from '../../../sample-service/src/lifecycle';
import { get, post, sampleRecords, startTestService, v2Request } from './harness';

const PREDICT = '/predict';
const TFS = '/v1/models/insurance-charges:predict';
const V2 = '/v2/models/insurance-charges/infer';

describe('sample-service bad input', () => {
  let service: Service;
  const [record] = sampleRecords(1) as [Record<string, unknown>];

  beforeAll(async () => {
    service = await startTestService({ BODY_LIMIT_BYTES: '4096' });
    await service.ready;
  });
  afterAll(() => service.stop());

  const v2WithAge = (change: Record<string, unknown>) => {
    const request = v2Request([record as never]);
    return {
      ...request,
      inputs: request.inputs.map((input) => (input.name === 'age' ? { ...input, ...change } : input)),
    };
  };

  it.each([
    ['a missing feature', PREDICT, { ...record, bmi: undefined }, 'bmi'],
    ['an unknown feature', PREDICT, { ...record, weight: 80 }, 'weight'],
    ['a string for a number', PREDICT, { ...record, age: '40' }, 'age'],
    ['"NaN" for a number', PREDICT, { ...record, bmi: 'NaN' }, 'bmi'],
    ['null for a number', PREDICT, { ...record, bmi: null }, 'bmi'],
    [
      '1e999 (Infinity) for a number',
      PREDICT,
      JSON.stringify(record).replace(/"bmi":[^,}]+/, '"bmi":1e999'),
      'bmi',
    ],
    ['a fraction for an integer', PREDICT, { ...record, children: 0.5 }, 'children'],
    ['an unknown category', PREDICT, { ...record, smoker: 'sometimes' }, 'smoker'],
    ['a bad record in an array', PREDICT, [record, { ...record, region: 'east' }], '[1].region'],
    ['an empty array', PREDICT, [], ''],
    ['a bare number', PREDICT, '42', ''],
    ['instances that are not records', TFS, { instances: [1, 2] }, 'instances[0]'],
    ['both instances and inputs', TFS, { instances: [record], inputs: {} }, 'instances'],
    ['a bad value in instances', TFS, { instances: [{ ...record, age: -3 }] }, 'instances[0].age'],
    ['v2 without inputs', V2, { id: 'x' }, 'inputs'],
    ['a v2 wrong datatype', V2, v2WithAge({ datatype: 'BYTES' }), 'age.datatype'],
    ['a v2 wrong shape', V2, v2WithAge({ shape: [1, 3] }), 'age.shape'],
    ['v2 data not matching the shape', V2, v2WithAge({ shape: [2, 1] }), 'age.data'],
    ['v2 NaN data', V2, v2WithAge({ data: ['NaN'] }), 'age.data[0]'],
  ])('answers 400 naming the field for %s', async (_case, path, body, field) => {
    const response = await post(`${service.url}${path}`, body);
    expect(response.status).toBe(400);
    expect(response.body['field']).toBe(field);
    if (field) expect(response.body['error']).toContain(field);
  });

  it.each([
    ['malformed JSON', '{"age": 40,', 'not valid JSON'],
    ['an empty body', '', 'empty'],
    ['a poisoned prototype', '{"__proto__": {"admin": true}}', ''],
  ])('answers 400 for %s', async (_case, body) => {
    const response = await fetch(`${service.url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toEqual(expect.any(String));
  });

  it('answers 413 naming the limit for an oversize body', async () => {
    const response = await post(
      `${service.url}${PREDICT}`,
      Array.from({ length: 100 }, () => record),
    );
    expect(response.status).toBe(413);
    expect(response.body['error']).toBe('request body is larger than the limit of 4096 bytes');
  });

  it.each([
    ['GET', '/v2/models/other'],
    ['GET', '/v2/models/insurance-charges/versions/2'],
    ['GET', '/v1/models/other'],
    ['POST', '/v1/models/other:predict'],
    ['POST', '/v1/models/insurance-charges:classify'],
    ['POST', '/v2/models/other/infer'],
    ['GET', '/nowhere'],
  ])('answers 404 for %s %s', async (method, path) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      ...(method === 'POST' ? { body: JSON.stringify({ instances: [record] }) } : {}),
    });
    expect(response.status).toBe(404);
  });

  it('counted none of this as a server error', async () => {
    const metrics = (await get(`${service.url}/metrics`)).body;
    expect(metrics).toMatch(/http_requests_total\{route="\/predict",method="POST",status="400"\} \d+/);
    expect(metrics).not.toMatch(/status="5\d\d"/);
  });
});
