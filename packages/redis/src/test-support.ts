// Test helpers for the Redis suites: replicas on their own connections, polling, unique prefixes.

import { randomUUID } from 'node:crypto';
import {
  BreakerRegistry,
  CircuitBreaker,
  type BreakerOptions,
  type Logger,
} from '@breakwater/core';
import { Redis, type RedisOptions } from 'ioredis';
import { onTestFinished } from 'vitest';
import { RedisStore } from './redis-store.js';
import type { RedisStoreOptions } from './options.js';

/** Whether the Redis suites run (see the helper rules: `BREAKWATER_REDIS=1`). */
export const redisEnabled: boolean = process.env.BREAKWATER_REDIS === '1';

/** The Redis URL the suites use. */
export const redisUrl: string = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A prefix no other test uses. */
export function uniquePrefix(): string {
  return `bwtest:${randomUUID().slice(0, 8)}:`;
}

/** A logger that records what it was told. */
export interface RecordingLogger extends Logger {
  readonly warnings: string[];
  readonly errors: string[];
}

/** Makes a {@link RecordingLogger}. */
export function recordingLogger(): RecordingLogger {
  const warnings: string[] = [];
  const errors: string[] = [];
  return {
    warnings,
    errors,
    warn: (message) => void warnings.push(message),
    error: (message) => void errors.push(message),
  };
}

/** One simulated replica: its own connection, store, registry and breaker. */
export interface Replica {
  readonly client: Redis;
  readonly store: RedisStore;
  readonly breaker: CircuitBreaker;
  readonly logger: RecordingLogger;
  close(): Promise<void>;
}

/** Opens a connection that stays quiet about connection errors (the store reports them). */
export function connect(url: string = redisUrl, options: RedisOptions = {}): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, ...options });
  client.on('error', () => undefined);
  return client;
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

/** Polls `condition` every 5 ms until it holds; throws after `ms` (a generous bound, not a timing assert). */
/** A {@link replica} closed automatically when the running test ends. */
export function startReplica(...args: Parameters<typeof replica>): Replica {
  const r = replica(...args);
  onTestFinished(() => r.close());
  return r;
}

export async function waitFor(
  condition: () => boolean,
  ms = 2000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Waits until the replica's store is connected and has resynchronised once. */
export function ready(r: Replica, ms = 2000): Promise<void> {
  return waitFor(() => r.store.connected && r.store.stats.resyncs > 0, ms, 'the store to be ready');
}

/** Records one failure through the breaker (trips it with failureThreshold 1). */
export function fail(breaker: CircuitBreaker): void {
  const permit = breaker.tryAcquire();
  if (permit.admitted) permit.failure();
}

/** Wall-clock time at which the breaker admits a probe, or undefined when not open. */
export function reopenAt(breaker: CircuitBreaker): number | undefined {
  return breaker.state === 'open' ? Date.now() + breaker.retryAfterMs : undefined;
}
