import {
  BEANSTALK_SCENARIOS,
  COLOUR_OF_STATUS,
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
