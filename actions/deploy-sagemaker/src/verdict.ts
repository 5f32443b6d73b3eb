import type { DescribeEndpointOutput } from '@aws-sdk/client-sagemaker';
import type { Status } from '@deploy-suite/kit';

/** A DescribeEndpoint answer, as far as the verdict reads it. */
export type EndpointView = Pick<
  DescribeEndpointOutput,
  'EndpointStatus' | 'EndpointConfigName' | 'FailureReason' | 'PendingDeploymentSummary'
>;

/**
 * Statuses SageMaker is still working through (API reference, DescribeEndpoint EndpointStatus).
 * RollingBack is one too: the outcome is a failure, but the previous fleet is not serving alone yet.
 */
const RUNNING = new Set(['Creating', 'Updating', 'SystemUpdating', 'RollingBack']);

/** Whether following can stop: the creation or update has ended, or (rollback not followed) failed. */
export function settled(endpoint: EndpointView, followRollback: boolean): boolean {
  const status = endpoint.EndpointStatus ?? '';
  if (status === 'RollingBack') return !followRollback;
  return !RUNNING.has(status);
}

export interface Verdict {
  readonly status: Extract<Status, 'succeeded' | 'failed' | 'rolled-back'>;
  readonly verdict: string;
}

/**
 * How a followed creation or update ended, from the last DescribeEndpoint answer. A failed update
 * leaves the endpoint InService on the previous configuration with FailureReason set (API
 * reference, DescribeEndpoint FailureReason); that is SageMaker's own rollback: `rolled-back`.
 */
export function verdictOf(endpoint: EndpointView, name: string, target: string, previous?: string): Verdict {
  const status = endpoint.EndpointStatus ?? 'unknown';
  const serving = endpoint.EndpointConfigName;
  const reason = endpoint.FailureReason ? `: ${endpoint.FailureReason}` : '';
  if (status === 'InService' && serving === target)
    return { status: 'succeeded', verdict: `${name} is InService on ${target}` };
  if (status === 'InService' && previous !== undefined && serving === previous)
    return {
      status: 'rolled-back',
      verdict: `the update of ${name} to ${target} failed${reason}; ${previous} serves again`,
    };
  if (status === 'RollingBack')
    return {
      status: 'failed',
      verdict: `the update of ${name} to ${target} failed${reason}; SageMaker is rolling back to ${previous ?? 'the previous configuration'} (not followed: rollback-on-failure is false)`,
    };
  if (status === 'Failed') return { status: 'failed', verdict: `${name} is Failed${reason}` };
  return {
    status: 'failed',
    verdict: `${name} ended ${status} on ${serving ?? 'no configuration'}${reason}`,
  };
}

/** One line of progress: the status, and each pending variant's stage (Creating, Baking, …). */
export function progressLine(endpoint: EndpointView): string {
  const variants = (endpoint.PendingDeploymentSummary?.ProductionVariants ?? []).map((variant) => {
    const stages = (variant.VariantStatus ?? [])
      .map((stage) => `${stage.Status ?? '?'}${stage.StatusMessage ? ` (${stage.StatusMessage})` : ''}`)
      .join(', ');
    return `${variant.VariantName ?? '?'} ${stages || 'pending'}`;
  });
  const pending = endpoint.PendingDeploymentSummary?.EndpointConfigName;
  return [
    endpoint.EndpointStatus ?? 'unknown',
    ...(pending ? [`→ ${pending}`] : []),
    ...(variants.length > 0 ? [`[${variants.join('; ')}]`] : []),
  ].join(' ');
}
