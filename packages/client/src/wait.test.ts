// Unit tests for the abortable wait.
import { describe, expect, it } from 'vitest';
import { TestClock, flush } from './test-support.js';
import { abortableWait } from './wait.js';

describe('abortableWait', () => {
  it('resolves when the clock reaches the delay, not before', async () => {
    const clock = new TestClock();
    let done = false;
    const wait = abortableWait(clock, 1000, undefined).then(() => (done = true));
    clock.advance(999);
    await flush();
    expect(done).toBe(false);
    clock.advance(1);
    await wait;
    expect(done).toBe(true);
  });

  it("rejects at once with the signal's reason on abort and cancels its timer", async () => {
    const clock = new TestClock();
    const controller = new AbortController();
    const wait = abortableWait(clock, 60_000, controller.signal);
    expect(clock.pendingTimers).toBe(1);
    const reason = new Error('user gave up');
    controller.abort(reason);
    await expect(wait).rejects.toBe(reason);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects without scheduling when the signal is already aborted', async () => {
    const clock = new TestClock();
    await expect(abortableWait(clock, 10, AbortSignal.abort('gone'))).rejects.toBe('gone');
    expect(clock.pendingTimers).toBe(0);
  });
});
