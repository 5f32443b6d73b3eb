import { parseImageReference, shortDigestText, type DeploymentRecorder } from '@deploy-suite/kit';
import type { Inputs } from './inputs';

/**
 * The GitHub deployment of a deploy to an endpoint, started just before the first change in AWS
 * (the model's creation, or the endpoint's creation or update when both are reused). The kit's
 * recorder does the rest, as in every action of the suite.
 */
export function startRecord(
  recorder: DeploymentRecorder,
  inputs: Pick<Inputs, 'endpointName' | 'model'>,
  names: { readonly modelName: string; readonly endpointConfigName: string },
  /** A rollback-to run: the deployment is recorded as a rollback to this configuration. */
  rollback?: { readonly to: string },
): Promise<void> {
  return recorder.start({
    description: rollback
      ? `Roll back ${inputs.endpointName} to ${rollback.to}`
      : `${imageText(inputs.model.image)} to ${inputs.endpointName}`,
    ...(rollback && { task: 'deploy:rollback', rollback: true }),
    payload: {
      endpoint: inputs.endpointName,
      'endpoint-config': names.endpointConfigName,
      model: names.modelName,
      image: inputs.model.image,
    },
  });
}

/** `sample-service@sha256:1a2b3c4d…`: the registry and most of the digest would fill GitHub's 140 characters. */
function imageText(image: string): string {
  const reference = parseImageReference(image);
  if (typeof reference === 'string' || reference.digest === undefined) return image;
  return `${reference.repository}@${shortDigestText(reference.digest)}`;
}
