import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from '../fault-proxy/listen';
import {
  DEPLOYMENT_STATES,
  DeploymentStore,
  type NewStandInDeployment,
  type NewStandInStatus,
  type StandInDeployment,
} from './deployments';

/**
 * A local stand-in for the GitHub REST endpoints of deployments and their statuses, on 127.0.0.1.
 * It records every request, checks the token, and answers with GitHub's codes and shapes for the
 * calls the deploy actions make. Faults can be set per route to show that GitHub's failures never
 * fail a deploy.
 */

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  userAgent: string | undefined;
  body: unknown;
}

/** Route names used for faults. */
export type Route = 'create-deployment' | 'list-deployments' | 'create-status' | 'list-statuses';

export interface GitHubApiStandIn {
  /** What GITHUB_API_URL should be set to. */
  url: string;
  requests: RecordedRequest[];
  store: DeploymentStore;
  /** Answer every later request on the route with this status and a GitHub-style error body. */
  fail(route: Route, status: number): void;
  close(): Promise<void>;
}

export interface StandInOptions {
  /** The token that is accepted (as `token X` or `Bearer X`); any other gets 401. */
  token: string;
}

const DEPLOYMENTS = /^\/repos\/([^/]+\/[^/]+)\/deployments$/;
const STATUSES = /^\/repos\/([^/]+\/[^/]+)\/deployments\/(\d+)\/statuses$/;

export async function startGitHubApi(options: StandInOptions): Promise<GitHubApiStandIn> {
  const state: StandInState = {
    token: options.token,
    requests: [],
    store: new DeploymentStore(),
    faults: new Map(),
  };
  const server = createServer((req, res) => {
    void handle(state, req, res).catch((err: unknown) => send(res, 500, { message: String(err) }));
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    requests: state.requests,
    store: state.store,
    fail: (route, status) => void state.faults.set(route, status),
    close: () => closeServer(server),
  };
}

interface StandInState {
  readonly token: string;
  readonly requests: RecordedRequest[];
  readonly store: DeploymentStore;
  readonly faults: Map<Route, number>;
}

/** A request GitHub would route: which route, for which repository (lower case) and deployment. */
interface Matched {
  readonly route: Route;
  readonly repository: string;
  readonly deploymentId?: number;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** Records the request, then answers as GitHub does: 400 for bad JSON, 401 for a wrong token, 404 off the routes. */
async function handle(state: StandInState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const text = await readBody(req);
  let body: unknown = undefined;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      return send(res, 400, { message: 'Problems parsing JSON' });
    }
  }
  const method = req.method ?? 'GET';
  state.requests.push({
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    authorization: req.headers.authorization,
    userAgent: req.headers['user-agent'],
    body,
  });
  const presented = (req.headers.authorization ?? '').replace(/^(token|bearer)\s+/i, '');
  if (presented !== state.token) return send(res, 401, { message: 'Bad credentials' });
  const matched = matchRoute(method, url.pathname);
  if (matched === undefined) return send(res, 404, { message: 'Not Found' });
  const fault = state.faults.get(matched.route);
  if (fault !== undefined) return send(res, fault, { message: `stand-in fault on ${matched.route}` });
  const answer = answerRoute(state.store, matched, url.searchParams, body);
  return send(res, answer.status, answer.body);
}

function matchRoute(method: string, pathname: string): Matched | undefined {
  if (method !== 'GET' && method !== 'POST') return undefined;
  const deployments = DEPLOYMENTS.exec(pathname);
  if (deployments) {
    const repository = (deployments[1] ?? '').toLowerCase();
    return { route: method === 'POST' ? 'create-deployment' : 'list-deployments', repository };
  }
  const statuses = STATUSES.exec(pathname);
  if (!statuses) return undefined;
  return {
    route: method === 'POST' ? 'create-status' : 'list-statuses',
    repository: (statuses[1] ?? '').toLowerCase(),
    deploymentId: Number(statuses[2]),
  };
}

/** GitHub's answers per route: 201 with what was created, 200 with a page, 422 naming the field at fault. */
function answerRoute(
  store: DeploymentStore,
  matched: Matched,
  query: URLSearchParams,
  body: unknown,
): Answer {
  const perPage = Number(query.get('per_page') ?? 30);
  if (matched.route === 'create-deployment') {
    const request = body as Partial<NewStandInDeployment> | undefined;
    if (typeof request?.ref !== 'string' || request.ref === '') return invalidField('ref', 'missing_field');
    return {
      status: 201,
      body: deploymentView(store.create(matched.repository, request as NewStandInDeployment)),
    };
  }
  if (matched.route === 'list-deployments') {
    const environment = query.get('environment') ?? undefined;
    return {
      status: 200,
      body: store.list(matched.repository, environment).slice(0, perPage).map(deploymentView),
    };
  }
  const deployment = store.find(matched.repository, matched.deploymentId ?? Number.NaN);
  if (deployment === undefined) return { status: 404, body: { message: 'Not Found' } };
  if (matched.route === 'list-statuses')
    return { status: 200, body: [...deployment.statuses].reverse().slice(0, perPage) };
  const request = body as Partial<NewStandInStatus> | undefined;
  if (!DEPLOYMENT_STATES.includes(request?.state as never)) return invalidField('state', 'invalid');
  return { status: 201, body: store.addStatus(deployment, request as NewStandInStatus) };
}

function invalidField(field: string, code: string): Answer {
  return { status: 422, body: { message: 'Invalid request.', errors: [{ field, code }] } };
}

function deploymentView(deployment: StandInDeployment): Omit<StandInDeployment, 'statuses' | 'repository'> {
  const { statuses: _statuses, repository: _repository, ...view } = deployment;
  return view;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
