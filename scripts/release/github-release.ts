export interface GithubReleaseRequest {
  readonly apiUrl: string;
  readonly token: string;
  /** owner/name */
  readonly repository: string;
  readonly tag: string;
  readonly name: string;
  readonly body: string;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Creates the GitHub release for a tag unless one exists; safe to call on every run. */
export async function ensureGithubRelease(
  request: GithubReleaseRequest,
  fetchImpl: FetchLike = fetch,
): Promise<'created' | 'exists'> {
  const headers = {
    Accept: 'application/vnd.github+json',
    Authorization: `Bearer ${request.token}`,
    'X-GitHub-Api-Version': '2022-11-28',
    'User-Agent': 'deploy-suite-release',
  };
  const base = `${request.apiUrl}/repos/${request.repository}/releases`;
  const existing = await fetchImpl(`${base}/tags/${encodeURIComponent(request.tag)}`, { headers });
  if (existing.ok) return 'exists';
  if (existing.status !== 404) {
    throw new Error(
      `GitHub release lookup for ${request.repository}@${request.tag}: ${await describe(existing)}`,
    );
  }
  const created = await fetchImpl(base, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ tag_name: request.tag, name: request.name, body: request.body }),
  });
  if (!created.ok) {
    throw new Error(
      `creating GitHub release ${request.repository}@${request.tag}: ${await describe(created)}`,
    );
  }
  return 'created';
}

async function describe(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  let message = text;
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON: keep the raw text
  }
  return `HTTP ${response.status}${message === '' ? '' : ` ${message.slice(0, 300)}`}`;
}
