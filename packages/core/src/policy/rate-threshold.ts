// Opens when the share of failed or slow calls in a sliding window reaches a threshold.

import type { TripReason } from '../state.js';
import type { SlidingWindow } from '../window/sliding-window.js';
import type { TripPolicy } from './trip-policy.js';

/** The `failureRateThreshold` / `slowCallRateThreshold` policy over a count or time window. */
export class RateThreshold implements TripPolicy {
  constructor(
    readonly window: SlidingWindow,
    readonly minimumCalls: number,
    /** Percent in (0, 100], or `undefined` when off. */
    readonly failureRate: number | undefined,
    /** Percent in (0, 100], or `undefined` when off. */
    readonly slowCallRate: number | undefined,
  ) {}

  record(now: number, failure: boolean, slow: boolean): TripReason | undefined {
    const window = this.window;
    window.record(now, failure, slow);
    const calls = window.calls;
    if (calls < this.minimumCalls) return undefined;
    if (this.failureRate !== undefined && window.failures * 100 >= this.failureRate * calls) {
      return 'failure-rate';
    }
    if (this.slowCallRate !== undefined && window.slowCalls * 100 >= this.slowCallRate * calls) {
      return 'slow-call-rate';
    }
    return undefined;
  }

  reset(): void {
    this.window.reset();
  }
}
