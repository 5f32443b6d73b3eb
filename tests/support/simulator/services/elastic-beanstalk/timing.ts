import type { ScenarioBase } from '../../scenarios';

export type Colour = 'Green' | 'Yellow' | 'Red' | 'Grey';

/**
 * How an Elastic Beanstalk environment takes a new application version. Versions the environment
 * already ran healthily (the one it was seeded with, or a later success) always deploy like
 * `healthy`: the scenario describes the new version, so a rollback to the old one recovers.
 */
export interface BeanstalkScenario extends ScenarioBase {
  /** Until the update settles (Ready); undefined: it never does, until aborted. */
  readonly deploySeconds: number | undefined;
  readonly outcome: 'success' | 'deploy-fails';
  /** Health once Ready on the new version. */
  readonly health: Colour;
  readonly causes: readonly string[];
  /** Seconds after Ready that a non-Green health lasts before it turns Green (undefined: it stays). */
  readonly recoverSeconds: number | undefined;
  /** A failed update leaves the environment on the version it ran before, healthy (immutable updates). */
  readonly failureKeepsOld: boolean;
  /** From the first look at it, the environment runs someone else's update for this long. */
  readonly busySeconds: number;
  readonly instances: number;
  /** A progress event every this many seconds while the update runs (0: none). */
  readonly progressEverySeconds: number;
  /** Every n-th describe call about the environment answers Throttling (0: never). */
  readonly throttleEvery: number;
}

const base = {
  deploySeconds: 90,
  outcome: 'success',
  health: 'Green',
  causes: [],
  recoverSeconds: undefined,
  failureKeepsOld: false,
  busySeconds: 0,
  instances: 2,
  progressEverySeconds: 0,
  throttleEvery: 0,
} as const;

/** How long before a failing update ends its instances report the failure (events, health causes). */
export const FAILURE_SHOWN_BEFORE_END_SECONDS = 4;

export const BEANSTALK_SCENARIOS = {
  healthy: { ...base, description: 'updates take 90 virtual seconds, then Ready and Green' },
  slow: {
    ...base,
    description: 'updates take 12 virtual minutes with a progress event every 20 s, then Ready and Green',
    deploySeconds: 720,
    instances: 4,
    progressEverySeconds: 20,
  },
  'deploy-fails': {
    ...base,
    description:
      'after 60 s every instance logs ERROR "Instance deployment failed…"; Ready, Red, on the new label',
    deploySeconds: 60,
    outcome: 'deploy-fails',
    health: 'Red',
    instances: 6,
    causes: ['Command failed on all instances.', 'Incorrect application version found on all instances.'],
  },
  degrades: {
    ...base,
    description: 'the update completes without errors, then Ready with health Red (Severe)',
    health: 'Red',
    causes: [
      '100.0 % of the requests are failing with HTTP 5xx.',
      'ELB health is failing for all instances.',
    ],
  },
  recovers: {
    ...base,
    description:
      'the update completes, then Ready with health Red (Degraded) for 40 s while instances warm up, then Green',
    health: 'Red',
    recoverSeconds: 40,
    causes: ['ELB health is failing or not available for all instances.'],
  },
  'immutable-fails': {
    ...base,
    description:
      'an immutable update: after 60 s the new instances fail (ERROR events), are terminated, and the environment is Ready and Green on the version it ran before',
    deploySeconds: 60,
    outcome: 'deploy-fails',
    failureKeepsOld: true,
    health: 'Red',
    instances: 2,
    causes: [],
  },
  yellow: {
    ...base,
    description: 'the update completes, then Ready with health Yellow (Warning)',
    health: 'Yellow',
    causes: ['P90 latency is 2.40 seconds, above the 1 second threshold.'],
  },
  busy: {
    ...base,
    description:
      'Updating for 5 virtual minutes from the first describe (another update), then deploys like healthy',
    busySeconds: 300,
  },
  'never-ready': {
    ...base,
    description: 'updates never finish (Updating until aborted; an abort restores the previous version)',
    deploySeconds: undefined,
    progressEverySeconds: 120,
  },
  throttled: {
    ...base,
    description:
      'deploys like healthy, but every third describe call about the environment answers Throttling',
    throttleEvery: 3,
  },
} as const satisfies Record<string, BeanstalkScenario>;

/** Seconds an abort takes before the environment is Ready on the previous version. */
export const ABORT_SECONDS = 45;
/** Seconds a new application version spends Processing. */
export const PROCESSING_SECONDS = 15;
/** How long to list the events of an update that never ends. */
const NEVER_READY_HORIZON_SECONDS = 4 * 3600;

/**
 * Enhanced health statuses and their colours, as the API reference documents them
 * (InstanceHealthSummary; "Health colors and statuses" in the developer guide).
 */
