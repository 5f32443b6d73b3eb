import {
  BEANSTALK_SCENARIOS,
  COLOUR_OF_STATUS,
  instanceIds,
  statusOf,
  updateEvents,
} from '../../support/simulator/services/elastic-beanstalk-lifecycle';

// InstanceHealthSummary (API reference) and "Health colors and statuses" (developer guide).
test.each([
  ['Ok', 'Green'],
  ['Info', 'Green'],
  ['Warning', 'Yellow'],
  ['Degraded', 'Red'],
  ['Severe', 'Red'],
  ['NoData', 'Grey'],
  ['Unknown', 'Grey'],
  ['Pending', 'Grey'],
  ['Suspended', 'Grey'],
])('health status %s is %s', (status, colour) => {
  expect(COLOUR_OF_STATUS[status as keyof typeof COLOUR_OF_STATUS]).toBe(colour);
});

test('every status the API model lists (EnvironmentHealthStatus) has a colour', () => {
  expect(Object.keys(COLOUR_OF_STATUS).sort()).toEqual(
    ['NoData', 'Unknown', 'Pending', 'Ok', 'Info', 'Warning', 'Degraded', 'Severe', 'Suspended'].sort(),
  );
});

test.each([
  ['Green', false, 'Ok'],
  ['Yellow', false, 'Warning'],
  ['Red', false, 'Severe'],
  ['Red', true, 'Degraded'],
  ['Grey', false, 'Unknown'],
] as const)('a settled %s (recovering: %p) shows %s', (colour, recovering, status) => {
  expect(statusOf(colour, recovering)).toBe(status);
  expect(COLOUR_OF_STATUS[statusOf(colour, recovering)]).toBe(colour);
});

test('recovers: Degraded at Ready, back to Ok recoverSeconds later', () => {
  const scenario = BEANSTALK_SCENARIOS.recovers;
  const health = updateEvents(scenario, 'v1').filter((e) => e.message.startsWith('Environment health'));
  expect(health).toEqual([
    {
      atSeconds: 90,
      severity: 'WARN',
      message: `Environment health has transitioned from Pending to Degraded. ${scenario.causes[0]}`,
    },
    { atSeconds: 130, severity: 'INFO', message: 'Environment health has transitioned from Degraded to Ok.' },
  ]);
});

test('immutable-fails: ERROR events, then the temporary instances are terminated', () => {
  const events = updateEvents(BEANSTALK_SCENARIOS['immutable-fails'], 'v1');
  expect(events.filter((e) => e.severity === 'ERROR').length).toBeGreaterThan(0);
  expect(events.at(-1)?.message).toMatch(/the environment keeps its previous version/);
});

// The event plan of one update per scenario (the simulator README's scenario table): how many
// events, how many ERRORs (two per instance, then the command and the deployment), and the last.
test.each([
  ['healthy', 6, 0, 90, 'Environment update completed successfully.'],
  ['slow', 43, 0, 720, 'Environment update completed successfully.'],
  ['deploy-fails', 16, 14, 60, 'Failed to deploy application.'],
  ['degrades', 7, 0, 90, /^Environment health has transitioned from Pending to Severe\. 100\.0 %/],
  ['recovers', 8, 0, 130, 'Environment health has transitioned from Degraded to Ok.'],
  ['immutable-fails', 9, 6, 60, /keeps its previous version\.$/],
  ['yellow', 7, 0, 90, /^Environment health has transitioned from Pending to Warning\./],
  ['busy', 6, 0, 90, 'Environment update completed successfully.'],
  [
    'never-ready',
    121,
    0,
    14_280,
    'Waiting for instance i-0aaaaaaaaaaaaaaa1 to pass health checks (check 119).',
  ],
  ['throttled', 6, 0, 90, 'Environment update completed successfully.'],
] as const)(
  '%s plans %d events, %d ERROR, the last at %d s: %s',
  (name, count, errors, lastAt, lastMessage) => {
    const events = updateEvents(BEANSTALK_SCENARIOS[name], 'v7');
    expect(events).toHaveLength(count);
    expect(events.filter((e) => e.severity === 'ERROR')).toHaveLength(errors);
    const last = events.reduce((latest, e) => (e.atSeconds >= latest.atSeconds ? e : latest));
    expect(last.atSeconds).toBe(lastAt);
    expect(last.message).toMatch(lastMessage);
    expect(events.slice(0, 2).map((e) => e.message)).toEqual([
      'Environment update is starting.',
      'Deploying new version v7 to instance(s).',
    ]);
    expect(events.every((e) => e.atSeconds >= 0)).toBe(true);
  },
);

test('slow: a progress event every 20 s, round the instances, ending 5 s or more before Ready', () => {
  const progress = updateEvents(BEANSTALK_SCENARIOS.slow, 'v1').filter((e) => /step \d+/.test(e.message));
  expect(progress.map((e) => e.atSeconds)).toEqual(Array.from({ length: 35 }, (_, i) => 20 * (i + 1)));
  expect(progress[4]?.message).toBe(`Deployment in progress on instance ${instanceIds(4)[0]} (step 5).`);
});
