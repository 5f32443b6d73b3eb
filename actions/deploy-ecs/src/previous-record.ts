import { ListTagsForResourceCommand, TagResourceCommand } from '@aws-sdk/client-ecs';
import { messageOf } from '@deploy-suite/kit';
import type { Ports } from './ports';

/**
 * The service tag holding the last known-good task definition the service ran before the current
 * one: what `rollback-to: previous` returns to. Kept on the service itself, so it survives runners,
 * workflows and people.
 */
export const PREVIOUS_TAG = 'deploy-suite:previous-task-definition';

export async function readPreviousRecord(ports: Ports, serviceArn: string): Promise<string | undefined> {
  const answer = await ports.ecs.send(new ListTagsForResourceCommand({ resourceArn: serviceArn }));
  const value = answer.tags?.find((tag) => tag.key === PREVIOUS_TAG)?.value;
  return value === undefined || value === '' ? undefined : value;
}

/** Records the known-good revision; a failure to tag is a warning, the deployment itself succeeded. */
export async function writePreviousRecord(
  ports: Ports,
  serviceArn: string,
  taskDefinitionArn: string,
): Promise<boolean> {
  try {
    await ports.ecs.send(
      new TagResourceCommand({
        resourceArn: serviceArn,
        tags: [{ key: PREVIOUS_TAG, value: taskDefinitionArn }],
      }),
    );
    return true;
  } catch (err) {
    ports.log.warning(
      `Could not record ${taskDefinitionArn} as the previous task definition (tag ${PREVIOUS_TAG}): ${messageOf(err)}`,
    );
    return false;
  }
}
