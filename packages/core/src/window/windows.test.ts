// The count and time sliding windows keep exact running totals.
import { describe, expect, it } from 'vitest';
import { CountWindow } from './count-window.js';
import { TIME_WINDOW_BUCKETS, TimeWindow } from './time-window.js';

describe('CountWindow', () => {
  it('holds the last N outcomes', () => {
    const window = new CountWindow(3);
    window.record(0, true, false);
    window.record(0, true, true);
    window.record(0, false, true);
    expect([window.calls, window.failures, window.slowCalls]).toEqual([3, 2, 2]);
    window.record(0, false, false);
    expect([window.calls, window.failures, window.slowCalls]).toEqual([3, 1, 2]);
    window.record(0, false, false);
    window.record(0, false, false);
    expect([window.calls, window.failures, window.slowCalls]).toEqual([3, 0, 0]);
  });
});

describe('TimeWindow', () => {
  it('drops calls older than its duration, bucket by bucket', () => {
    const window = new TimeWindow(1000);
    const width = 1000 / TIME_WINDOW_BUCKETS;
    window.record(0, true, false);
    window.record(width, true, true);
    window.advance(999);
    expect(window.failures).toBe(2);
    window.advance(1000);
    expect([window.calls, window.failures, window.slowCalls]).toEqual([1, 1, 1]);
    window.advance(1000 + width);
    expect(window.calls).toBe(0);
  });

  it('clears everything after a long pause', () => {
    const window = new TimeWindow(1000);
    for (let i = 0; i < 50; i++) window.record(i * 10, i % 2 === 0, false);
    window.record(10_000_000, false, false);
    expect([window.calls, window.failures]).toEqual([1, 0]);
  });
});
