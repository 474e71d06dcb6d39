// RedisStore: shares breaker state across replicas through a Redis key per breaker plus pub/sub.

import { randomUUID } from 'node:crypto';
import { warnOnce } from '@breakwater/core/adapter';
import type { BreakerStore, CircuitBreaker, Disposable, StateChangeEvent } from '@breakwater/core';
import { bucketKeys, fleetShouldOpen, horizonOf } from './fleet-counts.js';
import { withTimeout } from './lua-script.js';
import {
  parseRedisStoreOptions,
  type RedisStoreConfig,
  type RedisStoreOptions,
} from './options.js';
import { parseRecord, type StateRecord } from './record.js';
import type { RedisArg, RedisClientLike, RedisSubscriberLike } from './redis-client.js';
import { ADD_COUNTS, SET_STATE, TAKE_LEASE } from './scripts.js';
import { emptyStats, type RedisStoreStats } from './store-stats.js';

/** A local transition waiting to be written. */
interface Write {
  readonly state: 'open' | 'closed';
  readonly reopenAt: number;
  readonly force: boolean;
}

type LeaseState = 'none' | 'asking' | 'held' | 'denied' | 'local';

/** What the store keeps per attached breaker. */
interface Entry {
  readonly breaker: CircuitBreaker;
  /** Origin tag of this breaker's writes. */
  readonly id: string;
  readonly subscription: Disposable;
  /** Highest record version applied or seen. */
  version: number;
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
  sent: { calls: number; failures: number; slow: number } | undefined;
}

/** Breakers per shared-count script call. */
const COUNT_BATCH = 100;

/** How far ahead of the local clock a record's version (Redis server time) may be: clock skew, at most a day. */
const FUTURE_LIMIT_MS = 86_400_000;
/** The longest duration any breaker option accepts (ms): no real reopen time is further away. */
const MAX_DURATION_MS = 2_147_483_647;

/**
 * A breaker store that shares state across replicas through Redis. When a breaker opens or closes
 * on one replica, every replica with a breaker of the same name follows, with the same reopen time
 * (pub/sub, plus a key with a TTL for replicas that start or reconnect later). Concurrent trips
 * resolve to the latest reopen time. Requests never wait on Redis; when Redis is unreachable,
 * breakers run on local state and the store catches up when it returns.
 *
 * @example
 * const store = new RedisStore({ client: new Redis(process.env.REDIS_URL) });
 * app.use(circuitBreaker({ name: 'profiles', store }));
 * // on shutdown
 * await store.close();
 */
export class RedisStore implements BreakerStore {
  /** The parsed options. */
  readonly config: RedisStoreConfig;
  /** This store's random identity (the origin of its records). */
  readonly id: string;
  /** The channel records are published on. */
  readonly channel: string;
  private readonly client: RedisClientLike;
  private readonly subscriber: RedisSubscriberLike;
  private readonly entries = new Map<CircuitBreaker, Entry>();
  private readonly byName = new Map<string, Entry[]>();
  private readonly counters: RedisStoreStats = emptyStats();
  private healthy = true;
  private closed = false;
  private nextEntry = 0;
  private flushHandle: NodeJS.Immediate | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private syncTimer: NodeJS.Timeout | undefined;
  private resyncing = false;
  private resyncAgain = false;
  private syncing = false;
  private readonly onMessage = (channel: unknown, message: unknown): void =>
    this.receive(channel, message);
  private readonly onReady = (): void => this.subscribeAndResync();
  private readonly onClientReady = (): void => void this.resync();
  private readonly onLost = (): void => this.fail(new Error('connection closed'));
  private readonly onSubscriberError = (error: unknown): void => this.fail(error);

  constructor(options: RedisStoreOptions) {
    this.config = parseRedisStoreOptions(options);
    this.client = this.config.client;
    this.id = randomUUID().slice(0, 13);
    this.channel = `${this.config.prefix}state`;
    this.subscriber = this.client.duplicate();
    this.subscriber.on('message', this.onMessage);
    this.subscriber.on('ready', this.onReady);
    this.subscriber.on('error', this.onSubscriberError);
    this.subscriber.on('close', this.onLost);
    this.client.on('ready', this.onClientReady);
    this.client.on('close', this.onLost);
    this.subscribeAndResync();
    if (this.config.shareCounts) {
      this.syncTimer = setInterval(() => void this.syncCounts(), this.config.syncInterval);
      this.syncTimer.unref();
    }
  }

