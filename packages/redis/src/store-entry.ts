// What a RedisStore keeps per attached breaker, and the context its parts share.

import type { CircuitBreaker, Disposable } from '@breakwater/core';
import type { StoreLayout } from './key-layout.js';
import type { RedisStoreConfig } from './options.js';
import type { RedisClientLike } from './redis-client.js';
import type { RedisStoreStats } from './store-stats.js';

/** A local transition waiting to be written. */
export interface Write {
  readonly state: 'open' | 'closed';
  readonly reopenAt: number;
  readonly force: boolean;
}

/** Where a breaker's probe lease stands (`coordinateProbes`). */
export type LeaseState = 'none' | 'asking' | 'held' | 'denied' | 'local';

/** Totals of a breaker's calls as shared counting adds them. */
export interface CallTotals {
  calls: number;
  failures: number;
  slow: number;
}

/** What the store keeps per attached breaker. */
export interface Entry {
  readonly breaker: CircuitBreaker;
  /** Origin tag of this breaker's writes. */
  readonly id: string;
  readonly subscription: Disposable;
  /** Highest record version applied or seen. */
  version: number;
  /** Whether the state key is being read to settle a version held from beyond the local clock. */
  rechecking: boolean;
  /** A local transition not yet written (the newest one wins). */
  pending: Write | undefined;
  writing: boolean;
  /** coordinateProbes: the open round (its reopen time, wall ms) the lease is about. */
  round: number;
  lease: LeaseState;
  leaseAskedAt: number;
  leaseUntil: number;
  leaseTimer: NodeJS.Timeout | undefined;
  /** shareCounts: wall ms of the fleet's last close (buckets before it are not read). */
  countsSince: number;
  /** shareCounts: totals already added to Redis. */
  sent: CallTotals | undefined;
}

/** A fresh entry for `breaker`. */
export function newEntry(breaker: CircuitBreaker, id: string, subscription: Disposable): Entry {
  return {
    breaker,
    id,
    subscription,
    version: 0,
    rechecking: false,
    pending: undefined,
    writing: false,
    round: 0,
    lease: 'none',
    leaseAskedAt: 0,
    leaseUntil: 0,
    leaseTimer: undefined,
    countsSince: 0,
    sent: undefined,
  };
}

/** What a store's parts (probe leases, shared counts) read of the store. */
export interface StoreContext {
  readonly config: RedisStoreConfig;
  readonly client: RedisClientLike;
  readonly layout: StoreLayout;
  readonly counters: RedisStoreStats;
  /** Whether the store was closed. */
  readonly closed: boolean;
  /** Whether Redis is usable (no outage under way). */
  readonly healthy: boolean;
  /** Counts a failed command; the first of an outage is logged and starts the retries. */
  fail(error: unknown): void;
}
