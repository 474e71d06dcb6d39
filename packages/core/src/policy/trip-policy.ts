// The interface between the state machine and what decides to open it.

import type { TripReason } from '../state.js';

/** Decides, call by call, whether a closed breaker should open. */
export interface TripPolicy {
  /** Records one call outcome at `now`; returns why the breaker should open, or `undefined`. */
  record(now: number, failure: boolean, slow: boolean): TripReason | undefined;
  /** Forgets everything (on every transition to closed). */
  reset(): void;
}
