// The seam through which breaker state is shared across processes (the in-memory default shares nothing).

import type { CircuitBreaker } from './circuit-breaker.js';

/**
 * Shares breaker state. A store is told about each breaker that uses it; it may watch the breaker's
 * `onStateChange` events and call `breaker.applyRemoteState()` when another process changes state.
 */
export interface BreakerStore {
  /** A breaker starts using this store. */
  attach(breaker: CircuitBreaker): void;
  /** A breaker stops using this store (closed or evicted). */
  detach(breaker: CircuitBreaker): void;
  /**
   * Optional, for fleet-wide probe coordination: asked (synchronously) before a half-open breaker
   * admits a probe. Returns how many ms to hold the probe back (the request is rejected with that
   * retry time), or 0 to admit it.
   */
  probeHoldMs?(breaker: CircuitBreaker): number;
}

/** The default store: state lives in this process only. */
export class MemoryStore implements BreakerStore {
  attach(_breaker: CircuitBreaker): void {}
  detach(_breaker: CircuitBreaker): void {}
}
