/**
 * The AWS calls a run of a bundled action made on the local stack, named as the SDK names them.
 * The simulator's call log names every JSON- and query-protocol call and the ones it models (MWAA);
 * S3's REST calls reach it only as a method and a path, so a recording hop in front of the simulator
 * keeps their method, path and query, which are matched against the S3 client's own operation
 * schemas (`{ http: [method, "/{Key+}?x-id=PutObject", code] }`), the most specific match winning.
 * The hop also keeps ECR's request bodies, which the simulator passes on unread, for their
 * repository names.
 */
import { createServer, type Server } from 'node:http';
import * as S3 from '@aws-sdk/client-s3';
import { forwardRequest, readBody } from '../fault-proxy/forward';
import { closeServer, listenOnLoopback } from '../fault-proxy/listen';
import { signingName } from '../fault-proxy/protocol';
import type { Call } from '../simulator/calls';

export interface ObservedCall {
  readonly client: string;
  readonly operation: string;
  /** The ARNs of the resources the call acts on, where the tests can build them; empty: not checked. */
  readonly resources: readonly string[];
  /** The request's condition keys IAM would see, where the tests know them. */
  readonly context: Readonly<Record<string, string>>;
  /**
   * For an authorization AWS makes on the call's behalf rather than for an SDK operation (the
   * iam:PassRole a task definition's roles need): the IAM action checked.
   */
  readonly impliedAction?: string;
}

interface RestRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: string;
}

/** Simulator service names (module names, or signing names for forwarded calls) → SDK client. */
const CLIENT_OF: Readonly<Record<string, string>> = {
  codedeploy: '@aws-sdk/client-codedeploy',
  ecs: '@aws-sdk/client-ecs',
  ecr: '@aws-sdk/client-ecr',
  elasticbeanstalk: '@aws-sdk/client-elastic-beanstalk',
  mwaa: '@aws-sdk/client-mwaa',
  airflow: '@aws-sdk/client-mwaa',
  s3: '@aws-sdk/client-s3',
  sagemaker: '@aws-sdk/client-sagemaker',
};

/**
 * Operations the simulator serves under the SageMaker module that belong to another client: the
 * runtime's InvokeEndpoint (signing name sagemaker too) and the endpoints' CloudWatch Logs.
 */
const CLIENT_OF_OPERATION: Readonly<Record<string, string>> = {
  'sagemaker InvokeEndpoint': '@aws-sdk/client-sagemaker-runtime',
  'sagemaker FilterLogEvents': '@aws-sdk/client-cloudwatch-logs',
};

interface OperationSchema {
  readonly name: string;
  readonly method: string;
  readonly objectLevel: boolean;
  readonly literals: readonly [string, string][];
}

/** Every S3 operation's HTTP binding, from the client's exported schemas. */
function s3Operations(): OperationSchema[] {
  const schemas: OperationSchema[] = [];
  for (const value of Object.values(S3) as unknown[]) {
    if (!Array.isArray(value) || value[0] !== 9) continue;
    const http = (value[3] as { http?: [string, string, number] } | undefined)?.http;
    if (!http) continue;
    const [path = '', query = ''] = http[1].split('?');
    schemas.push({
      name: String(value[2]),
      method: http[0],
      objectLevel: path.includes('{Key+}'),
      literals: [...new URLSearchParams(query).entries()],
    });
  }
  return schemas;
}

const S3_OPERATIONS = s3Operations();

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function xmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (entity, name: string) =>
    name.startsWith('#x') || name.startsWith('#X')
      ? String.fromCodePoint(parseInt(name.slice(2), 16))
      : name.startsWith('#')
        ? String.fromCodePoint(Number(name.slice(1)))
        : (XML_ENTITIES[name] ?? entity),
  );
}

