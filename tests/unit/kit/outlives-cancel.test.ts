/**
 * Clean-up calls after a cancel. GitHub cancels with SIGINT (then SIGTERM 7.5 s later); once the
 * run is cancelled no AWS call starts, except on a client made with outlivesCancel, whose calls
 * (releasing a lease the run took) still go out within their own deadline. This file cancels the
 * module's one run: jest gives each test file its own modules.
 */
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { HttpResponse, type HttpRequest } from '@smithy/protocol-http';
import { Readable } from 'node:stream';
import { Cancelled, createAwsClient } from '@deploy-suite/kit';
import { cancelRun } from '../../../packages/kit/src/cancellation';

const ACTION = { name: 'test', version: '0.0.0' };
const env = { AWS_REGION: 'us-east-1' };

function clientSeeing(requests: HttpRequest[], outlivesCancel: boolean): S3Client {
  return createAwsClient(S3Client, {
    action: ACTION,
    env,
    outlivesCancel,
    callDeadlineMs: 1_000,
    config: {
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      requestHandler: {
        handle: async (request: HttpRequest) => {
          requests.push(request);
          return { response: new HttpResponse({ statusCode: 204, headers: {}, body: Readable.from([]) }) };
        },
      },
    } as never,
  });
}

test('after a cancel, an ordinary client refuses to start a call; an outlivesCancel client still sends it', async () => {
  const ordinary: HttpRequest[] = [];
  const cleanup: HttpRequest[] = [];
  cancelRun('SIGINT');
  const command = () => new DeleteObjectCommand({ Bucket: 'b', Key: 'dags.sync-dags.lease' });
  await expect(clientSeeing(ordinary, false).send(command())).rejects.toBeInstanceOf(Cancelled);
  await expect(clientSeeing(cleanup, true).send(command())).resolves.toBeDefined();
  expect(ordinary).toHaveLength(0);
  expect(cleanup.map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /b/dags.sync-dags.lease']);
});
