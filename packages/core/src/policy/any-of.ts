// Runs several policies side by side; the first that fires opens the breaker.

import type { TripReason } from '../state.js';
import type { TripPolicy } from './trip-policy.js';

/** Combines policies: every one records every call. */
export class AnyOf implements TripPolicy {
  constructor(readonly policies: readonly TripPolicy[]) {}

  record(now: number, failure: boolean, slow: boolean): TripReason | undefined {
    let reason: TripReason | undefined;
    for (const policy of this.policies) {
      const fired = policy.record(now, failure, slow);
      if (reason === undefined) reason = fired;
    }
    return reason;
  }

  reset(): void {
    for (const policy of this.policies) policy.reset();
  }
}
