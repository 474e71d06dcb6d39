// Opens after N failures in a row; any success starts the count again.

import type { TripReason } from '../state.js';
import type { TripPolicy } from './trip-policy.js';

/** The `failureThreshold` policy. */
export class ConsecutiveFailures implements TripPolicy {
  count = 0;

  constructor(readonly threshold: number) {}

  record(_now: number, failure: boolean): TripReason | undefined {
    if (!failure) {
      this.count = 0;
      return undefined;
    }
    return ++this.count >= this.threshold ? 'failure-threshold' : undefined;
  }

  reset(): void {
    this.count = 0;
  }
}
