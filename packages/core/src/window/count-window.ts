// A sliding window over the last N calls: a ring buffer of outcome bits with running totals.

import type { SlidingWindow } from './sliding-window.js';

const FAILURE = 1;
const SLOW = 2;

/** Keeps the outcomes of the last `size` calls. */
export class CountWindow implements SlidingWindow {
  private readonly ring: Uint8Array;
  private head = 0;
  calls = 0;
  failures = 0;
  slowCalls = 0;

  constructor(readonly size: number) {
    this.ring = new Uint8Array(size);
  }

  record(_now: number, failure: boolean, slow: boolean): void {
    const flags = (failure ? FAILURE : 0) | (slow ? SLOW : 0);
    if (this.calls === this.size) {
      const old = this.ring[this.head]!;
      this.failures -= old & FAILURE;
      this.slowCalls -= (old & SLOW) >> 1;
    } else {
      this.calls++;
    }
    this.ring[this.head] = flags;
    this.failures += flags & FAILURE;
    this.slowCalls += (flags & SLOW) >> 1;
    this.head = this.head + 1 === this.size ? 0 : this.head + 1;
  }

  advance(_now: number): void {}

  reset(): void {
    this.head = 0;
    this.calls = 0;
    this.failures = 0;
    this.slowCalls = 0;
  }
}
