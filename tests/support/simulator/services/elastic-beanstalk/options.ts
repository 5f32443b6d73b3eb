import { text, type Input } from './query-params';

export interface OptionSetting {
  readonly Namespace: string;
  readonly OptionName: string;
  readonly Value: string;
  readonly ResourceName?: string;
}

export type OptionName = Omit<OptionSetting, 'Value'>;

/** What a seeded environment's configuration holds before any update (a subset of what AWS reports). */
export const SEEDED_OPTIONS: readonly OptionSetting[] = [
  { Namespace: 'aws:autoscaling:launchconfiguration', OptionName: 'InstanceType', Value: 't3.micro' },
  { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'LoadBalanced' },
  { Namespace: 'aws:elasticbeanstalk:command', OptionName: 'DeploymentPolicy', Value: 'AllAtOnce' },
];

/** `OptionSettings.member.N.Namespace` / `.OptionName` / `.Value` / `.ResourceName`, in order. */
export function optionMembers(input: Input, name: string): OptionSetting[] {
  const settings: OptionSetting[] = [];
  for (let i = 1; input[`${name}.member.${i}.Namespace`] !== undefined; i++) {
    const at = (field: string): string | undefined => text(input, `${name}.member.${i}.${field}`);
    const resource = at('ResourceName');
    settings.push({
      Namespace: String(input[`${name}.member.${i}.Namespace`]),
      OptionName: at('OptionName') ?? '',
      Value: at('Value') ?? '',
      ...(resource !== undefined && { ResourceName: resource }),
    });
  }
  return settings;
}

function optionKey(setting: OptionName): string {
  return `${setting.ResourceName ?? ''}|${setting.Namespace}|${setting.OptionName}`;
}

/**
 * The configuration after an update: each given setting replaces the one with the same namespace
 * and name; OptionsToRemove drops settings (back to their defaults, which this model does not hold).
 */
export function mergeOptions(
  current: readonly OptionSetting[],
  given: readonly OptionSetting[],
  removed: readonly OptionName[],
): OptionSetting[] {
  const merged = new Map(current.map((o) => [optionKey(o), o]));
  for (const setting of removed) merged.delete(optionKey(setting));
  for (const setting of given) merged.set(optionKey(setting), setting);
  return [...merged.values()];
}

/**
 * Option names of two namespaces from "General options for all environments" (command-options-general
 * in the developer guide): a misspelt name there is refused. Other `aws:` namespaces take any name,
 * environment properties included.
 */
const KNOWN_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  'aws:autoscaling:launchconfiguration': [
    'DisableIMDSv1',
    'EC2KeyName',
    'IamInstanceProfile',
    'ImageId',
    'InstanceType',
    'MonitoringInterval',
    'SecurityGroups',
    'SSHSourceRestriction',
    'BlockDeviceMappings',
    'RootVolumeType',
    'RootVolumeSize',
    'RootVolumeIOPS',
    'RootVolumeThroughput',
  ],
  'aws:elasticbeanstalk:command': [
    'DeploymentPolicy',
    'Timeout',
    'BatchSizeType',
    'BatchSize',
    'IgnoreHealthCheck',
  ],
};

/**
 * Every namespace Elastic Beanstalk accepts through the API starts with `aws:` (the general options
 * and the platform-specific ones); anything else, or an unknown name in a namespace listed above,
 * is refused the way the service words it.
 */
export function optionProblem(setting: OptionSetting): string | undefined {
  const known = KNOWN_OPTIONS[setting.Namespace];
  const nameKnown = known === undefined || known.includes(setting.OptionName);
  if (/^aws:[a-z0-9:-]+$/i.test(setting.Namespace) && setting.OptionName !== '' && nameKnown)
    return undefined;
  return `Invalid option specification (Namespace: '${setting.Namespace}', OptionName: '${setting.OptionName}'): Unknown configuration setting.`;
}
