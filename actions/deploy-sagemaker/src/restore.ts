import {
  UpdateEndpointCommand,
  type DeploymentConfig,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { EndpointView } from './verdict';

/**
 * Puts the endpoint back on an endpoint configuration: UpdateEndpoint with it and, for rollback-to,
 * the DeploymentConfig its inputs ask for; without one (after a failed smoke test) SageMaker's
 * default is a blue/green shift of all traffic at once (API reference `DeploymentConfig`), followed
 * to its end by `follow`. After a failed smoke test
 * the configuration is the one the endpoint served before this run; for rollback-to, the one asked
 * for. Without `follow` (wait: false) only the update is started. Returns the last DescribeEndpoint
 * answer and whether the configuration serves again.
 */
export async function restoreConfig(
  sagemaker: Pick<SageMakerClient, 'send'>,
  name: string,
  config: string,
  follow: ((target: string) => Promise<EndpointView>) | undefined,
  deployment?: DeploymentConfig,
): Promise<{ readonly restored: boolean; readonly endpoint: EndpointView | undefined }> {
  await sagemaker.send(
    new UpdateEndpointCommand({
      EndpointName: name,
      EndpointConfigName: config,
      ...(deployment && { DeploymentConfig: deployment }),
    }),
  );
  if (follow === undefined) return { restored: false, endpoint: undefined };
  const endpoint = await follow(config);
  return {
    restored: endpoint.EndpointStatus === 'InService' && endpoint.EndpointConfigName === config,
    endpoint,
  };
}
