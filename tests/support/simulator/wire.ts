import type { ServiceError } from './errors';

/** Protocols the simulator answers in. */
export type AnswerProtocol = 'json' | 'query' | 'rest-json';

export interface WireAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** JSON protocols send timestamps as epoch seconds. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, encoded: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : encoded;
  });
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Query protocol XML: members by name, list items as `<member>`, timestamps in ISO 8601. */
export function toQueryXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => `<member>${toQueryXml(item)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .map(([name, member]) => `<${name}>${toQueryXml(member)}</${name}>`)
      .join('');
  }
  return escapeXml(String(value));
}

export function encodeResult(
  protocol: AnswerProtocol,
  operation: string,
  output: unknown,
  requestId: string,
  xmlNamespace = '',
): WireAnswer {
  if (protocol === 'query') {
    const xmlns = xmlNamespace ? ` xmlns="${xmlNamespace}"` : '';
    return {
      status: 200,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body:
        `<${operation}Response${xmlns}><${operation}Result>${toQueryXml(output ?? {})}</${operation}Result>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`,
    };
  }
  const contentType = protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json';
  return {
    status: 200,
    headers: { 'content-type': contentType, 'x-amzn-requestid': requestId },
    body: toJson(output ?? {}),
  };
}

export function encodeError(protocol: AnswerProtocol, error: ServiceError, requestId: string): WireAnswer {
  const { status, code, message } = error;
  if (protocol === 'query') {
    const type = status < 500 ? 'Sender' : 'Receiver';
    return {
      status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body:
        `<ErrorResponse><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
        `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  }
  if (protocol === 'json') {
    return {
      status,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
      body: JSON.stringify({ __type: code, message }),
    };
  }
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': code },
    body: JSON.stringify({ message, ...error.fields }),
  };
}
