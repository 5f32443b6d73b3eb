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
  names: RecordedNames,
): Promise<void> {
  return recorder.start({
    description: `${imageText(inputs.model.image)} to ${inputs.endpointName}`,
    payload: { ...payloadOf(inputs.endpointName, names), image: inputs.model.image },
  });
}

/**
 * A rollback-to run's GitHub deployment (task `deploy:rollback`, as deploy-ecs's and
 * deploy-beanstalk's), started just before its UpdateEndpoint. Nothing here knows the image: the
 * configuration names the model.
 */
export function startRollbackRecord(
  recorder: DeploymentRecorder,
  endpointName: string,
  names: RecordedNames,
): Promise<void> {
  return recorder.start({
    description: `Roll back ${endpointName} to ${names.endpointConfigName}`,
    task: 'deploy:rollback',
    rollback: true,
    payload: payloadOf(endpointName, names),
  });
}

interface RecordedNames {
  readonly modelName: string;
  readonly endpointConfigName: string;
}

function payloadOf(endpointName: string, names: RecordedNames) {
  return { endpoint: endpointName, 'endpoint-config': names.endpointConfigName, model: names.modelName };
}

/** `sample-service@sha256:1a2b3c4d…`: the registry and most of the digest would fill GitHub's 140 characters. */
function imageText(image: string): string {
  const reference = parseImageReference(image);
  if (typeof reference === 'string' || reference.digest === undefined) return image;
  return `${reference.repository}@${shortDigestText(reference.digest)}`;
}
