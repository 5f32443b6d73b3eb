/**
 * Deliberately broken steps: which simulator scenario makes which deploy fail, so a person can
 * watch the chain stop there with the reasons and the previous release still running.
 */
import type { Scenarios } from './seeds';

export const BREAKS = {
  ecs: { step: 'deploy-ecs', scenario: 'crashloop' },
  beanstalk: { step: 'deploy-beanstalk', scenario: 'deploy-fails' },
} as const;

export type BreakPoint = keyof typeof BREAKS;

export function isBreakPoint(value: string): value is BreakPoint {
  return Object.hasOwn(BREAKS, value);
}

/** Healthy everywhere, except the one step asked to break. */
export function scenariosFor(breakAt: BreakPoint | undefined): Scenarios {
  return {
    ecs: breakAt === 'ecs' ? BREAKS.ecs.scenario : 'healthy',
    beanstalk: breakAt === 'beanstalk' ? BREAKS.beanstalk.scenario : 'healthy',
  };
}