export const COLOUR_OF_STATUS = {
  Ok: 'Green',
  Info: 'Green',
  Warning: 'Yellow',
  Degraded: 'Red',
  Severe: 'Red',
  NoData: 'Grey',
  Unknown: 'Grey',
  Pending: 'Grey',
  Suspended: 'Grey',
} as const satisfies Record<string, Colour>;
export type HealthStatus = keyof typeof COLOUR_OF_STATUS;

/** The status a scenario's settled colour shows: a lasting Red is Severe, a passing one Degraded. */
export function statusOf(colour: Colour, recovering = false): HealthStatus {
  if (colour === 'Red') return recovering ? 'Degraded' : 'Severe';
  return colour === 'Green' ? 'Ok' : colour === 'Yellow' ? 'Warning' : 'Unknown';
}

export interface PlannedEvent {
  readonly atSeconds: number;
  readonly severity: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';
  readonly message: string;
}

export function instanceIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `i-0${(i + 1).toString(16).padStart(16, 'a')}`);
}

/** The events an update logs, by seconds after it started. */
export function updateEvents(scenario: BeanstalkScenario, label: string): PlannedEvent[] {
  const ids = instanceIds(scenario.instances);
  const events: PlannedEvent[] = [
    { atSeconds: 0, severity: 'INFO', message: 'Environment update is starting.' },
    { atSeconds: 2, severity: 'INFO', message: `Deploying new version ${label} to instance(s).` },
    ...progressEvents(scenario, ids),
  ];
  if (scenario.deploySeconds === undefined) return events;
  if (scenario.outcome === 'deploy-fails')
    return [...events, ...failureEvents(scenario.deploySeconds, ids, scenario.failureKeepsOld)];
  return [...events, ...successEvents(scenario, scenario.deploySeconds, ids)];
}

/** One progress event every `progressEverySeconds`, round the instances, until 5 s before the end. */
function progressEvents(scenario: BeanstalkScenario, ids: readonly string[]): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  if (scenario.progressEverySeconds <= 0) return events;
  const end = scenario.deploySeconds ?? NEVER_READY_HORIZON_SECONDS;
  for (
    let at = scenario.progressEverySeconds, n = 1;
    at < end - 5;
    at += scenario.progressEverySeconds, n++
  ) {
    const id = ids[(n - 1) % ids.length] ?? '';
    events.push({
      atSeconds: at,
      severity: 'INFO',
      message:
        scenario.deploySeconds === undefined
          ? `Waiting for instance ${id} to pass health checks (check ${n}).`
          : `Deployment in progress on instance ${id} (step ${n}).`,
    });
  }
  return events;
}

/** Every instance reports its failure, then the command and the deployment fail at `done`. */
function failureEvents(done: number, ids: readonly string[], keepsOld: boolean): PlannedEvent[] {
  const events: PlannedEvent[] = ids.flatMap((id): PlannedEvent[] => [
    {
      atSeconds: done - FAILURE_SHOWN_BEFORE_END_SECONDS,
      severity: 'ERROR',
      message: `Instance deployment failed. For details, see 'eb-engine.log'. (${id})`,
    },
    {
      atSeconds: done - 3,
      severity: 'ERROR',
      message: `[Instance: ${id}] Command failed on instance. Return code: 1.`,
    },
  ]);
  events.push({
    atSeconds: done - 1,
    severity: 'ERROR',
    message: `Unsuccessful command execution on instance id(s) '${ids.join("','")}'. Aborting the operation.`,
  });
  events.push({ atSeconds: done, severity: 'ERROR', message: 'Failed to deploy application.' });
  if (keepsOld) {
    events.push({
      atSeconds: done,
      severity: 'INFO',
      message:
        'Terminating the temporary instances of the failed immutable update; the environment keeps its previous version.',
    });
  }
  return events;
}

/** Every instance completes, the update completes at `done`, then the settled health's transitions. */
function successEvents(scenario: BeanstalkScenario, done: number, ids: readonly string[]): PlannedEvent[] {
  const events: PlannedEvent[] = ids.map((id) => ({
    atSeconds: done - 5,
    severity: 'INFO' as const,
    message: `Instance deployment completed successfully. (${id})`,
  }));
  events.push({
    atSeconds: done - 2,
    severity: 'INFO',
    message: 'New application version was deployed to running EC2 instances.',
  });
  events.push({ atSeconds: done, severity: 'INFO', message: 'Environment update completed successfully.' });
  if (scenario.health === 'Green') return events;
  const status = statusOf(scenario.health, scenario.recoverSeconds !== undefined);
  events.push({
    atSeconds: done,
    severity: 'WARN',
    message:
      `Environment health has transitioned from Pending to ${status}. ${scenario.causes[0] ?? ''}`.trim(),
  });
  if (scenario.recoverSeconds !== undefined) {
    events.push({
      atSeconds: done + scenario.recoverSeconds,
      severity: 'INFO',
      message: `Environment health has transitioned from ${status} to Ok.`,
    });
  }
  return events;
}
