// What every framework version of the demo API is started with.

import type { BreakerRegistry, BreakerStore } from '@breakwater/core';

/** Settings shared by the Express, Koa and Fastify versions of the API. */
export interface ApiConfig {
  /** Base URL of the profile service. */
  readonly upstream: string;
  /** How long the API waits for the profile service, in ms. */
  readonly upstreamTimeout: number;
  /** The breaker's open duration, in ms. */
  readonly openDuration: number;
  /** Where the breaker lives (each replica has its own). */
  readonly registry: BreakerRegistry;
  /** The shared store, in the Redis variant. */
  readonly store?: BreakerStore;
}

/** A running API server. */
export interface RunningApi {
  readonly url: string;
  close(): Promise<void>;
}

/** The breaker options the demo uses, whatever the framework. */
export function breakerOptions(config: ApiConfig) {
  return {
    name: 'profiles',
    // Watched in shadow mode through the healthy phase, then switched to enforce.
    mode: 'shadow' as const,
    failureThreshold: 3,
    openDuration: config.openDuration,
    maxOpenDuration: config.openDuration * 4,
    cache: { maxStale: 60_000 },
    registry: config.registry,
    ...(config.store ? { store: config.store } : {}),
  };
}