  /** A copy of the store's counters. */
  get stats(): RedisStoreStats {
    return { ...this.counters };
  }

  /** Whether Redis is currently usable (false during an outage, until the store has resynced). */
  get connected(): boolean {
    return this.healthy && this.client.status === 'ready' && this.subscriber.status === 'ready';
  }

  /** The Redis key holding the shared state of breaker `name`. */
  stateKey(name: string): string {
    return `${this.config.prefix}state:${name}`;
  }

  /** Called by the breaker's constructor (the BreakerStore contract). */
  attach(breaker: CircuitBreaker): void {
    if (this.closed || this.entries.has(breaker)) return;
    const entry: Entry = {
      breaker,
      id: `${this.id}/${++this.nextEntry}`,
      subscription: breaker.onStateChange((event) => this.onLocalChange(entry, event)),
      version: 0,
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
    this.entries.set(breaker, entry);
    this.restartCounts(entry);
    const named = this.byName.get(breaker.name);
    if (named === undefined) this.byName.set(breaker.name, [entry]);
    else named.push(entry);
    if (this.connected) void this.read([breaker.name]).catch((error) => this.fail(error));
  }

  /** Called by `breaker.close()` (the BreakerStore contract). */
  detach(breaker: CircuitBreaker): void {
    const entry = this.entries.get(breaker);
    if (entry === undefined) return;
    this.entries.delete(breaker);
    entry.subscription.dispose();
    clearTimeout(entry.leaseTimer);
    const named = this.byName.get(breaker.name)?.filter((e) => e !== entry) ?? [];
    if (named.length === 0) this.byName.delete(breaker.name);
    else this.byName.set(breaker.name, named);
  }

  /**
   * Asked by a half-open breaker before it admits a probe (`coordinateProbes`): 0 to
   * admit, else ms to hold it. Never waits: the lease is taken in the background.
   */
  probeHoldMs(breaker: CircuitBreaker): number {
    if (!this.config.coordinateProbes || !this.healthy) return 0;
    const entry = this.entries.get(breaker);
    if (entry === undefined) return 0;
    const now = Date.now();
    if (entry.lease === 'local') return 0;
    if (entry.lease === 'held') {
      if (now < entry.leaseUntil) return 0;
      entry.lease = 'none';
    }
    if (entry.lease === 'denied') {
      if (now < entry.leaseUntil) return Math.min(1000, Math.max(1, entry.leaseUntil - now));
      entry.lease = 'none';
    }
    if (entry.lease === 'none') this.askLease(entry);
    const waited = now - entry.leaseAskedAt;
    if (waited >= this.config.probeLeaseTimeout) return 0; // no answer in time: decide locally
    return Math.max(1, this.config.probeLeaseTimeout - waited);
  }

  /**
   * Releases everything the store made: the subscriber connection, timers and breaker listeners.
   * The user's client is left open. Breakers keep working on local state.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const entry of this.entries.values()) {
      entry.subscription.dispose();
      clearTimeout(entry.leaseTimer);
    }
    this.entries.clear();
    this.byName.clear();
    if (this.flushHandle !== undefined) clearImmediate(this.flushHandle);
    clearTimeout(this.retryTimer);
    clearInterval(this.syncTimer);
    this.client.off('ready', this.onClientReady);
    this.client.off('close', this.onLost);
    const subscriber = this.subscriber;
    if (subscriber.status === 'ready') {
      await withTimeout(subscriber.quit(), this.config.commandTimeout).catch(() => undefined);
    }
    subscriber.disconnect();
    subscriber.on('error', () => undefined);
  }

  // --- local transitions → Redis ---

  private onLocalChange(entry: Entry, event: StateChangeEvent): void {
    if (event.reason === 'remote') return;
    if (event.to === 'open') {
      const reopenAt = event.reopenAt ?? Date.now() + entry.breaker.retryAfterMs;
      entry.pending = { state: 'open', reopenAt, force: false };
      this.roundStarted(entry, reopenAt);
    } else if (event.to === 'closed') {
      entry.pending = { state: 'closed', reopenAt: 0, force: event.reason === 'reset' };
      this.roundEnded(entry);
      this.restartCounts(entry);
    } else {
      return;
    }
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushHandle !== undefined || this.closed) return;
    this.flushHandle = setImmediate(() => {
      this.flushHandle = undefined;
      this.flush();
    });
    this.flushHandle.unref();
  }

  private flush(): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const entry of this.entries.values()) {
      if (entry.pending !== undefined && !entry.writing) writes.push(this.write(entry));
    }
    return Promise.all(writes).then(() => undefined);
  }

  private async write(entry: Entry): Promise<void> {
    const write = entry.pending;
    if (write === undefined || this.client.status !== 'ready' || this.closed) return;
    entry.pending = undefined;
    entry.writing = true;
    const name = entry.breaker.name;
    let reply: unknown;
    try {
      reply = await SET_STATE.run(
        this.client,
        [this.stateKey(name)],
        [
          this.channel,
          name,
          write.state,
          Math.round(write.reopenAt),
          entry.id,
          this.config.stateTtl,
          write.force ? '1' : '0',
          Date.now(),
        ],
        this.config.commandTimeout,
      );
    } catch (error) {
      entry.pending ??= write;
      entry.writing = false;
      this.fail(error);
      return;
    }
    entry.writing = false;
    if (!Array.isArray(reply)) return;
    if (reply[0] === 1) this.counters.published++;
    else if (reply[1]) this.counters.overruled++;
    const record = parseRecord(reply[1]);
    if (record !== undefined && record.n === name) this.applyToAll(record);
    if (entry.pending !== undefined) this.scheduleFlush();
  }

  // --- Redis → local breakers ---

  private receive(channel: unknown, message: unknown): void {
    if (channel !== this.channel || this.closed) return;
    this.counters.received++;
    const record = parseRecord(message);
    if (record === undefined) {
      this.malformed('a message on the channel');
      return;
    }
    this.applyToAll(record);
  }

  private malformed(where: string): void {
    this.counters.malformed++;
    warnOnce(
      this.config.logger,
      'BREAKWATER_REDIS_MALFORMED',
      `RedisStore ignored ${where} that is not a Breakwater state record (prefix "${this.config.prefix}"); ` +
        'is another program writing there?',
    );
  }

  private applyToAll(record: StateRecord): void {
    const named = this.byName.get(record.n);
    if (named === undefined) return;
    for (const entry of named) this.apply(entry, record);
  }

  /** Follows a fleet record: the latest reopen time wins; a pending local write decides for itself. */
  private apply(entry: Entry, record: StateRecord): void {
    if (record.v <= entry.version) return;
    const now = Date.now();
    // no Breakwater writer stamps a version a day ahead (heeding one would deafen this breaker), nor
    // a reopen time beyond the longest open duration the options allow (it would wedge it open)
    if (record.v > now + FUTURE_LIMIT_MS || record.r > now + MAX_DURATION_MS + FUTURE_LIMIT_MS) {
      this.malformed('a state record from the far future');
      return;
    }
    if (record.s === 'closed' && (entry.pending !== undefined || entry.writing)) return;
    entry.version = record.v;
    const breaker = entry.breaker;
    const state = breaker.state;
    if (record.s === 'open') {
      if (state === 'forced-open' || state === 'disabled') return;
      if (state === 'open' && now + breaker.retryAfterMs >= record.r - 2) return;
      if (state === 'half-open' && record.r <= now) return; // the same round, already elapsed
      if (breaker.applyRemoteState({ state: 'open', retryAfterMs: Math.max(0, record.r - now) })) {
        this.counters.applied++;
      }
      this.roundStarted(entry, record.r);
      return;
    }
    entry.countsSince = record.v;
    this.restartCounts(entry);
    this.roundEnded(entry);
    if (
      (state === 'open' || state === 'half-open') &&
      breaker.applyRemoteState({ state: 'closed' })
    ) {
      this.counters.applied++;
    }
  }

  /** Reads the records of `names` and follows them. */
  private async read(names: readonly string[]): Promise<void> {
    for (let i = 0; i < names.length; i += 500) {
      const chunk = names.slice(i, i + 500);
      const values = await withTimeout(
        this.client.mget(...chunk.map((name) => this.stateKey(name))),
        this.config.commandTimeout,
      );
      if (!Array.isArray(values)) continue;
      values.forEach((raw, index) => {
        if (raw === null || raw === undefined) return;
        const record = parseRecord(raw);
        if (record === undefined || record.n !== chunk[index]) {
          this.malformed('a state key');
          return;
        }
        this.applyToAll(record);
      });
    }
  }

  // --- faults and resynchronisation ---

  private subscribeAndResync(): void {
    if (this.closed) return;
    this.subscriber.subscribe(this.channel).then(
      () => this.resync(),
      (error: unknown) => this.fail(error),
    );
  }

  /** Pushes local opens and pending writes, then reads every attached breaker's record. */
  private async resync(): Promise<void> {
    if (this.closed) return;
    if (this.resyncing) {
      this.resyncAgain = true;
      return;
    }
    if (this.client.status !== 'ready' || this.subscriber.status !== 'ready') return;
    this.resyncing = true;
    try {
      const now = Date.now();
      for (const entry of this.entries.values()) {
        if (entry.pending === undefined && entry.breaker.state === 'open') {
          entry.pending = {
            state: 'open',
            reopenAt: now + entry.breaker.retryAfterMs,
            force: false,
          };
        }
      }
      await this.flush();
      if (this.healthy || !this.hasPending()) {
        await this.read([...this.byName.keys()]);
        this.counters.resyncs++;
        this.recovered();
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.resyncing = false;
      if (this.resyncAgain) {
        this.resyncAgain = false;
        void this.resync();
      }
    }
  }

  private hasPending(): boolean {
    for (const entry of this.entries.values()) if (entry.pending !== undefined) return true;
    return false;
  }

  /** Counts an error; the first one of an outage is logged and starts the retry timer. */
  private fail(error: unknown): void {
    if (this.closed) return;
    this.counters.errors++;
    if (!this.healthy) return;
    this.healthy = false;
    this.counters.outages++;
    try {
      this.config.logger.error(
        `[breakwater] RedisStore: Redis is unreachable (${error instanceof Error ? error.message : String(error)}); ` +
          'breakers run on local state until it returns',
      );
    } catch {
      // a broken logger must not break the store
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.healthy || this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = undefined;
        void this.resync().finally(() => this.scheduleRetry());
      },
      Math.max(500, this.config.commandTimeout),
    );
    this.retryTimer.unref();
  }

  private recovered(): void {
    if (this.healthy) return;
    this.healthy = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    try {
      this.config.logger.warn(
        `[breakwater] RedisStore: Redis is reachable again; ${this.entries.size} breakers resynchronised`,
      );
    } catch {
      // ignore
    }
  }

  // --- coordinateProbes ---

  private roundStarted(entry: Entry, reopenAt: number): void {
    if (!this.config.coordinateProbes || this.closed) return;
    clearTimeout(entry.leaseTimer);
    entry.round = reopenAt;
    entry.lease = 'none';
    const lead = reopenAt - this.config.probeLeaseTimeout - Date.now();
    entry.leaseTimer = setTimeout(() => this.askLease(entry), Math.max(0, lead));
    entry.leaseTimer.unref();
  }

  private roundEnded(entry: Entry): void {
    clearTimeout(entry.leaseTimer);
    entry.leaseTimer = undefined;
    entry.round = 0;
    entry.lease = 'none';
  }

  /** Asks for the probe lease of the entry's open round, in the background. */
  private askLease(entry: Entry): void {
    if (this.closed || entry.lease === 'asking' || entry.lease === 'held') return;
    clearTimeout(entry.leaseTimer);
    entry.leaseTimer = undefined;
    const now = Date.now();
    entry.lease = 'asking';
    entry.leaseAskedAt = now;
    if (this.client.status !== 'ready') {
      entry.lease = 'local';
      return;
    }
    const round = entry.round;
    const breaker = entry.breaker;
    const ttl = Math.max(0, round - now) + breaker.config.openDuration;
    TAKE_LEASE.run(
      this.client,
      [`${this.config.prefix}probe:${breaker.name}:${round}`],
      [entry.id, Math.ceil(ttl)],
      this.config.commandTimeout,
    ).then(
      (reply) => {
        if (entry.round !== round || entry.lease !== 'asking' || !Array.isArray(reply)) return;
        const remaining = Number(reply[1]);
        entry.leaseUntil = Date.now() + (remaining > 0 ? remaining : 0);
        if (reply[0] === 1) {
          entry.lease = 'held';
          this.counters.leasesTaken++;
          return;
        }
        entry.lease = 'denied';
        this.counters.leasesDenied++;
        // The holder may die: ask again once its lease has run out.
        entry.leaseTimer = setTimeout(
          () => {
            if (entry.round === round && entry.lease === 'denied') {
              entry.lease = 'none';
              this.askLease(entry);
            }
          },
          Math.max(1, remaining),
        );
        entry.leaseTimer.unref();
      },
      (error: unknown) => {
        if (entry.round === round && entry.lease === 'asking') entry.lease = 'local';
        this.fail(error);
      },
    );
  }

  // --- shareCounts ---

  /** The breaker's lifetime totals, as shared counting adds them. */
  private totals(breaker: CircuitBreaker): NonNullable<Entry['sent']> {
    const t = breaker.snapshot().totals;
    return {
      calls: t.success + t.failure + t.timeout,
      failures: t.failure + t.timeout,
      slow: t.slow,
    };
  }

  /** Starts counting from now (at attach and whenever the fleet closes). */
  private restartCounts(entry: Entry): void {
    if (this.config.shareCounts) entry.sent = this.totals(entry.breaker);
  }

  /** Adds every breaker's new counts to the fleet's buckets and opens those whose fleet rates trip. */
  private async syncCounts(): Promise<void> {
    if (this.closed || this.syncing || !this.healthy || this.client.status !== 'ready') return;
    this.syncing = true;
    try {
      const now = Date.now();
      const batch: { entry: Entry; totals: NonNullable<Entry['sent']> }[] = [];
      const keys: string[] = [];
      const args: RedisArg[] = [0];
      for (const entry of this.entries.values()) {
        const breaker = entry.breaker;
        const config = breaker.config;
        if (config.failureRateThreshold === undefined && config.slowCallRateThreshold === undefined)
          continue;
        const totals = this.totals(breaker);
        const sent = entry.sent;
        entry.sent = totals;
        if (breaker.state !== 'closed' || sent === undefined) continue;
        const horizon = horizonOf(config, this.config.countsHorizon);
        const base = `${this.config.prefix}counts:${breaker.name}:`;
        const buckets = bucketKeys(base, horizon, now, entry.countsSince);
        keys.push(...buckets.keys);
        args.push(
          buckets.keys.length,
          buckets.readCurrent ? '1' : '0',
          totals.calls - sent.calls,
          totals.failures - sent.failures,
          totals.slow - sent.slow,
          buckets.ttl,
        );
        batch.push({ entry, totals: sent });
        if (batch.length === COUNT_BATCH) {
          await this.sendCounts(batch.splice(0), keys.splice(0), args.splice(1));
        }
      }
      if (batch.length > 0) await this.sendCounts(batch, keys, args.slice(1));
    } catch (error) {
      this.fail(error);
    } finally {
      this.syncing = false;
    }
  }

  private async sendCounts(
    batch: { entry: Entry; totals: NonNullable<Entry['sent']> }[],
    keys: string[],
    args: RedisArg[],
  ): Promise<void> {
    let reply: unknown;
    try {
      reply = await ADD_COUNTS.run(
        this.client,
        keys,
        [batch.length, ...args],
        this.config.commandTimeout,
      );
    } catch (error) {
      // Not added: count them again next time.
      for (const { entry, totals } of batch) entry.sent = totals;
      throw error;
    }
    if (!Array.isArray(reply)) return;
    batch.forEach(({ entry }, i) => {
      const counts = {
        calls: Number(reply[i * 3]),
        failures: Number(reply[i * 3 + 1]),
        slowCalls: Number(reply[i * 3 + 2]),
      };
      const breaker = entry.breaker;
      if (breaker.state !== 'closed' || !fleetShouldOpen(breaker.config, counts)) return;
      const openDuration = breaker.config.openDuration;
      breaker.applyRemoteState({ state: 'open', retryAfterMs: openDuration });
      const reopenAt = Date.now() + openDuration;
      entry.pending = { state: 'open', reopenAt, force: false };
      this.counters.fleetTrips++;
      this.roundStarted(entry, reopenAt);
      this.scheduleFlush();
    });
  }
}