/** The S3 operation of a path-style request (`/bucket` or `/bucket/key`). */
export function s3OperationOf(request: RestRequest): {
  operation: string;
  resources: string[];
  context: Record<string, string>;
} {
  const [, bucket = '', ...key] = request.path.split('/');
  const objectKey = key.map(decodeURIComponent).join('/');
  const objectLevel = objectKey !== '';
  const matches = S3_OPERATIONS.filter(
    (schema) =>
      schema.method === request.method &&
      schema.objectLevel === objectLevel &&
      schema.literals.every(
        ([name, value]) => request.query.has(name) && (value === '' || request.query.get(name) === value),
      ),
  ).sort((a, b) => b.literals.length - a.literals.length);
  const [best, next] = matches;
  if (!best || (next && next.literals.length === best.literals.length)) {
    throw new Error(
      `No single S3 operation for ${request.method} ${request.path}?${request.query.toString()}`,
    );
  }
  // DeleteObjects is sent to the bucket but authorized as s3:DeleteObject on each key it names (S3
  // API Reference, DeleteObjects).
  if (best.name === 'DeleteObjects') {
    const keys = [...request.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) => xmlText(match[1] ?? ''));
    return { operation: best.name, resources: keys.map((k) => `arn:aws:s3:::${bucket}/${k}`), context: {} };
  }
  const resource = objectLevel ? `arn:aws:s3:::${bucket}/${objectKey}` : `arn:aws:s3:::${bucket}`;
  // s3:prefix is the list request's prefix parameter (S3 User Guide, "Condition key examples").
  const prefix = request.query.get('prefix');
  const context: Record<string, string> = prefix === null ? {} : { 's3:prefix': prefix };
  return { operation: best.name, resources: [resource], context };
}

/** An ECR (JSON protocol) request: the simulator passes these on without reading their bodies. */
interface JsonRequest {
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

export interface RecordedRequests {
  readonly s3: RestRequest[];
  readonly ecr: JsonRequest[];
}

/** A hop in front of the simulator that keeps every S3 request line and every ECR request. */
export class RequestRecorder {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly requests: RecordedRequests,
  ) {}

  static async start(upstream: string): Promise<RequestRecorder> {
    const target = new URL(upstream);
    const requests: RecordedRequests = { s3: [], ecr: [] };
    const server = createServer((req, res) => {
      void readBody(req).then((body) => {
        const service = signingName(req.headers);
        const amzTarget = req.headers['x-amz-target'];
        if (service === 'ecr' && typeof amzTarget === 'string') {
          requests.ecr.push({
            operation: amzTarget.slice(amzTarget.lastIndexOf('.') + 1),
            input: body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {},
          });
        }
        if (service === 's3') {
          const url = new URL(req.url ?? '/', 'http://recorder');
          // Only small XML bodies (DeleteObjects) are read as text; uploads are kept out of memory.
          const xml = String(req.headers['content-type'] ?? '').includes('xml') && body.length < 1_000_000;
          requests.s3.push({
            method: req.method ?? 'GET',
            path: url.pathname,
            query: url.searchParams,
            body: xml ? body.toString('utf8') : '',
          });
        }
        forwardRequest(req, res, target, { body });
      });
    });
    return new RequestRecorder(server, await listenOnLoopback(server, 0), requests);
  }

