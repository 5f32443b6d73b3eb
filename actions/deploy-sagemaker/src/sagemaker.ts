import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListTagsCommand,
  type CreateEndpointConfigInput,
  type CreateModelInput,
  type DescribeEndpointOutput,
  type SageMakerClient,
  type Tag,
} from '@aws-sdk/client-sagemaker';
import { Cancelled, messageOf } from '@deploy-suite/kit';
import type { Served } from './carry';
import { loadLogsSdk } from './logs-sdk';

/** Calls to SageMaker and CloudWatch Logs, each answering in the deploy's terms. */

/**
 * SageMaker declares no not-found error for its Describe calls: it answers ValidationException
 * `Could not find endpoint "<arn>".` (model and endpoint configuration alike). The kit's clients
 * prefix the message with the call's name, so the words are matched after a colon too.
 */
export function isNotFound(err: unknown): boolean {
  return (
    err instanceof Error &&
    err.name === 'ValidationException' &&
    /(^|: )Could not find (endpoint|model|endpoint configuration)\b/i.test(err.message)
  );
}

export async function unlessMissing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export function describeEndpoint(
  sagemaker: SageMakerClient,
  name: string,
): Promise<DescribeEndpointOutput | undefined> {
  return unlessMissing(() => sagemaker.send(new DescribeEndpointCommand({ EndpointName: name })));
}

/** Creates the model unless one of that name exists: names change with content, so it is the same model. */
export async function ensureModel(
  sagemaker: SageMakerClient,
  request: CreateModelInput,
): Promise<'created' | 'reused'> {
  const name = request.ModelName ?? '';
  if (await unlessMissing(() => sagemaker.send(new DescribeModelCommand({ ModelName: name }))))
    return 'reused';
  await sagemaker.send(new CreateModelCommand(request));
  return 'created';
}

/** Creates the endpoint configuration unless one of that name exists (the same content, by its name). */
export async function ensureEndpointConfig(
  sagemaker: SageMakerClient,
  request: CreateEndpointConfigInput,
): Promise<'created' | 'reused'> {
  const found = await unlessMissing(() =>
    sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: request.EndpointConfigName })),
  );
  if (found) return 'reused';
  await sagemaker.send(new CreateEndpointConfigCommand(request));
  return 'created';
}

/**
 * The configuration an endpoint serves and the model of its variant `variantName`: what an update
 * carries over. A configuration or model deleted while in use (SageMaker allows it) reads as missing.
 */
export async function readServed(
  sagemaker: SageMakerClient,
  configName: string,
  variantName: string,
  warn: (line: string) => void,
): Promise<Served | undefined> {
  const config = await unlessMissing(() =>
    sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName })),
  );
  if (!config) return undefined;
  const modelName = config.ProductionVariants?.find((v) => v.VariantName === variantName)?.ModelName;
  const model =
    modelName === undefined
      ? undefined
      : await unlessMissing(() => sagemaker.send(new DescribeModelCommand({ ModelName: modelName })));
  const configTags = await tagsOf(sagemaker, config.EndpointConfigArn, warn);
  const modelTags = await tagsOf(sagemaker, model?.ModelArn, warn);
  return {
    config,
    ...(model ? { model } : {}),
    ...(configTags ? { configTags } : {}),
    ...(modelTags ? { modelTags } : {}),
  };
}

/**
 * A resource's tags (ListTags, every page). Tags are not what serves the endpoint: a role that may
 * not read them gets a warning and the new resources go without them, rather than no deploy.
 */
async function tagsOf(
  sagemaker: SageMakerClient,
  arn: string | undefined,
  warn: (line: string) => void,
): Promise<Tag[] | undefined> {
  if (arn === undefined) return undefined;
  const tags: Tag[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await sagemaker.send(
        new ListTagsCommand({ ResourceArn: arn, ...(token === undefined ? {} : { NextToken: token }) }),
      );
      tags.push(...(page.Tags ?? []));
      token = page.NextToken;
    } while (token);
  } catch (err) {
    if (err instanceof Cancelled) throw err;
    if (isNotFound(err)) return undefined;
    warn(`The tags of ${arn} could not be read, so they are not carried over: ${messageOf(err)}`);
    return undefined;
  }
  return tags;
}

/** How many of the endpoint's last log lines a failure shows. */
export const LOG_LINES = 20;
const LOG_PAGES = 10;

/**
 * The endpoint's last log lines since `since` (epoch ms), `<stream>: <message>`, from its log group
 * `/aws/sagemaker/Endpoints/<name>` ("Log Amazon SageMaker AI events with Amazon CloudWatch").
 * A group that does not exist yet holds nothing.
 */
export async function lastLogLines(
  logs: Pick<CloudWatchLogsClient, 'send'>,
  endpoint: string,
  since: number,
): Promise<string[]> {
  const { FilterLogEventsCommand } = await loadLogsSdk();
  const lines: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < LOG_PAGES; page++) {
    let answer;
    try {
      answer = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: `/aws/sagemaker/Endpoints/${endpoint}`,
          startTime: since,
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
      );
    } catch (err) {
      if (err instanceof Error && err.name === 'ResourceNotFoundException') return [];
      throw err;
    }
    for (const event of answer.events ?? [])
      lines.push(`${event.logStreamName ?? '?'}: ${(event.message ?? '').trimEnd()}`);
    nextToken = answer.nextToken;
    if (!nextToken) break;
  }
  return lines.slice(-LOG_LINES);
}
