// shareCounts: each replica adds its new calls to per-breaker count buckets in Redis and opens when the fleet's rates trip.

import type { CircuitBreaker } from '@breakwater/core';
import { bucketKeys, fleetShouldOpen, horizonOf } from './fleet-counts.js';
import type { RedisArg } from './redis-client.js';
import { ADD_COUNTS } from './scripts.js';
import type { CallTotals, Entry, StoreContext } from './store-entry.js';

/** Breakers per shared-count script call on a single instance (on a cluster: one, each in its slot). */
const COUNT_BATCH = 100;

/** One shared-count script call: the breakers (with the totals sent before), their keys and arguments. */
interface CountBatch {
  readonly items: { entry: Entry; totals: CallTotals }[];
  readonly keys: string[];
  readonly args: RedisArg[];
}

/** The breaker's lifetime totals, as shared counting adds them. */
function totalsOf(breaker: CircuitBreaker): CallTotals {
  const t = breaker.snapshot().totals;
  return {
    calls: t.success + t.failure + t.timeout,
    failures: t.failure + t.timeout,
    slow: t.slow,
  };
}

/** The shared counting of one store; `trip` opens a breaker the fleet's rates tripped. */
export class SharedCounts {
  private syncing = false;

  constructor(
    private readonly store: StoreContext,
    private readonly trip: (entry: Entry) => void,
  ) {}

  /** Starts counting from now (at attach and whenever the fleet closes). */
  restart(entry: Entry): void {
    if (this.store.config.shareCounts) entry.sent = totalsOf(entry.breaker);
  }

  /**
   * Adds the new counts of every breaker with traffic since the last synchronisation to the fleet's
   * buckets and opens those whose fleet rates trip. A breaker without new calls is skipped: the
   * replicas that add calls judge the fleet's rates. Batches of {@link COUNT_BATCH} breakers per
   * script call on a single instance, one breaker (one slot) per call on a cluster; all in flight
   * together.
   */
  async sync(entries: Iterable<Entry>): Promise<void> {
    const { client, closed, healthy, layout } = this.store;
    if (closed || this.syncing || !healthy || client.status !== 'ready') return;
    this.syncing = true;
    try {
      const now = Date.now();
      const size = layout.cluster ? 1 : COUNT_BATCH;
      const sends: Promise<void>[] = [];
      let batch: CountBatch = { items: [], keys: [], args: [] };
      for (const entry of entries) {
        const breaker = entry.breaker;
        const config = breaker.config;
        if (config.failureRateThreshold === undefined && config.slowCallRateThreshold === undefined)
          continue;
        const totals = totalsOf(breaker);
        const sent = entry.sent;
        entry.sent = totals;
        if (breaker.state !== 'closed' || sent === undefined || totals.calls === sent.calls)
          continue;
        const horizon = horizonOf(config, this.store.config.countsHorizon);
        const buckets = bucketKeys(layout.counts(breaker.name), horizon, now, entry.countsSince);
        batch.keys.push(...buckets.keys);
        batch.args.push(
          buckets.keys.length,
          buckets.readCurrent ? '1' : '0',
          totals.calls - sent.calls,
          totals.failures - sent.failures,
          totals.slow - sent.slow,
          buckets.ttl,
        );
        batch.items.push({ entry, totals: sent });
        if (batch.items.length === size) {
          sends.push(this.send(batch));
          batch = { items: [], keys: [], args: [] };
        }
      }
      if (batch.items.length > 0) sends.push(this.send(batch));
      const failures = (await Promise.allSettled(sends)).filter((r) => r.status === 'rejected');
      if (failures.length > 0) this.store.fail((failures[0] as PromiseRejectedResult).reason);
    } finally {
      this.syncing = false;
    }
  }

  private async send({ items, keys, args }: CountBatch): Promise<void> {
    let reply: unknown;
    try {
      reply = await ADD_COUNTS.run(
        this.store.client,
        keys,
        [items.length, ...args],
        this.store.config.commandTimeout,
      );
    } catch (error) {
      // Not added: count them again next time.
      for (const { entry, totals } of items) entry.sent = totals;
      throw error;
    }
    if (!Array.isArray(reply)) return;
    items.forEach(({ entry }, i) => {
      const counts = {
        calls: Number(reply[i * 3]),
        failures: Number(reply[i * 3 + 1]),
        slowCalls: Number(reply[i * 3 + 2]),
      };
      const breaker = entry.breaker;
      if (breaker.state === 'closed' && fleetShouldOpen(breaker.config, counts)) this.trip(entry);
    });
  }
}
