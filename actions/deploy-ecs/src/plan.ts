import type { Deployment, Service } from '@aws-sdk/client-ecs';
import type { Inputs } from './inputs';
import type { StartOptions } from './service-deployment';

/**
 * What a run does to a service, decided from the inputs and one DescribeServices answer before
 * anything changes. Pure: the effects in deploy.ts and rollback-to.ts carry it out.
 */
export interface ServicePlan {
  /** UpdateService's options; undefined when the service already is what the inputs ask for. */
  readonly update: StartOptions | undefined;
  /** Follow the deployment to its end (`wait`). */
  readonly follow: boolean;
  /** After success, record this revision as the one `rollback-to: previous` returns to. */
  readonly recordPrevious: string | undefined;
  /** On a failure ECS did not already undo, return the service to this revision. */
  readonly rollBackTo: string | undefined;
}

type PlanInputs = Pick<
  Inputs,
  | 'forceNewDeployment'
  | 'desiredCount'
  | 'propagateTags'
  | 'enableEcsManagedTags'
  | 'wait'
  | 'rollbackOnFailure'
>;

/** The service's PRIMARY deployment: the one ECS is rolling out or runs. */
export function primaryDeployment(service: Pick<Service, 'deployments'> | undefined): Deployment | undefined {
  return service?.deployments?.find((d) => d.status === 'PRIMARY');
}

/**
 * The plan for deploying a revision to `service`. `registered` says whether this run registered a
 * new revision (false: the rendered one equals the revision the service runs).
 */
export function planServiceDeployment(
  inputs: PlanInputs,
  service: Service,
  registered: boolean,
): ServicePlan {
  const primary = primaryDeployment(service);
  // Only a revision the service had fully rolled out is worth returning to later.
  const knownGood = primary?.rolloutState === 'COMPLETED' ? primary.taskDefinition : undefined;
  const scale = inputs.desiredCount !== undefined && inputs.desiredCount !== service.desiredCount;
  // Tag settings change no deployment (UpdateService in the API model), but need the call.
  const tagging =
    (inputs.propagateTags !== undefined && inputs.propagateTags !== service.propagateTags) ||
    (inputs.enableEcsManagedTags !== undefined &&
      inputs.enableEcsManagedTags !== service.enableECSManagedTags);
  const change = registered || inputs.forceNewDeployment || scale || tagging;
  return {
    update: change ? startOptions(inputs) : undefined,
    follow: inputs.wait,
    // The revision deployed is new when registered, else the one the service runs already.
    recordPrevious:
      knownGood !== undefined && (registered || knownGood !== service.taskDefinition) ? knownGood : undefined,
    // Returning to the revision being deployed would change nothing.
    rollBackTo: inputs.rollbackOnFailure && registered ? service.taskDefinition : undefined,
  };
}

/**
 * The plan for `rollback-to`: nothing when the service already runs `arn`, fully rolled out (unless
 * a new deployment is forced); never a rollback of the rollback.
 */
export function planRollback(
  inputs: Pick<Inputs, 'forceNewDeployment' | 'wait'>,
  service: Service,
  arn: string,
): ServicePlan {
  const primary = primaryDeployment(service);
  const done = primary?.taskDefinition === arn && primary.rolloutState === 'COMPLETED';
  return {
    update:
      done && !inputs.forceNewDeployment ? undefined : { forceNewDeployment: inputs.forceNewDeployment },
    follow: inputs.wait,
    recordPrevious: undefined,
    rollBackTo: undefined,
  };
}

function startOptions(inputs: PlanInputs): StartOptions {
  return {
    forceNewDeployment: inputs.forceNewDeployment,
    desiredCount: inputs.desiredCount,
    propagateTags: inputs.propagateTags,
    enableEcsManagedTags: inputs.enableEcsManagedTags,
  };
}

/** The CodeDeploy names a blue/green deployment uses; the defaults are the ECS console's (and the anchor's). */
export interface BlueGreenPlan {
  /** Create a deployment: a new revision, or force-new-deployment (else the service already runs it). */
  readonly deploy: boolean;
  readonly application: string;
  readonly deploymentGroup: string;
  readonly deploymentConfig: string | undefined;
  readonly description: string | undefined;
  readonly follow: boolean;
  /** Stop and roll back through CodeDeploy when the deadline passes (rollback-on-failure). */
  readonly stopOnDeadline: boolean;
}

/** CreateDeployment's description is at most 512 characters (the anchor truncates to fit). */
export const MAX_DEPLOYMENT_DESCRIPTION = 512;

export function planBlueGreen(
  inputs: Pick<Inputs, 'cluster' | 'codeDeploy' | 'wait' | 'rollbackOnFailure' | 'forceNewDeployment'>,
  service: string,
  registered: boolean,
): BlueGreenPlan {
  const given = inputs.codeDeploy;
  return {
    deploy: registered || inputs.forceNewDeployment,
    application: given.application ?? `AppECS-${inputs.cluster}-${service}`,
    deploymentGroup: given.deploymentGroup ?? `DgpECS-${inputs.cluster}-${service}`,
    deploymentConfig: given.deploymentConfig,
    description: given.description?.slice(0, MAX_DEPLOYMENT_DESCRIPTION),
    follow: inputs.wait,
    stopOnDeadline: inputs.rollbackOnFailure,
  };
}

/** What GetDeployment says of a CodeDeploy deployment (DeploymentInfo in the API model). */
export interface CodeDeployFacts {
  readonly status: string | undefined;
  readonly rollbackDeploymentId: string | undefined;
  readonly error: string | undefined;
}

export type BlueGreenPhase =
  | { readonly phase: 'in-progress' }
  | { readonly phase: 'succeeded' }
  /** Ended without success; CodeDeploy rolls it back with `rollback` (a deployment of its own). */
  | { readonly phase: 'rolling-back'; readonly rollback: string; readonly why: string }
  /** Ended without success and without a rollback: nothing more CodeDeploy will do. */
  | { readonly phase: 'failed'; readonly why: string };

/** Created, Queued, InProgress, Baking and Ready are on the way (DeploymentStatus). */
export function blueGreenPhase(facts: CodeDeployFacts): BlueGreenPhase {
  const why = facts.error ?? `the deployment is ${facts.status ?? 'in an unknown state'}`;
  if (facts.status === 'Succeeded') return { phase: 'succeeded' };
  if (facts.status === 'Failed' || facts.status === 'Stopped') {
    return facts.rollbackDeploymentId === undefined
      ? { phase: 'failed', why }
      : { phase: 'rolling-back', rollback: facts.rollbackDeploymentId, why };
  }
  return { phase: 'in-progress' };
}
