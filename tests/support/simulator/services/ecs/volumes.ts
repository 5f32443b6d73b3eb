import { ServiceError } from '../../errors';
import type { EcsStore, Json } from './state';

/**
 * volumeConfigurations as sent (CreateService, UpdateService, RunTask), refused when a name is not the task definition's volume with
 * configuredAtLaunch (ServiceVolumeConfiguration.name: "must match the volume name from the Volume
 * object in the task definition"; Volume.configuredAtLaunch). Undefined when not sent.
 */
export function volumeConfigurations(
  store: EcsStore,
  input: Json,
  taskDefinition: string,
): unknown[] | undefined {
  if (!Array.isArray(input.volumeConfigurations)) return undefined;
  const volumes = store.taskDefinitions.find(taskDefinition).request.volumes;
  const atLaunch = (Array.isArray(volumes) ? (volumes as Json[]) : [])
    .filter((v) => v.configuredAtLaunch === true)
    .map((v) => v.name);
  for (const configuration of input.volumeConfigurations as Json[]) {
    if (!atLaunch.includes(configuration.name)) {
      throw new ServiceError(
        'InvalidParameterException',
        `The volume name '${String(configuration.name)}' does not match a volume configured at launch in the task definition.`,
      );
    }
  }
  return input.volumeConfigurations as unknown[];
}
