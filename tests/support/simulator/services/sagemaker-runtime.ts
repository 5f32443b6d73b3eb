import { ServiceError } from '../errors';
import type { Operation, ServiceContext } from '../service';
import type { EndpointRecord, SageMakerState } from './sagemaker-state';
import type { SageMakerScenario } from './sagemaker-timing';
import { settle } from './sagemaker-views';

type Fields = Readonly<Record<string, unknown>>;

/** What the simulated container answers to /invocations with the `server-error` scenario. */
export const CONTAINER_ERROR = 'Internal Server Error: the model could not score the request';

/** How the container of the configuration the endpoint serves answers: the scenario it was first deployed under. */
function invocationOf(endpoint: EndpointRecord): SageMakerScenario['invocation'] {
  const deployed = endpoint.history.find((rollout) => rollout.configName === endpoint.configName);
  return deployed?.definition.invocation ?? 'answers';
}

/**
 * The container's 500 as the runtime returns it: ModelError, HTTP 424 (botocore
 * sagemaker-runtime/2017-05-13), with the message SageMaker writes ("Received server error (500)
 * from primary with message "…". See <CloudWatch link> in account <id> for more information.", as
 * quoted in aws/amazon-sagemaker-examples#1809).
 */
function modelError(endpoint: string, region: string, accountId: string): ServiceError {
  const group = `/aws/sagemaker/Endpoints/${endpoint}`;
  const message =
    `Received server error (500) from primary with message "${CONTAINER_ERROR}". ` +
    `See https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logEventViewer:group=${group} ` +
    `in account ${accountId} for more information.`;
  return new ServiceError('ModelError', message, 424, {
    Message: message,
    OriginalStatusCode: 500,
    OriginalMessage: CONTAINER_ERROR,
    LogStreamArn: `arn:aws:logs:${region}:${accountId}:log-group:${group}:log-stream:AllTraffic/i-0`,
  });
}

/**
 * The runtime's InvokeEndpoint (`POST /endpoints/{EndpointName}/invocations`, signing name
 * `sagemaker`; the SDK reaches it through AWS_ENDPOINT_URL like every other client). No container
 * runs here: an InService endpoint answers which variant, configuration and image served, with the
 * request body; the `invocation-fails` scenario answers ModelError. Any other endpoint is the
 * runtime's ValidationError `Endpoint <name> of account <account> not found.`
 */
export function invokeEndpoint(context: ServiceContext<SageMakerScenario>, state: SageMakerState): Operation {
  return {
    name: 'InvokeEndpoint',
    route: {
      protocol: 'rest-json',
      method: 'POST',
      path: '/endpoints/{EndpointName}/invocations',
      payload: 'Body',
    },
    handle: ({ input, region }) => {
      const name = String(input['EndpointName']);
      const endpoint = state.endpoints.get(name);
      const segment = endpoint ? settle(endpoint, context.clock.now()) : undefined;
      // While an update runs or rolls back the endpoint keeps serving its current configuration.
      const servable = segment !== undefined && segment.status !== 'Creating' && segment.status !== 'Failed';
      if (!endpoint || !servable) {
        throw new ServiceError(
          'ValidationError',
          `Endpoint ${name} of account ${context.accountId} not found.`,
        );
      }
      if (invocationOf(endpoint) === 'server-error') throw modelError(name, region, context.accountId);
      const config = state.configs.get(endpoint.configName);
      const variant = ((config?.fields['ProductionVariants'] as Fields[] | undefined) ?? [])[0] ?? {};
      const model = state.models.get(String(variant['ModelName']));
      const image = (model?.fields['PrimaryContainer'] as Fields | undefined)?.['Image'];
      return {
        endpoint: endpoint.name,
        variant: variant['VariantName'],
        endpointConfig: endpoint.configName,
        image,
        request: input['Body'],
      };
    },
  };
}
