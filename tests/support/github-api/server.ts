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
  const requests: RecordedRequest[] = [];
  const store = new DeploymentStore();
  const faults = new Map<Route, number>();
  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => send(res, 500, { message: String(err) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
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
    requests.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      userAgent: req.headers['user-agent'],
      body,
    });
    const presented = (req.headers.authorization ?? '').replace(/^(token|bearer)\s+/i, '');
    if (presented !== options.token) return send(res, 401, { message: 'Bad credentials' });

    const deployments = DEPLOYMENTS.exec(url.pathname);
    const statuses = STATUSES.exec(url.pathname);
    const route: Route | undefined = deployments
      ? method === 'POST'
        ? 'create-deployment'
        : 'list-deployments'
      : statuses
        ? method === 'POST'
          ? 'create-status'
          : 'list-statuses'
        : undefined;
    if (route === undefined || !['GET', 'POST'].includes(method))
      return send(res, 404, { message: 'Not Found' });
    const fault = faults.get(route);
    if (fault !== undefined) return send(res, fault, { message: `stand-in fault on ${route}` });

    const repository = (deployments?.[1] ?? statuses?.[1] ?? '').toLowerCase();
    switch (route) {
      case 'create-deployment': {
        const request = body as Partial<NewStandInDeployment> | undefined;
        if (typeof request?.ref !== 'string' || request.ref === '') {
          return send(res, 422, {
            message: 'Invalid request.',
            errors: [{ field: 'ref', code: 'missing_field' }],
          });
        }
        return send(res, 201, deploymentView(store.create(repository, request as NewStandInDeployment)));
      }
      case 'list-deployments': {
        const environment = url.searchParams.get('environment') ?? undefined;
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        return send(res, 200, store.list(repository, environment).slice(0, perPage).map(deploymentView));
      }
      case 'create-status':
      case 'list-statuses': {
        const deployment = store.find(repository, Number(statuses?.[2]));
        if (deployment === undefined) return send(res, 404, { message: 'Not Found' });
        if (route === 'list-statuses') {
          const perPage = Number(url.searchParams.get('per_page') ?? 30);
          return send(res, 200, [...deployment.statuses].reverse().slice(0, perPage));
        }
        const request = body as Partial<NewStandInStatus> | undefined;
        if (!DEPLOYMENT_STATES.includes(request?.state as never)) {
          return send(res, 422, {
            message: 'Invalid request.',
            errors: [{ field: 'state', code: 'invalid' }],
          });
        }
        return send(res, 201, store.addStatus(deployment, request as NewStandInStatus));
      }
    }
  }

  const url = await listenOnLoopback(server);
  return {
    url,
    requests,
    store,
    fail: (route, status) => void faults.set(route, status),
    close: () => closeServer(server),
  };
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
