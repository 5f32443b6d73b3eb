import {
  CheckDNSAvailabilityCommand,
  CreateApplicationCommand,
  CreateEnvironmentCommand,
  type EnvironmentDescription,
} from '@aws-sdk/client-elastic-beanstalk';
import { DeployFailed } from '@deploy-suite/kit';
import { apiSettings, applicationExists, findEnvironment } from './beanstalk';
import type { Inputs } from './inputs';
import type { Ports } from './ports';
import { repeatSafe } from './repeat-safe';

/**
 * create-application and create-environment: what is missing is created, each call safe to
 * repeat after a lost answer (the retry answers "already exists"; the state read back decides).
 */

type EnvironmentPlan = NonNullable<Inputs['create']['environment']>;

/** The tier as CreateEnvironment takes it (EnvironmentTier: WebServer/Standard, Worker/SQS/HTTP). */
const TIER_TYPES: Readonly<Record<EnvironmentPlan['tier'], string>> = {
  WebServer: 'Standard',
  Worker: 'SQS/HTTP',
};

function isExists(err: unknown): boolean {
  return err instanceof Error && /already exists/i.test(err.message);
}

export async function createApplication(ports: Ports, application: string): Promise<void> {
  await repeatSafe(
    () => ports.eb.send(new CreateApplicationCommand({ ApplicationName: application })),
    async (err) => (isExists(err) && (await applicationExists(ports.eb, application)) ? {} : undefined),
  );
}

/** A taken CNAME prefix fails the run before anything is created or uploaded. */
export async function checkCnamePrefix(ports: Ports, prefix: string): Promise<void> {
  const answer = await ports.eb.send(new CheckDNSAvailabilityCommand({ CNAMEPrefix: prefix }));
  if (answer.Available === false) {
    throw new DeployFailed(
      `cname-prefix ${prefix} is taken (${answer.FullyQualifiedCNAME ?? prefix}); choose another, or leave it empty`,
    );
  }
}

/**
 * Creates the environment running `label`. After a lost answer the retry finds the environment:
 * it is this run's when it is launching (or runs) this label.
 */
export async function createEnvironment(
  inputs: Readonly<Inputs>,
  ports: Ports,
  name: string,
  label: string,
  plan: EnvironmentPlan,
): Promise<EnvironmentDescription> {
  const { settings } = inputs;
  return repeatSafe<EnvironmentDescription>(
    () =>
      ports.eb.send(
        new CreateEnvironmentCommand({
          ApplicationName: inputs.application,
          EnvironmentName: name,
          VersionLabel: label,
          ...plan.platform,
          Tier: { Name: plan.tier, Type: TIER_TYPES[plan.tier] },
          ...(plan.cnamePrefix !== undefined && { CNAMEPrefix: plan.cnamePrefix }),
          ...(settings.length > 0 && { OptionSettings: apiSettings(settings) }),
        }),
      ),
    async (err) => {
      if (!isExists(err)) return undefined;
      const found = await findEnvironment(ports.eb, inputs.application, name);
      if (found?.VersionLabel === label) return found;
      throw new DeployFailed(
        `Environment ${name} was created by someone else (running ${found?.VersionLabel ?? 'no version'}) while this run created it`,
      );
    },
  );
}
