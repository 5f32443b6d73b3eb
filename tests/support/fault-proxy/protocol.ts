import type { IncomingHttpHeaders } from 'node:http';

/** The AWS wire protocols, told apart from request headers alone so bodies can stay streamed. */
export type AwsProtocol = 'json' | 'query' | 'rest-json' | 'rest-xml';

// REST-JSON requests without a body (GET, DELETE) carry nothing protocol-specific but the signing name
// in the credential scope; these are the REST-JSON services the suite talks to.
const REST_JSON_SIGNING_NAMES = new Set(['airflow']);

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The service's signing name from a SigV4 `Authorization` header (`Credential=AKID/date/region/SERVICE/aws4_request`). */
export function signingName(headers: IncomingHttpHeaders): string | undefined {
  return credentialScope(headers)?.service;
}

/** The region from a SigV4 credential scope, when the request is signed. */
export function signingRegion(headers: IncomingHttpHeaders): string | undefined {
  return credentialScope(headers)?.region;
}

function credentialScope(headers: IncomingHttpHeaders): { region: string; service: string } | undefined {
  const authorization = headerValue(headers, 'authorization');
  const match = authorization?.match(/Credential=[^/,\s]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/);
  if (!match?.[1] || !match[2]) return undefined;
  return { region: match[1], service: match[2] };
}

export function detectProtocol(headers: IncomingHttpHeaders): AwsProtocol {
  if (headerValue(headers, 'x-amz-target')) return 'json';
  const contentType = headerValue(headers, 'content-type')?.toLowerCase() ?? '';
  if (contentType.startsWith('application/x-www-form-urlencoded')) return 'query';
  if (contentType.startsWith('application/json')) return 'rest-json';
  const service = signingName(headers);
  if (service && REST_JSON_SIGNING_NAMES.has(service)) return 'rest-json';
  return 'rest-xml';
}

/**
 * The operation a JSON- or query-protocol request calls: the part of `X-Amz-Target` after its last
 * dot, or the `Action` from the query string or, for form posts, from `formBody`. REST requests name
 * their operation only through method and path templates, so they get none.
 */
export function operationName(headers: IncomingHttpHeaders, url: URL, formBody?: Buffer): string | undefined {
  const target = headerValue(headers, 'x-amz-target');
  if (target) return target.slice(target.lastIndexOf('.') + 1) || undefined;
  const action =
    url.searchParams.get('Action') ??
    (formBody ? new URLSearchParams(formBody.toString('utf8')).get('Action') : null);
  return action || undefined;
}
