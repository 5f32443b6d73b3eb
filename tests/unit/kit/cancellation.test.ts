import { EventEmitter } from 'node:events';
import { Cancelled, systemClock } from '@deploy-suite/kit';
import { cancellableSleep, runSignal } from '../../../packages/kit/src/cancellation';
import { CANCEL_GRACE_MS, cancelOnSignals, type SignalSource } from '../../../packages/kit/src/run';

// GitHub cancels a step with SIGINT, then SIGTERM 7.5 s later (docs: "Canceling a workflow";
// actions/runner ProcessInvoker). This file cancels the module's one run: jest gives each test
// file its own modules, so no other file sees it.

afterEach(() => jest.useRealTimers());

test('a pause ends with Cancelled when its signal aborts', async () => {
  const controller = new AbortController();
  const pause = cancellableSleep(60_000, controller.signal);
  controller.abort(new Cancelled('SIGINT'));
  await expect(pause).rejects.toThrow('Cancelled by the runner (SIGINT)');
  await expect(cancellableSleep(1, controller.signal)).rejects.toBeInstanceOf(Cancelled);
});

test('the first signal cancels the run at once; a second, or the grace running out, leaves', async () => {
  jest.useFakeTimers();
  const source = new EventEmitter() as EventEmitter & SignalSource;
  const exits: number[] = [];
  const lines: string[] = [];
  const stop = cancelOnSignals(
    source,
    (code) => void exits.push(code),
    (line) => void lines.push(line),
  );
  const pause = systemClock.sleep(600_000);
  expect(runSignal.aborted).toBe(false);

  source.emit('SIGINT', 'SIGINT');
  expect(runSignal.aborted).toBe(true);
  await expect(pause).rejects.toThrow('Cancelled by the runner (SIGINT)');
  expect(lines).toEqual(['Received SIGINT: the run is being cancelled; no new change is started']);
  expect(exits).toEqual([]);

  jest.advanceTimersByTime(CANCEL_GRACE_MS - 1);
  expect(exits).toEqual([]);
  jest.advanceTimersByTime(1);
  expect(exits).toEqual([1]);

  source.emit('SIGTERM', 'SIGTERM');
  expect(exits).toEqual([1, 1]);
  stop();
  expect(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM')).toBe(0);
});
