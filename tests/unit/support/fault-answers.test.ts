import { detectProtocol, faultAnswer, signingName, signingRegion } from '../../support/fault-proxy';

const signed = (service: string): string =>
  `AWS4-HMAC-SHA256 Credential=test/20240101/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=abc`;

describe('detectProtocol', () => {
  it.each([
    [
      'JSON with X-Amz-Target',
      { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeServices' },
      'json',
    ],
    [
      'query form post',
      { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: signed('sts') },
      'query',
    ],
    ['REST-JSON with a JSON body', { 'content-type': 'application/json' }, 'rest-json'],
    ['REST-JSON GET told by its signing name', { authorization: signed('airflow') }, 'rest-json'],
    ['S3 GET', { authorization: signed('s3') }, 'rest-xml'],
    [
      'S3 PUT of an object',
      { 'content-type': 'application/octet-stream', authorization: signed('s3') },
      'rest-xml',
    ],
    ['unsigned without hints', {}, 'rest-xml'],
  ])('%s is %s', (_name, headers, expected) => {
    expect(detectProtocol(headers)).toBe(expected);
  });

  it('reads the service and region from the SigV4 credential scope', () => {
    expect(signingName({ authorization: signed('elasticbeanstalk') })).toBe('elasticbeanstalk');
    expect(signingRegion({ authorization: signed('s3') })).toBe('eu-west-1');
    expect(signingName({})).toBeUndefined();
  });
});

describe('faultAnswer', () => {
  it('throttles JSON protocols with a 400 ThrottlingException', () => {
    const answer = faultAnswer('throttle', 'json', 'req-1');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ __type: 'ThrottlingException', message: 'Rate exceeded' });
  });

  it('throttles the query protocol with a 400 Throttling ErrorResponse', () => {
    const answer = faultAnswer('throttle', 'query', 'req-2');
    expect(answer.status).toBe(400);
    expect(answer.body).toBe(
      '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>' +
        '<RequestId>req-2</RequestId></ErrorResponse>',
    );
  });

  it('throttles S3 with a 503 SlowDown', () => {
    const answer = faultAnswer('throttle', 'rest-xml');
    expect(answer.status).toBe(503);
    expect(answer.body).toContain(
      '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>',
    );
  });

  it('throttles REST-JSON with a 429 and the error type header', () => {
    const answer = faultAnswer('throttle', 'rest-json');
    expect(answer.status).toBe(429);
    expect(answer.headers['x-amzn-errortype']).toBe('ThrottlingException');
  });

  it.each([
    ['internal-error', 'json', 500, 'InternalFailure'],
    ['internal-error', 'rest-xml', 500, 'InternalError'],
    ['unavailable', 'query', 503, 'ServiceUnavailable'],
    ['unavailable', 'rest-xml', 503, 'ServiceUnavailable'],
  ] as const)('%s over %s is HTTP %d %s', (kind, protocol, status, code) => {
    const answer = faultAnswer(kind, protocol);
    expect(answer.status).toBe(status);
    expect(answer.body).toContain(code);
  });
});
