// The interface both sliding windows implement: O(1) recording with running totals.

/** Running totals of the calls a window currently holds. */
export interface WindowTotals {
  readonly calls: number;
  readonly failures: number;
  readonly slowCalls: number;
}

/** A sliding window of call outcomes. */
export interface SlidingWindow extends WindowTotals {
  /** Adds one call outcome at time `now` and drops what slid out. */
  record(now: number, failure: boolean, slow: boolean): void;
  /** Drops what slid out by `now` without recording (before reading the totals). */
  advance(now: number): void;
  /** Empties the window. */
  reset(): void;
}
