// Runs two policies side by side; the first that fires opens the breaker.

import type { TripReason } from '../state.js';
import type { TripPolicy } from './trip-policy.js';

/**
 * Combines two policies (`failureThreshold` and the rate thresholds): both record every call.
 * Two fields, not a list: each call site then sees one class, which V8 inlines, where a loop
 * over a list went through the iterator and a call site that saw both classes.
 */
export class AnyOf implements TripPolicy {
  constructor(
    readonly first: TripPolicy,
    readonly second: TripPolicy,
  ) {}

  record(now: number, failure: boolean, slow: boolean): TripReason | undefined {
    const fired = this.first.record(now, failure, slow);
    const alsoFired = this.second.record(now, failure, slow);
    return fired ?? alsoFired;
  }

  reset(): void {
    this.first.reset();
    this.second.reset();
  }
}
