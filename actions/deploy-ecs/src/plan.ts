import { isDeepStrictEqual } from 'node:util';
import type { Deployment, Service, ServiceVolumeConfiguration } from '@aws-sdk/client-ecs';
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
  /** With rollBackTo, when this run changes the volume configuration: the one to return to ([] for none). */
  readonly rollBackVolumes?: ServiceVolumeConfiguration[] | undefined;
}

type PlanInputs = Pick<
  Inputs,
  | 'forceNewDeployment'
  | 'desiredCount'
  | 'propagateTags'
  | 'enableEcsManagedTags'
  | 'wait'
  | 'rollbackOnFailure'
> &
  Partial<Pick<Inputs, 'serviceVolume'>>;

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
  // A volume configuration that differs from the running deployment's starts a deployment (UpdateService).
  const before = primary?.volumeConfigurations ?? [];
  const volumes = inputs.serviceVolume !== undefined && !isDeepStrictEqual([inputs.serviceVolume], before);
  const change = registered || inputs.forceNewDeployment || scale || tagging || volumes;
  const rollBackTo =
    inputs.rollbackOnFailure && (registered || volumes) && service.taskDefinition !== undefined
      ? service.taskDefinition
      : undefined;
  return {
    update: change ? startOptions(inputs) : undefined,
    follow: inputs.wait,
    // The revision deployed is new when registered, else the one the service runs already.
    recordPrevious:
      knownGood !== undefined && (registered || knownGood !== service.taskDefinition) ? knownGood : undefined,
    // Returning to the revision being deployed would change nothing, unless the volume changed.
    rollBackTo,
    ...(volumes && rollBackTo !== undefined && { rollBackVolumes: before }),
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
    ...(inputs.serviceVolume !== undefined && { volumeConfigurations: [inputs.serviceVolume] }),
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

/**
 * The task definition production traffic reaches: a CODE_DEPLOY service's PRIMARY task set (ECS
 * API reference, TaskSet: the PRIMARY set serves production traffic), else the service's own.
 */
export function servingTaskDefinition(
  service: Pick<Service, 'taskSets' | 'taskDefinition'>,
): string | undefined {
  return service.taskSets?.find((set) => set.status === 'PRIMARY')?.taskDefinition ?? service.taskDefinition;
}

/** What the ECS target of a CodeDeploy deployment says (ECSTarget in the API model). */
export interface TargetFacts {
  readonly lifecycleEvents: readonly {
    readonly name: string | undefined;
    readonly status: string | undefined;
  }[];
  readonly taskSets: readonly {
    readonly label: string | undefined;
    readonly trafficWeight: number | undefined;
  }[];
}

/**
 * Whether production traffic reached the replacement task set. CodeDeploy reroutes it only in the
 * AllowTraffic lifecycle event; the events before it (BeforeInstall … BeforeAllowTraffic) run while
 * the original task set serves all of it (CodeDeploy User Guide, AppSpec "hooks" section, "List of
 * lifecycle event hooks for an Amazon ECS deployment"). Undefined when the target was never read.
 */
export function trafficMoved(target: TargetFacts | undefined): boolean | undefined {
  if (target === undefined) return undefined;
  if (target.taskSets.some((set) => set.label === 'Green' && (set.trafficWeight ?? 0) > 0)) return true;
  const allow = target.lifecycleEvents.find((e) => e.name === 'AllowTraffic');
  if (allow === undefined) return undefined;
  return allow.status === 'InProgress' || allow.status === 'Succeeded' || allow.status === 'Failed';
}

/** What a run does once a CodeDeploy deployment ended without success. */
export type BlueGreenRecovery =
  /** CodeDeploy rolls back itself (rollbackInfo): follow that, never a second rollback. */
  | { readonly kind: 'follow-codedeploy'; readonly rollback: string }
  /** A new CodeDeploy deployment of the revision that served before this run. */
  | { readonly kind: 'redeploy'; readonly to: string }
  | { readonly kind: 'none'; readonly why: 'not-asked' | 'still-serving' | 'nothing-to-return-to' };

export function blueGreenRecovery(facts: {
  readonly phase: Exclude<BlueGreenPhase, { phase: 'in-progress' | 'succeeded' }>;
  readonly rollbackOnFailure: boolean;
  /** trafficMoved(); undefined (unknown) counts as moved: redeploying what serves is harmless. */
  readonly trafficMoved: boolean | undefined;
  /** The task definition the PRIMARY task set ran before this run. */
  readonly previous: string | undefined;
  readonly deployed: string;
}): BlueGreenRecovery {
  if (facts.phase.phase === 'rolling-back')
    return { kind: 'follow-codedeploy', rollback: facts.phase.rollback };
  if (!facts.rollbackOnFailure) return { kind: 'none', why: 'not-asked' };
  if (facts.previous === undefined || facts.previous === facts.deployed)
    return { kind: 'none', why: 'nothing-to-return-to' };
  // A deployment that failed before AllowTraffic leaves the original task set serving everything.
  if (facts.trafficMoved === false) return { kind: 'none', why: 'still-serving' };
  return { kind: 'redeploy', to: facts.previous };
}