  clear(): void {
    this.requests.s3.length = 0;
    this.requests.ecr.length = 0;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}

/** A CodeDeploy deployment's application and deployment group, by deployment id. */
export type CodeDeployGroups = ReadonlyMap<string, { readonly application: string; readonly group: string }>;

/** The deployments of the simulator's CodeDeploy state (`{ deployments: [...] }`), by id. */
export function codeDeployGroupsOf(state: unknown): CodeDeployGroups {
  const deployments = (state as { deployments?: Record<string, unknown>[] } | undefined)?.deployments ?? [];
  return new Map(
    deployments.map((d) => [
      String(d.deploymentId),
      { application: String(d.applicationName), group: String(d.deploymentGroupName) },
    ]),
  );
}

/**
 * CodeDeploy ARNs of a call: the deployment group it names, or the group of the deployment it names
 * by id (CodeDeploy User Guide, "CodeDeploy permissions reference": the deployment calls are
 * authorized on `deploymentgroup:application-name/deployment-group-name`).
 */
function codeDeployResources(params: Record<string, unknown>, where: Where): string[] {
  const base = `arn:aws:codedeploy:${where.region}:${where.account}`;
  if (typeof params.applicationName === 'string' && typeof params.deploymentGroupName === 'string')
    return [`${base}:deploymentgroup:${params.applicationName}/${params.deploymentGroupName}`];
  const deployment =
    typeof params.deploymentId === 'string' ? where.codeDeployGroups?.get(params.deploymentId) : undefined;
  if (typeof params.deploymentId === 'string' && deployment === undefined)
    throw new Error(
      `CodeDeploy deployment ${params.deploymentId} is not in the groups given to observedCalls`,
    );
  return deployment === undefined
    ? []
    : [`${base}:deploymentgroup:${deployment.application}/${deployment.group}`];
}

/** The resource a simulator-named call acts on, where its parameters name it. */
function resourcesOf(call: Call, where: Where): string[] {
  const { account, region } = where;
  const params = call.params as Record<string, unknown>;
  if (call.service === 'codedeploy') return codeDeployResources(params, where);
  if (call.service === 'mwaa' && typeof params.Name === 'string') {
    return [`arn:aws:airflow:${region}:${account}:environment/${params.Name}`];
  }
  if (call.service === 'ecs') {
    const cluster = typeof params.cluster === 'string' ? params.cluster : 'default';
    const service =
      typeof params.service === 'string'
        ? params.service
        : Array.isArray(params.services) && params.services.length === 1
          ? String(params.services[0])
          : undefined;
    if (
      service !== undefined &&
      (call.operation === 'UpdateService' || call.operation === 'DescribeServices')
    ) {
      return [
        service.startsWith('arn:')
          ? service
          : `arn:aws:ecs:${region}:${account}:service/${cluster}/${service}`,
      ];
    }
    if (typeof params.resourceArn === 'string') return [params.resourceArn];
    if (call.operation === 'RunTask' && typeof params.taskDefinition === 'string') {
      const definition = params.taskDefinition;
      return [
        definition.startsWith('arn:')
          ? definition
          : `arn:aws:ecs:${region}:${account}:task-definition/${definition}`,
      ];
    }
    if (call.operation === 'DescribeTasks' && Array.isArray(params.tasks)) return params.tasks.map(String);
    if (call.operation === 'StopTask' && typeof params.task === 'string') return [params.task];
  }
  if (call.service === 'elasticbeanstalk') return beanstalkResources(call.operation, params, account, region);
  if (call.service === 'sagemaker') return sageMakerResources(call.operation, params, account, region);
  return [];
}

/**
 * SageMaker ARNs from a call's names, in lower case as SageMaker writes them (Service Authorization
 * Reference, SageMaker resource types endpoint, endpoint-config, model); CreateEndpoint and
 * UpdateEndpoint are authorized on the endpoint and on the configuration. FilterLogEvents is
 * authorized on the log group.
 */
function sageMakerResources(
  operation: string,
  params: Record<string, unknown>,
  account: string,
  region: string,
): string[] {
  if (operation === 'FilterLogEvents' && typeof params.logGroupName === 'string') {
    return [`arn:aws:logs:${region}:${account}:log-group:${params.logGroupName}:*`];
  }
  if (typeof params.ResourceArn === 'string') return [params.ResourceArn];
  const base = `arn:aws:sagemaker:${region}:${account}`;
  const named: [string, string][] = [
    ['EndpointName', 'endpoint'],
    ['EndpointConfigName', 'endpoint-config'],
    ['ModelName', 'model'],
  ];
  return named
    .filter(([field]) => typeof params[field] === 'string')
    .map(([field, kind]) => `${base}:${kind}/${String(params[field]).toLowerCase()}`);
}

/** Elastic Beanstalk ARNs from a query call's form fields (Elastic Beanstalk Developer Guide, "Amazon resource name format"). */
function beanstalkResources(
  operation: string,
  params: Record<string, unknown>,
  account: string,
  region: string,
): string[] {
  const base = `arn:aws:elasticbeanstalk:${region}:${account}`;
  const application = typeof params.ApplicationName === 'string' ? params.ApplicationName : undefined;
  if (typeof params.ResourceArn === 'string') return [params.ResourceArn];
  if (application === undefined) return [];
  if (/ApplicationVersion$/.test(operation) && typeof params.VersionLabel === 'string') {
    return [`${base}:applicationversion/${application}/${params.VersionLabel}`];
  }
  if (operation === 'CreateApplication') return [`${base}:application/${application}`];
  if (typeof params.EnvironmentName === 'string')
    return [`${base}:environment/${application}/${params.EnvironmentName}`];
  return [];
}

/**
 * Registering a task definition that names a task or execution role passes each role to ECS tasks
 * (Amazon ECS Developer Guide, "Task execution IAM role"): IAM checks iam:PassRole on it with
 * iam:PassedToService = ecs-tasks.amazonaws.com.
 */
function passedRoles(simulatorCalls: readonly Call[]): ObservedCall[] {
  return simulatorCalls
    .filter((call) => call.service === 'ecs' && call.operation === 'RegisterTaskDefinition')
    .flatMap((call) =>
      ['taskRoleArn', 'executionRoleArn']
        .map((field) => (call.params as Record<string, unknown>)[field])
        .filter((arn): arn is string => typeof arn === 'string' && arn !== '')
        .map((arn) => ({
          client: '@aws-sdk/client-ecs',
          operation: 'RegisterTaskDefinition',
          impliedAction: 'iam:PassRole',
          resources: [arn],
          context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
        })),
    );
}

/**
 * CreateModel passes its ExecutionRoleArn to SageMaker (SageMaker Developer Guide, "How to use
 * SageMaker AI execution roles"): IAM checks iam:PassRole on it with iam:PassedToService =
 * sagemaker.amazonaws.com.
 */
function passedExecutionRoles(simulatorCalls: readonly Call[]): ObservedCall[] {
  return simulatorCalls
    .filter((call) => call.service === 'sagemaker' && call.operation === 'CreateModel')
    .map((call) => (call.params as Record<string, unknown>).ExecutionRoleArn)
    .filter((arn): arn is string => typeof arn === 'string' && arn !== '')
    .map((arn) => ({
      client: '@aws-sdk/client-sagemaker',
      operation: 'CreateModel',
      impliedAction: 'iam:PassRole',
      resources: [arn],
      context: { 'iam:PassedToService': 'sagemaker.amazonaws.com' },
    }));
}

/**
 * A model or endpoint configuration created with Tags is tagged on creation, which SageMaker
 * authorizes as sagemaker:AddTags on it with sagemaker:TaggingAction naming the create call
 * (SageMaker Developer Guide, "Provide permissions for tagging SageMaker AI resources").
 */
function taggedOnCreate(simulatorCalls: readonly Call[], where: Where): ObservedCall[] {
  return simulatorCalls
    .filter(
      (call) =>
        call.service === 'sagemaker' && ['CreateModel', 'CreateEndpointConfig'].includes(call.operation),
    )
    .filter((call) => {
      const tags = (call.params as Record<string, unknown>).Tags;
      return Array.isArray(tags) && tags.length > 0;
    })
    .map((call) => ({
      client: '@aws-sdk/client-sagemaker',
      operation: call.operation,
      impliedAction: 'sagemaker:AddTags',
      resources: sageMakerResources(
        call.operation,
        call.params as Record<string, unknown>,
        where.account,
        where.region,
      ),
      context: { 'sagemaker:TaggingAction': call.operation },
    }));
}

/** CodeDeploy's default configuration for a deployment group of the ECS compute platform. */
const ECS_DEFAULT_DEPLOYMENT_CONFIG = 'CodeDeployDefault.ECSAllAtOnce';

/**
 * CreateDeployment reads the deployment configuration and registers the AppSpec as a revision of
 * the application with the caller's rights (CodeDeploy User Guide, "CodeDeploy permissions
 * reference": CreateDeployment also needs codedeploy:GetDeploymentConfig and
 * codedeploy:RegisterApplicationRevision). Without a deploymentConfigName the group's applies; the
 * ECS default (CodeDeploy User Guide, "Deployment configurations on an Amazon ECS compute platform")
 * stands for it.
 */
function codeDeployOnAwsSide(simulatorCalls: readonly Call[], where: Where): ObservedCall[] {
  const base = `arn:aws:codedeploy:${where.region}:${where.account}`;
  return simulatorCalls
    .filter((call) => call.service === 'codedeploy' && call.operation === 'CreateDeployment')
    .flatMap((call) => {
      const params = call.params as Record<string, unknown>;
      const config =
        typeof params.deploymentConfigName === 'string'
          ? params.deploymentConfigName
          : ECS_DEFAULT_DEPLOYMENT_CONFIG;
      const implied = (impliedAction: string, resource: string): ObservedCall => ({
        client: '@aws-sdk/client-codedeploy',
        operation: 'CreateDeployment',
        impliedAction,
        resources: [resource],
        context: {},
      });
      return [
        implied('codedeploy:GetDeploymentConfig', `${base}:deploymentconfig:${config}`),
        implied(
          'codedeploy:RegisterApplicationRevision',
          `${base}:application:${String(params.applicationName)}`,
        ),
      ];
    });
}

/** ECR repository ARNs named by a request (`repositoryName`, or DescribeRepositories' `repositoryNames`). */
function ecrResources(input: Record<string, unknown>, account: string, region: string): string[] {
  const names = [
    input.repositoryName,
    ...(Array.isArray(input.repositoryNames) ? input.repositoryNames : []),
  ];
  return names
    .filter((name): name is string => typeof name === 'string')
    .map((name) => `arn:aws:ecr:${region}:${account}:repository/${name}`);
}

interface Where {
  readonly account: string;
  readonly region: string;
  /** Needed when the run made CodeDeploy calls that name a deployment by id (codeDeployGroupsOf). */
  readonly codeDeployGroups?: CodeDeployGroups;
}

/** Every call of a run: the simulator's named calls and the recorder's S3 and ECR requests. */
export function observedCalls(
  simulatorCalls: readonly Call[],
  recorded: RecordedRequests,
  where: Where,
): ObservedCall[] {
  const named = simulatorCalls
    .filter((call) => !['s3', 'ecr'].includes(call.service) && !/^[A-Z]+ \//.test(call.operation))
    .map((call) => {
      const client = CLIENT_OF_OPERATION[`${call.service} ${call.operation}`] ?? CLIENT_OF[call.service];
      if (!client) throw new Error(`No SDK client known for the simulator's service ${call.service}`);
      return {
        client,
        operation: call.operation,
        resources: resourcesOf(call, where),
        context: {},
      };
    });
  const s3 = recorded.s3.map((request) => ({ client: '@aws-sdk/client-s3', ...s3OperationOf(request) }));
  const ecr = recorded.ecr.map((request) => ({
    client: '@aws-sdk/client-ecr',
    operation: request.operation,
    resources: ecrResources(request.input, where.account, where.region),
    context: {},
  }));
  return [
    ...named,
    ...passedRoles(simulatorCalls),
    ...passedExecutionRoles(simulatorCalls),
    ...taggedOnCreate(simulatorCalls, where),
    ...codeDeployOnAwsSide(simulatorCalls, where),
    ...s3,
    ...ecr,
  ];
}
