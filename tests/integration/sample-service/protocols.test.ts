import type { Service } from '../../../sample-service/src/lifecycle';
import {
  expectClose,
  get,
  post,
  referencePredictions,
  sampleRecords,
  startTestService,
  v2Request,
} from './harness';

describe('sample-service protocols', () => {
  let service: Service;
  const records = sampleRecords(5);
  let expected: number[];

  beforeAll(async () => {
    service = await startTestService();
    await service.ready;
    expected = await referencePredictions(records);
  });
  afterAll(() => service.stop());

  describe('KServe Open Inference Protocol v2', () => {
    it('answers liveness and readiness', async () => {
      expect(await get(`${service.url}/v2/health/live`)).toEqual({ status: 200, body: { live: true } });
      expect(await get(`${service.url}/v2/health/ready`)).toEqual({ status: 200, body: { ready: true } });
      expect(await get(`${service.url}/v2/models/insurance-charges/ready`)).toEqual({
        status: 200,
        body: { name: 'insurance-charges', ready: true },
      });
    });

    it('describes the server', async () => {
      const { status, body } = await get(`${service.url}/v2`);
      expect(status).toBe(200);
      expect(body).toEqual({
        name: 'sample-service',
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
        extensions: [],
      });
    });

    it('describes the model: one [-1, 1] tensor per feature, FP32 charges out, and the backend', async () => {
      for (const path of ['/v2/models/insurance-charges', '/v2/models/insurance-charges/versions/1']) {
        const { status, body } = await get(`${service.url}${path}`);
        expect(status).toBe(200);
        expect(body).toEqual({
          name: 'insurance-charges',
          versions: ['1'],
          platform: 'tensorflowjs_layers',
          inputs: [
            { name: 'age', datatype: 'INT64', shape: [-1, 1] },
            { name: 'sex', datatype: 'BYTES', shape: [-1, 1] },
            { name: 'bmi', datatype: 'FP32', shape: [-1, 1] },
            { name: 'children', datatype: 'INT64', shape: [-1, 1] },
            { name: 'smoker', datatype: 'BYTES', shape: [-1, 1] },
            { name: 'region', datatype: 'BYTES', shape: [-1, 1] },
          ],
          outputs: [{ name: 'charges', datatype: 'FP32', shape: [-1, 1] }],
          parameters: { backend: 'wasm', backend_package: '@tensorflow/tfjs-backend-wasm' },
        });
      }
    });

    it('infers: FP32 [N, 1] output equal to the saved model, with the request id echoed', async () => {
      const { status, body } = await post(
        `${service.url}/v2/models/insurance-charges/infer`,
        v2Request(records),
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({ model_name: 'insurance-charges', model_version: '1', id: 'req-1' });
      const outputs = body['outputs'] as {
        name: string;
        datatype: string;
        shape: number[];
        data: number[];
      }[];
      expect(outputs).toHaveLength(1);
      expect(outputs[0]).toMatchObject({ name: 'charges', datatype: 'FP32', shape: [5, 1] });
      expectClose(outputs[0]?.data ?? [], expected);
    });

    it('infers through the versioned path too', async () => {
      const { status, body } = await post(
        `${service.url}/v2/models/insurance-charges/versions/1/infer`,
        v2Request(records.slice(0, 1)),
      );
      expect(status).toBe(200);
      expectClose((body['outputs'] as { data: number[] }[])[0]?.data ?? [], expected.slice(0, 1));
    });
  });

  describe('TensorFlow Serving REST', () => {
    it('reports the model version AVAILABLE', async () => {
      expect(await get(`${service.url}/v1/models/insurance-charges`)).toEqual({
        status: 200,
        body: {
          model_version_status: [
            { version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } },
          ],
        },
      });
    });

    it('serves the signature as metadata', async () => {
      const { body } = await get(`${service.url}/v1/models/insurance-charges/metadata`);
      const signature = (
        body as unknown as { metadata: { signature_def: { signature_def: Record<string, unknown> } } }
      ).metadata.signature_def.signature_def['serving_default'] as {
        inputs: Record<string, { dtype: string }>;
      };
      expect(Object.keys(signature.inputs)).toEqual(['age', 'sex', 'bmi', 'children', 'smoker', 'region']);
      expect(signature.inputs['sex']?.dtype).toBe('DT_STRING');
      expect(signature.inputs['age']?.dtype).toBe('DT_INT64');
    });

    it('predicts row format ("instances") as [[charges], ...]', async () => {
      const { status, body } = await post(`${service.url}/v1/models/insurance-charges:predict`, {
        instances: records,
      });
      expect(status).toBe(200);
      expect(Object.keys(body)).toEqual(['predictions']);
      const predictions = body['predictions'] as number[][];
      expect(predictions.every((p) => Array.isArray(p) && p.length === 1)).toBe(true);
      expectClose(
        predictions.map((p) => p[0] as number),
        expected,
      );
    });

    it('predicts columnar format ("inputs") as {"outputs": [[charges], ...]}', async () => {
      const inputs = Object.fromEntries(
        ['age', 'sex', 'bmi', 'children', 'smoker', 'region'].map((name) => [
          name,
          records.map((r) => r[name]),
        ]),
      );
      const { status, body } = await post(`${service.url}/v1/models/insurance-charges/versions/1:predict`, {
        signature_name: 'serving_default',
        inputs,
      });
      expect(status).toBe(200);
      expectClose(
        (body['outputs'] as number[][]).map((p) => p[0] as number),
        expected,
      );
    });
  });

  describe('plain JSON', () => {
    it('predicts one record', async () => {
      const { status, body } = await post(`${service.url}/predict`, records[0]);
      expect(status).toBe(200);
      expectClose(body['predictions'] as number[], expected.slice(0, 1));
    });

    it('predicts an array of records, in order', async () => {
      const { status, body } = await post(`${service.url}/predict`, records);
      expect(status).toBe(200);
      expectClose(body['predictions'] as number[], expected);
    });

    it('takes JSON whatever the content type says (curl -d sends form encoding)', async () => {
      const { status } = await post(`${service.url}/predict`, records[0], {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(status).toBe(200);
    });
  });

  it('gives every protocol the same numbers for the same rows', async () => {
    const plain = (await post(`${service.url}/predict`, records)).body['predictions'] as number[];
    const tfs = (
      (await post(`${service.url}/v1/models/insurance-charges:predict`, { instances: records })).body[
        'predictions'
      ] as number[][]
    ).map((p) => p[0]);
    const v2 = (
      (await post(`${service.url}/v2/models/insurance-charges/infer`, v2Request(records))).body[
        'outputs'
      ] as {
        data: number[];
      }[]
    )[0]?.data;
    expect(tfs).toEqual(plain);
    expect(v2).toEqual(plain);
  });
});
