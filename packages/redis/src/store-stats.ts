// The counters a RedisStore exposes, for metrics and health endpoints.

/** What a {@link RedisStore} has done and suffered since it was made. */
export interface RedisStoreStats {
  /** Redis commands that failed or timed out (including during an outage). */
  errors: number;
  /** Outages: periods during which Redis could not be used (each logged once). */
  outages: number;
  /** Records on the channel or in a key that could not be parsed, and were ignored. */
  malformed: number;
  /** Local transitions written to Redis and published. */
  published: number;
  /** Local transitions the fleet's record overruled (e.g. an earlier reopen time lost). */
  overruled: number;
  /** Records received on the channel. */
  received: number;
  /** Remote records that changed a local breaker. */
  applied: number;
  /** Received opens whose reopen time lay beyond the breaker's `maxOpenDuration`, and were cut to it. */
  clamped: number;
  /** Completed resynchronisations (at start and after each reconnection). */
  resyncs: number;
  /** Probe leases taken by this store (`coordinateProbes`). */
  leasesTaken: number;
  /** Probe leases another replica held when this one asked (`coordinateProbes`). */
  leasesDenied: number;
  /** Breakers this store opened because the fleet's rates crossed a threshold (`shareCounts`). */
  fleetTrips: number;
}

/** A zeroed stats object. */
export function emptyStats(): RedisStoreStats {
  return {
    errors: 0,
    outages: 0,
    malformed: 0,
    published: 0,
    overruled: 0,
    received: 0,
    applied: 0,
    clamped: 0,
    resyncs: 0,
    leasesTaken: 0,
    leasesDenied: 0,
    fleetTrips: 0,
  };
}
