// Test helpers for the RedisStore suites: simulated replicas, each on its own connection (generic helpers: @breakwater/test-support).

import { BreakerRegistry, CircuitBreaker, type BreakerOptions } from '@breakwater/core';
import {
  connect,
  recordingLogger,
  redisUrl,
  waitFor,
  type RecordingLogger,
} from '@breakwater/test-support';
import type { Redis } from 'ioredis';
import { onTestFinished } from 'vitest';
import { RedisStore } from './redis-store.js';
import type { RedisStoreOptions } from './options.js';

/** One simulated replica: its own connection, store, registry and breaker. */
export interface Replica {
  readonly client: Redis;
  readonly store: RedisStore;
  readonly breaker: CircuitBreaker;
  readonly logger: RecordingLogger;
  close(): Promise<void>;
}

/** Starts a replica with breaker `name` (failureThreshold 1 unless told otherwise). */
export function replica(
  prefix: string,
  name: string,
  breakerOptions: BreakerOptions = {},
  storeOptions: Partial<RedisStoreOptions> = {},
  url: string = redisUrl,
): Replica {
  const client = connect(url);
  const logger = recordingLogger();
  const store = new RedisStore({ client, prefix, logger, stateTtl: 5000, ...storeOptions });
  const breaker = new CircuitBreaker({
    name,
    failureThreshold: 1,
    openDuration: 30_000,
    registry: new BreakerRegistry(),
    store,
    ...breakerOptions,
  });
  return {
    client,
    store,
    breaker,
    logger,
    async close() {
      breaker.close();
      await store.close();
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** A {@link replica} closed automatically when the running test ends. */
export function startReplica(...args: Parameters<typeof replica>): Replica {
  const r = replica(...args);
  onTestFinished(() => r.close());
  return r;
}

/** Waits until the replica's store is connected and has resynchronised once. */
export function ready(r: Replica, ms = 2000): Promise<void> {
  return waitFor(() => r.store.connected && r.store.stats.resyncs > 0, ms, 'the store to be ready');
}

/** Wall-clock time at which the breaker admits a probe, or undefined when not open. */
export function reopenAt(breaker: CircuitBreaker): number | undefined {
  return breaker.state === 'open' ? Date.now() + breaker.retryAfterMs : undefined;
}
