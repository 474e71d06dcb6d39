// Unit tests for the default clock.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.js';

describe('systemClock', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads wall-clock epoch milliseconds', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('keeps the process alive during a retry wait, and cancel clears the timer', () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const clear = vi.spyOn(globalThis, 'clearTimeout');
    const handle = systemClock.setTimer(() => {}, 60_000);
    const timer = spy.mock.results[0]!.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(true);
    handle.cancel();
    expect(clear).toHaveBeenCalledWith(timer);
  });
});
