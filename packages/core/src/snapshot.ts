// The JSON shape of a breaker's and a registry's snapshot, for health endpoints.

import type { LastTransition } from './circuit-breaker.js';
import type { BreakerMode } from './options.js';
import type { CircuitState } from './state.js';

/** One breaker, as health and readiness endpoints report it. */
export interface BreakerSnapshot {
  readonly name: string;
  readonly key: string | null;
  /** The family of a keyed breaker (`<family>:<key>`), else `null`. */
  readonly family: string | null;
  readonly state: CircuitState;
  /** `enforce`, or `shadow` (admits every call, counting what it would refuse). */
  readonly mode: BreakerMode;
  readonly generation: number;
  /** Calls admitted and not yet settled. */
  readonly inFlight: number;
  /**
   * When open: wall-clock ms (an integer) at which a probe will be admitted; else `null` (also for
   * `forced-open`, which no time ends).
   */
  readonly reopenAt: number | null;
  /**
   * Whole ms (rounded up, as `Retry-After` is) until a probe is admitted: when open, the time
   * left; when `forced-open`, the open duration as a hint (the `Retry-After` its 503s send);
   * else 0.
   */
  readonly retryAfterMs: number;
  /** The sliding window's current totals and rates (percent). */
  readonly window: {
    readonly calls: number;
    readonly failures: number;
    readonly slowCalls: number;
    readonly failureRate: number;
    readonly slowCallRate: number;
  };
  readonly halfOpen: { readonly probesInFlight: number; readonly successes: number };
  /** Lifetime counts of settled and rejected calls. */
  readonly totals: {
    readonly success: number;
    readonly failure: number;
    readonly ignored: number;
    readonly timeout: number;
    readonly rejected: number;
    /** Calls a `shadow` breaker admitted that `enforce` would have refused. */
    readonly wouldReject: number;
    readonly slow: number;
  };
  readonly lastTransition: LastTransition | null;
}

/** Every breaker of a registry. */
export interface RegistrySnapshot {
  /** Wall-clock time of the snapshot. */
  readonly at: number;
  readonly breakers: readonly BreakerSnapshot[];
}
