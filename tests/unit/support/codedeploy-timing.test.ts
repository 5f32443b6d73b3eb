/**
 * The simulator's CodeDeploy timing rules: lifecycle events of an ECS deployment in the order of the
 * AppSpec "hooks" section for Amazon ECS, and how a failed hook, an alarm or a stop ends them.
 */
import {
  CODEDEPLOY_SCENARIOS,
  progressAt,
  scenarioForRevision,
  scheduleOf,
} from '../../support/simulator/services/codedeploy-timing';

const T0 = 1_000_000;
const s = (seconds: number) => T0 + seconds * 1000;
// healthy: hooks 5 s, Install 20 s, AllowTraffic 10 s: BeforeInstall 0-5, Install 5-25, AfterInstall
// 25-30, BeforeAllowTraffic 30-35, AllowTraffic 35-45, AfterAllowTraffic 45-50, then the wait (60 s).

test.each([
  [1, ['InProgress', 'Pending', 'Pending', 'Pending', 'Pending', 'Pending'], false, undefined],
  [26, ['Succeeded', 'Succeeded', 'InProgress', 'Pending', 'Pending', 'Pending'], false, undefined],
  [46, ['Succeeded', 'Succeeded', 'Succeeded', 'Succeeded', 'Succeeded', 'InProgress'], true, undefined],
  [60, Array(6).fill('Succeeded'), true, undefined],
  [110, Array(6).fill('Succeeded'), true, s(110)],
])('healthy at %i s', (at, statuses, shifted, succeededAt) => {
  const progress = progressAt(scheduleOf(CODEDEPLOY_SCENARIOS.healthy, T0, 60), s(at));
  expect(progress.events.map((e) => e.status)).toEqual(statuses);
  expect(progress.trafficShifted).toBe(shifted);
  expect(progress.succeededAt).toBe(succeededAt);
  expect(progress.interruption).toBeUndefined();
});

test('hook-fails: AfterAllowTraffic fails at its end, after traffic shifted; nothing succeeds later', () => {
  const schedule = scheduleOf(CODEDEPLOY_SCENARIOS['hook-fails'], T0, 60);
  expect(progressAt(schedule, s(49)).interruption).toBeUndefined();
  const later = progressAt(schedule, s(500));
  expect(later.interruption).toEqual({ kind: 'hook', at: s(50), event: 'AfterAllowTraffic' });
  expect(later.events.at(-1)).toMatchObject({ status: 'Failed', failed: true });
  expect(later.trafficShifted).toBe(true);
  expect(later.succeededAt).toBeUndefined();
});

test('alarm-rollback: the alarm 3 s after the shift cuts AfterAllowTraffic short', () => {
  const progress = progressAt(scheduleOf(CODEDEPLOY_SCENARIOS['alarm-rollback'], T0, 60), s(300));
  expect(progress.interruption).toEqual({ kind: 'alarm', at: s(48) });
  expect(progress.events.at(-1)).toMatchObject({ status: 'Failed', end: s(48) });
});

test('never-finishes: Install stays InProgress until a stop, which skips the rest', () => {
  const schedule = scheduleOf(CODEDEPLOY_SCENARIOS['never-finishes'], T0, 60);
  expect(progressAt(schedule, s(10_000)).events[1]?.status).toBe('InProgress');
  const stopped = progressAt(schedule, s(10_000), s(100));
  expect(stopped.interruption).toEqual({ kind: 'stop', at: s(100) });
  expect(stopped.events.map((e) => e.status)).toEqual([
    'Succeeded',
    'Failed',
    'Skipped',
    'Skipped',
    'Skipped',
    'Skipped',
  ]);
});

test('a stop after the deployment succeeded changes nothing', () => {
  const schedule = scheduleOf(CODEDEPLOY_SCENARIOS.healthy, T0, 0);
  expect(progressAt(schedule, s(200), s(100))).toMatchObject({ interruption: undefined, succeededAt: s(50) });
});

// BeforeAllowTraffic runs before the production listener reaches the replacement task set (AppSpec
// "hooks" section for Amazon ECS): its failure skips AllowTraffic and leaves the traffic where it was.
test('hook-fails-before-traffic: BeforeAllowTraffic fails at 35 s, AllowTraffic and AfterAllowTraffic are skipped, no traffic moved', () => {
  const later = progressAt(scheduleOf(CODEDEPLOY_SCENARIOS['hook-fails-before-traffic'], T0, 60), s(500));
  expect(later.interruption).toEqual({ kind: 'hook', at: s(35), event: 'BeforeAllowTraffic' });
  expect(later.events.map((e) => e.status)).toEqual([
    'Succeeded',
    'Succeeded',
    'Succeeded',
    'Failed',
    'Skipped',
    'Skipped',
  ]);
  expect(later.trafficShifted).toBe(false);
});

test('scenarioForRevision: a deployment back to the seeded revision plays out healthy; any other follows the chosen scenario', () => {
  const chosen = CODEDEPLOY_SCENARIOS['hook-fails'];
  expect(scenarioForRevision(chosen, 'td:1', 'td:1').outcome).toBe('succeeded');
  expect(scenarioForRevision(chosen, 'td:2', 'td:1')).toBe(chosen);
});
