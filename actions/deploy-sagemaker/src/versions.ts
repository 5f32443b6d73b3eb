import { planPrune } from '@deploy-suite/kit';
import { NAME_DIGITS, resourceNameBase } from './plan';

/**
 * keep-versions for an endpoint, decided from what SageMaker lists: which of the models and
 * endpoint configurations this action created for the endpoint go. Pure: the reads come before,
 * the deletes after (prune.ts).
 */

/** A model or endpoint configuration as ListModels / ListEndpointConfigs give it. */
export interface Listed {
  readonly name: string;
  /** CreationTime, epoch milliseconds. */
  readonly created: number;
}

/**
 * Whether a model or configuration name is one this action gave for the endpoint:
 * `<endpoint>-<digest12>-<hash8>`, exactly as resourceNames writes it. SageMaker matches names
 * without regard to case (its ARNs are lower case), so this does too. Another endpoint whose name
 * merely starts the same (`charges-eu`) never matches: its names carry one more segment.
 */
export function versionNameMatcher(endpointName: string): (name: string) => boolean {
  const base = resourceNameBase(endpointName).replace(/[^a-zA-Z0-9-]/g, '');
  const pattern = new RegExp(`^${base}-[0-9a-f]{${NAME_DIGITS.digest}}-[0-9a-f]{${NAME_DIGITS.hash}}$`, 'i');
  return (name) => pattern.test(name);
}

/** What the configurations decision needs. */
export interface ConfigPruneInput {
  /** The endpoint's own configurations (versionNameMatcher), as listed. */
  readonly configs: readonly Listed[];
  readonly keep: number;
  /**
   * Configurations that stay whatever their age: the one the endpoint serves, the one it served
   * before (the rollback target), and every one any endpoint serves or is being updated to.
   */
  readonly inUse: ReadonlySet<string>;
}

/** The configurations to delete, oldest first: beyond the newest `keep`, and in use nowhere. */
export function configsToDelete(input: ConfigPruneInput): string[] {
  return pruneListed(input.configs, input.keep, input.inUse);
}

export interface ModelPruneInput {
  /** The endpoint's own models (versionNameMatcher), as listed. */
  readonly models: readonly Listed[];
  readonly keep: number;
  /** Every model a configuration that stays references (its variants and shadow variants). */
  readonly referenced: ReadonlySet<string>;
}

/** The models to delete, oldest first: beyond the newest `keep`, and referenced by no configuration that stays. */
export function modelsToDelete(input: ModelPruneInput): string[] {
  return pruneListed(input.models, input.keep, input.referenced);
}

/** The kit's keep-versions rule over names compared without regard to case, as SageMaker compares them. */
function pruneListed(items: readonly Listed[], keep: number, protect: ReadonlySet<string>): string[] {
  const names = new Map(items.map((item) => [item.name.toLowerCase(), item.name]));
  return planPrune(
    items.map((item) => ({ label: item.name.toLowerCase(), created: item.created })),
    keep,
    new Set([...protect].map((name) => name.toLowerCase())),
  ).map((label) => names.get(label) ?? label);
}

/** The models a configuration references: its production variants and its shadow variants. */
export function modelsOfConfig(config: {
  readonly ProductionVariants?: readonly { readonly ModelName?: string | undefined }[] | undefined;
  readonly ShadowProductionVariants?: readonly { readonly ModelName?: string | undefined }[] | undefined;
}): string[] {
  return [...(config.ProductionVariants ?? []), ...(config.ShadowProductionVariants ?? [])]
    .map((variant) => variant.ModelName)
    .filter((name): name is string => name !== undefined && name !== '');
}

/** The configurations an endpoint uses: the one it serves and the one an update is moving it to. */
export function configsOfEndpoint(endpoint: {
  readonly EndpointConfigName?: string | undefined;
  readonly PendingDeploymentSummary?: { readonly EndpointConfigName?: string | undefined } | undefined;
}): string[] {
  return [endpoint.EndpointConfigName, endpoint.PendingDeploymentSummary?.EndpointConfigName].filter(
    (name): name is string => name !== undefined && name !== '',
  );
}
