// A sliding window over the last D milliseconds: fixed time buckets with running totals.

import type { SlidingWindow } from './sliding-window.js';

/** How many buckets a time window is cut into: its resolution is duration / BUCKETS. */
export const TIME_WINDOW_BUCKETS = 20;

/** Keeps the outcomes of the calls recorded during the last `duration` ms (to one bucket's width). */
export class TimeWindow implements SlidingWindow {
  private readonly width: number;
  private readonly bucketCalls = new Int32Array(TIME_WINDOW_BUCKETS);
  private readonly bucketFailures = new Int32Array(TIME_WINDOW_BUCKETS);
  private readonly bucketSlow = new Int32Array(TIME_WINDOW_BUCKETS);
  /** Index (time / width) of the newest bucket. */
  private newest = -Infinity;
  calls = 0;
  failures = 0;
  slowCalls = 0;

  constructor(readonly duration: number) {
    this.width = duration / TIME_WINDOW_BUCKETS;
  }

  record(now: number, failure: boolean, slow: boolean): void {
    this.advance(now);
    const slot = this.newest % TIME_WINDOW_BUCKETS;
    this.bucketCalls[slot]!++;
    this.calls++;
    if (failure) {
      this.bucketFailures[slot]!++;
      this.failures++;
    }
    if (slow) {
      this.bucketSlow[slot]!++;
      this.slowCalls++;
    }
  }

  advance(now: number): void {
    const index = Math.floor(now / this.width);
    if (index <= this.newest) return;
    if (index - this.newest >= TIME_WINDOW_BUCKETS) {
      this.clear();
    } else {
      for (let i = this.newest + 1; i <= index; i++) this.clearSlot(i % TIME_WINDOW_BUCKETS);
    }
    this.newest = index;
  }

  reset(): void {
    this.clear();
    this.newest = -Infinity;
  }

  private clearSlot(slot: number): void {
    this.calls -= this.bucketCalls[slot]!;
    this.failures -= this.bucketFailures[slot]!;
    this.slowCalls -= this.bucketSlow[slot]!;
    this.bucketCalls[slot] = 0;
    this.bucketFailures[slot] = 0;
    this.bucketSlow[slot] = 0;
  }

  private clear(): void {
    this.bucketCalls.fill(0);
    this.bucketFailures.fill(0);
    this.bucketSlow.fill(0);
    this.calls = 0;
    this.failures = 0;
    this.slowCalls = 0;
  }
}
