import type { ScenarioBase } from '../../scenarios';

/**
 * How an MWAA environment behaves. `outcome` follows the Environment.Status values of the MWAA API:
 * - success: UPDATING, then AVAILABLE; LastUpdate.Status SUCCESS.
 * - fail: UPDATING, then UPDATE_FAILED (the API's word for "update failed, previous state restored and
 *   usable"); LastUpdate.Status FAILED with LastUpdate.Error.
 * - fail-rollback: UPDATING, ROLLING_BACK, then AVAILABLE again; LastUpdate.Status FAILED with Error.
 *   A poller that reads only Status would call this a success; LastUpdate tells the truth.
 */
export interface MwaaScenario extends ScenarioBase {
  readonly createSeconds: number;
  readonly updateSeconds: number;
  readonly outcome: 'success' | 'fail' | 'fail-rollback';
  readonly rollbackSeconds: number;
  readonly error?: { readonly ErrorCode: string; readonly ErrorMessage: string };
}

const requirementsError = {
  ErrorCode: 'INCORRECT_CONFIGURATION',
  ErrorMessage: 'Unable to install the packages in requirements.txt: a requirement could not be resolved.',
};

export const MWAA_SCENARIOS = {
  healthy: {
    description: 'updates take 60 virtual seconds and succeed',
    createSeconds: 30,
    updateSeconds: 60,
    outcome: 'success',
    rollbackSeconds: 0,
  },
  slow: {
    description: 'updates take 25 virtual minutes and succeed',
    createSeconds: 30,
    updateSeconds: 1500,
    outcome: 'success',
    rollbackSeconds: 0,
  },
  'update-fails': {
    description: 'updates run 90 virtual seconds, then Status UPDATE_FAILED with LastUpdate FAILED',
    createSeconds: 30,
    updateSeconds: 90,
    outcome: 'fail',
    rollbackSeconds: 0,
    error: requirementsError,
  },
  'update-fails-rollback': {
    description: 'updates run 90 s, roll back for 60 s, then Status AVAILABLE with LastUpdate FAILED',
    createSeconds: 30,
    updateSeconds: 90,
    outcome: 'fail-rollback',
    rollbackSeconds: 60,
    error: requirementsError,
  },
} as const satisfies Record<string, MwaaScenario>;

export type UpdateStatus = 'PENDING' | 'SUCCESS' | 'FAILED';
export type EnvironmentStatus = 'CREATING' | 'AVAILABLE' | 'UPDATING' | 'ROLLING_BACK' | 'UPDATE_FAILED';

export interface UpdatePhase {
  readonly status: EnvironmentStatus;
  readonly updateStatus: UpdateStatus;
  /** The update has reached its final state. */
  readonly settled: boolean;
  /** The requested configuration is in effect (false once a failed update has restored the previous one). */
  readonly applied: boolean;
}

/** Where an update that started `elapsedSeconds` ago (virtual) stands under a scenario. */
export function updatePhase(scenario: MwaaScenario, elapsedSeconds: number): UpdatePhase {
  if (elapsedSeconds < scenario.updateSeconds) {
    return { status: 'UPDATING', updateStatus: 'PENDING', settled: false, applied: true };
  }
  switch (scenario.outcome) {
    case 'success':
      return { status: 'AVAILABLE', updateStatus: 'SUCCESS', settled: true, applied: true };
    case 'fail':
      return { status: 'UPDATE_FAILED', updateStatus: 'FAILED', settled: true, applied: false };
    case 'fail-rollback':
      return elapsedSeconds < scenario.updateSeconds + scenario.rollbackSeconds
        ? { status: 'ROLLING_BACK', updateStatus: 'PENDING', settled: false, applied: false }
        : { status: 'AVAILABLE', updateStatus: 'FAILED', settled: true, applied: false };
  }
}
