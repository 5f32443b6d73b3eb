import { AddTagsCommand, ListTagsCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { messageOf, type Log } from '@deploy-suite/kit';

/**
 * The endpoint tag holding the configuration the endpoint served before the current one, written
 * after each successful update: what `rollback-to: previous` returns to. Kept on the endpoint
 * itself, so it survives runners, workflows and people (deploy-ecs keeps its previous task
 * definition on the service the same way). SageMaker keeps no history of an endpoint's
 * configurations, and configuration names alone cannot tell one that served from one whose update
 * failed.
 */
export const PREVIOUS_TAG = 'deploy-suite:previous-endpoint-config';

/** ListTags answers at most 100 tags a page; a SageMaker resource holds at most 50. */
const TAGS_PAGE = 100;

export async function readPreviousRecord(
  sagemaker: Pick<SageMakerClient, 'send'>,
  endpointArn: string,
): Promise<string | undefined> {
  const answer = await sagemaker.send(
    new ListTagsCommand({ ResourceArn: endpointArn, MaxResults: TAGS_PAGE }),
  );
  const value = answer.Tags?.find((tag) => tag.Key === PREVIOUS_TAG)?.Value;
  return value === undefined || value === '' ? undefined : value;
}

/** Records the configuration served before; a failure to tag is a warning: the update itself succeeded. */
export async function writePreviousRecord(
  sagemaker: Pick<SageMakerClient, 'send'>,
  log: Log,
  endpointArn: string,
  previous: string,
): Promise<boolean> {
  try {
    await sagemaker.send(
      new AddTagsCommand({ ResourceArn: endpointArn, Tags: [{ Key: PREVIOUS_TAG, Value: previous }] }),
    );
    return true;
  } catch (err) {
    log.warning(
      `Could not record ${previous} as the previous endpoint configuration (tag ${PREVIOUS_TAG}): ${messageOf(err)}`,
    );
    return false;
  }
}
