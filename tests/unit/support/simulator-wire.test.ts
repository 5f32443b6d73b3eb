import { ServiceError } from '../../support/simulator';
import { encodeError, encodeResult, toJson, toQueryXml } from '../../support/simulator/wire';

describe('wire encoding', () => {
  it('writes timestamps as epoch seconds in JSON protocols', () => {
    expect(toJson({ CreatedAt: new Date(1_700_000_000_500), Nested: [{ At: new Date(0) }] })).toBe(
      '{"CreatedAt":1700000000.5,"Nested":[{"At":0}]}',
    );
  });

  it('writes query results as XML with list members and ISO timestamps', () => {
    expect(toQueryXml({ Events: [{ Message: 'a < b', EventDate: new Date(0) }], Skipped: undefined })).toBe(
      '<Events><member><Message>a &lt; b</Message><EventDate>1970-01-01T00:00:00.000Z</EventDate></member></Events>',
    );
  });

  it('wraps a query result in <Action>Response/<Action>Result with the request id', () => {
    const answer = encodeResult('query', 'DescribeEnvironments', { Environments: [] }, 'r-1', 'urn:ns');
    expect(answer.body).toBe(
      '<DescribeEnvironmentsResponse xmlns="urn:ns"><DescribeEnvironmentsResult><Environments></Environments>' +
        '</DescribeEnvironmentsResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>' +
        '</DescribeEnvironmentsResponse>',
    );
  });

  it('answers REST-JSON errors with the error type header and status', () => {
    const answer = encodeError(
      'rest-json',
      new ServiceError('ResourceNotFoundException', 'gone', 404),
      'r-2',
    );
    expect(answer.status).toBe(404);
    expect(answer.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
    expect(JSON.parse(answer.body)).toEqual({ message: 'gone' });
  });

  it("answers a REST-JSON error's other members next to its message (the runtime's ModelError)", () => {
    const answer = encodeError(
      'rest-json',
      new ServiceError('ModelError', 'Received server error (500)', 424, { OriginalStatusCode: 500 }),
      'r-3',
    );
    expect(answer.status).toBe(424);
    expect(JSON.parse(answer.body)).toEqual({
      message: 'Received server error (500)',
      OriginalStatusCode: 500,
    });
  });

  it('answers JSON errors with __type and query errors with Sender or Receiver', () => {
    expect(
      JSON.parse(encodeError('json', new ServiceError('ClusterNotFoundException', 'no'), 'r').body),
    ).toEqual({
      __type: 'ClusterNotFoundException',
      message: 'no',
    });
    expect(encodeError('query', new ServiceError('InternalFailure', 'boom', 500), 'r').body).toContain(
      '<Type>Receiver</Type><Code>InternalFailure</Code>',
    );
  });
});
