/**
 * The watch's pace: new events each poll, the environment read when events arrive (an update that
 * completes logs "Environment update completed successfully."; enhanced health logs each
 * transition, per "Enhanced health events" in the Elastic Beanstalk developer guide) and at least
 * every `stateEveryMs`, so the job ends within a poll of the environment settling without reading
 * it every time.
 */
import { DescribeEnvironmentsCommand, DescribeEventsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { EnvironmentWatcher } from '../../../actions/deploy-beanstalk/src/watch';
import { Timeline } from '@deploy-suite/kit';
import { eb, environment, event, harness, T0 } from './beanstalk-fixture';

const PACE = { pollMs: 2_000, stateEveryMs: 10_000, processPollMs: 5_000, eventPageSize: 100 };
/** The kit's poll varies each pause by up to 10 %. */
const POLL_WITH_JITTER_S = 2.2;

/** Updating to v1 until `readyAt` s (logged by an event `eventLag` s earlier or later), then Ready and Green. */
function updateSettlingAt(readyAt: number, eventLag = 0, logsCompletion = true) {
  const h = harness();
  h.ports.pace = PACE;
  const seconds = () => (h.clock.now() - T0.getTime()) / 1000;
  eb.on(DescribeEnvironmentsCommand).callsFake(() => ({
    Environments: [
      seconds() >= readyAt
        ? environment({ VersionLabel: 'v1' })
        : environment({ Status: 'Updating', VersionLabel: 'v1' }),
    ],
  }));
  eb.on(DescribeEventsCommand).callsFake((input: { StartTime?: Date }) => {
    const at = readyAt + eventLag;
    const since = input.StartTime?.getTime() ?? 0;
    const done = event(at, 'Environment update completed successfully.');
    const shown = logsCompletion && seconds() >= at && done.EventDate!.getTime() >= since;
    return { Events: shown ? [done] : [] };
  });
  return { h, seconds };
}

async function watch(h: ReturnType<typeof harness>) {
  const watcher = new EnvironmentWatcher(h.ports, new Timeline(h.clock));
  return watcher.watch({
    application: 'insurance',
    environment: 'prod-env',
    label: 'v1',
    since: T0,
    timeoutMs: 30 * 60_000,
    healthyStates: ['Green'],
    graceMs: 0,
  });
}

beforeEach(() => eb.reset());

test.each([
  ['the event and the status together', 0],
  ['the event a moment before the status', -3],
  ['the event a moment after the status', 1],
])('%s: ends within a poll of settling', async (_, eventLag) => {
  // Off the 10 s grid of periodic reads, so only the event can explain an early end.
  const { h, seconds } = updateSettlingAt(305, eventLag);
  const result = await watch(h);
  expect(result.verdict.kind).toBe('succeeded');
  expect(seconds()).toBeGreaterThanOrEqual(305);
  expect(seconds()).toBeLessThanOrEqual(305 + Math.max(0, eventLag) + POLL_WITH_JITTER_S);
});

test('a quiet update reads the environment every 10 s, not every poll', async () => {
  const { h } = updateSettlingAt(300);
  await watch(h);
  const reads = eb.commandCalls(DescribeEnvironmentsCommand).length;
  const polls = eb.commandCalls(DescribeEventsCommand).length;
  expect(polls).toBeGreaterThanOrEqual(150);
  expect(reads).toBeGreaterThanOrEqual(30);
  expect(reads).toBeLessThanOrEqual(40);
});

test('without an event (basic health logs no transitions) it still ends, at the next periodic read', async () => {
  const { h, seconds } = updateSettlingAt(305, 0, false);
  const result = await watch(h);
  expect(result.verdict.kind).toBe('succeeded');
  expect(seconds()).toBeLessThanOrEqual(305 + PACE.stateEveryMs / 1000 + POLL_WITH_JITTER_S);
});
