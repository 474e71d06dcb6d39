// RedisStore: shares breaker state across replicas through a Redis key per breaker plus pub/sub.

import { randomUUID } from 'node:crypto';
import { warnOnce } from '@breakwater/core/adapter';
import type { BreakerStore, CircuitBreaker, StateChangeEvent } from '@breakwater/core';
import { storeLayout, type StoreLayout } from './key-layout.js';
import { withTimeout } from './lua-script.js';
import {
  parseRedisStoreOptions,
  type RedisStoreConfig,
  type RedisStoreOptions,
} from './options.js';
import { ProbeLeases } from './probe-leases.js';
import { parseRecord, type StateRecord } from './record.js';
import { boundRecord, CLOCK_SKEW_MS } from './record-bounds.js';
import type { RedisClientLike } from './redis-client.js';
import { SET_STATE } from './scripts.js';
import { SharedCounts } from './shared-counts.js';
import { StateSubscriber } from './state-subscriber.js';
import { newEntry, type Entry, type StoreContext } from './store-entry.js';
import { emptyStats, type RedisStoreStats } from './store-stats.js';

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
  /**
   * The channel records are published on (single instance). On Redis Cluster each breaker has its
   * own sharded channel: see {@link RedisStore.channelOf}.
   */
  readonly channel: string;
  /** Whether the client is an ioredis `Cluster` (hash-tagged keys, sharded pub/sub). */
  readonly cluster: boolean;
  private readonly layout: StoreLayout;
  private readonly client: RedisClientLike;
  private readonly subscriber: StateSubscriber;
  private readonly entries = new Map<CircuitBreaker, Entry>();
  private readonly byName = new Map<string, Entry[]>();
  private readonly counters: RedisStoreStats = emptyStats();
  private readonly leases: ProbeLeases;
  private readonly counts: SharedCounts;
  private healthy = true;
  private closed = false;
  private nextEntry = 0;
  private flushQueued = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private syncTimer: NodeJS.Timeout | undefined;
  private resyncing = false;
  private resyncAgain = false;
  private readonly onClientReady = (): void => void this.resync();
  private readonly onLost = (): void => this.fail(new Error('connection closed'));

  constructor(options: RedisStoreOptions) {
    this.config = parseRedisStoreOptions(options);
    this.client = this.config.client;
    this.id = randomUUID().slice(0, 13);
    this.cluster = this.client.isCluster === true;
    this.layout = storeLayout(this.config.prefix, this.cluster);
    this.channel = `${this.config.prefix}state`;
    const context = this.context();
    this.leases = new ProbeLeases(context);
    this.counts = new SharedCounts(context, (entry) => this.fleetTrip(entry));
    this.subscriber = new StateSubscriber(
      this.client,
      this.cluster,
      this.channel,
      this.config.commandTimeout,
      {
        message: (channel, message) => this.receive(channel, message),
        subscribed: () => void this.resync(),
        lost: (error) => this.fail(error),
      },
    );
    this.client.on('ready', this.onClientReady);
    this.client.on('close', this.onLost);
    this.subscriber.start();
    if (this.config.shareCounts) {
      this.syncTimer = setInterval(
        () => void this.counts.sync(this.entries.values()),
        this.config.syncInterval,
      );
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

  /** The Redis key holding the shared state of breaker `name` (`{name}` hash-tagged on a cluster). */
  stateKey(name: string): string {
    return this.layout.state(name);
  }

  /** The channel breaker `name`'s records travel on: {@link RedisStore.channel}, or its sharded channel on a cluster. */
  channelOf(name: string): string {
    return this.layout.channel(name);
  }

  /** Called by the breaker's constructor (the BreakerStore contract). */
  attach(breaker: CircuitBreaker): void {
    if (this.closed || this.entries.has(breaker)) return;
    const entry: Entry = newEntry(
      breaker,
      `${this.id}/${++this.nextEntry}`,
      breaker.onStateChange((event) => this.onLocalChange(entry, event)),
    );
    this.entries.set(breaker, entry);
    this.counts.restart(entry);
    const named = this.byName.get(breaker.name);
    if (named === undefined) {
      this.byName.set(breaker.name, [entry]);
      this.subscriber.add(this.layout.channel(breaker.name));
    } else named.push(entry);
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
    if (named.length > 0) {
      this.byName.set(breaker.name, named);
      return;
    }
    this.byName.delete(breaker.name);
    this.subscriber.remove(this.layout.channel(breaker.name));
  }

  /**
   * Asked by a half-open breaker before it admits a probe (`coordinateProbes`): 0 to
   * admit, else ms to hold it. Never waits: the lease is taken in the background.
   */
  probeHoldMs(breaker: CircuitBreaker): number {
    return this.leases.holdMs(this.entries.get(breaker));
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
    clearTimeout(this.retryTimer);
    clearInterval(this.syncTimer);
    this.client.off('ready', this.onClientReady);
    this.client.off('close', this.onLost);
    await this.subscriber.close();
  }

  /** What the store's parts read of it. */
  private context(): StoreContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getters read live fields
    const store = this;
    return {
      config: this.config,
      client: this.client,
      layout: this.layout,
      counters: this.counters,
      get closed() {
        return store.closed;
      },
      get healthy() {
        return store.healthy;
      },
      fail: (error) => this.fail(error),
    };
  }

  // --- local transitions → Redis ---

  private onLocalChange(entry: Entry, event: StateChangeEvent): void {
    if (event.reason === 'remote') return;
    if (event.to === 'open') {
      const reopenAt = event.reopenAt ?? Date.now() + entry.breaker.retryAfterMs;
      entry.pending = { state: 'open', reopenAt, force: false };
      this.leases.roundStarted(entry, reopenAt);
    } else if (event.to === 'closed') {
      entry.pending = { state: 'closed', reopenAt: 0, force: event.reason === 'reset' };
      this.leases.roundEnded(entry);
      this.counts.restart(entry);
    } else {
      return;
    }
    this.scheduleFlush();
  }

  /**
   * Writes pending transitions once the current synchronous work is done: a microtask, not a timer
   * or an unref'd immediate, so a trip leaves at once even on an idle process (an unref'd immediate
   * waits for the next I/O there). Transitions of one burst still go out together.
   */
  private scheduleFlush(): void {
    if (this.flushQueued || this.closed) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      if (!this.closed) void this.flush();
    });
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
          this.layout.channel(name),
          name,
          write.state,
          Math.round(write.reopenAt),
          entry.id,
          this.config.stateTtl,
          write.force ? '1' : '0',
          Date.now(),
          this.cluster ? 'SPUBLISH' : 'PUBLISH',
          entry.breaker.config.maxOpenDuration,
          CLOCK_SKEW_MS,
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
    if (this.closed || typeof channel !== 'string') return;
    if (this.cluster ? !channel.startsWith(this.config.prefix) : channel !== this.channel) return;
    this.counters.received++;
    const record = parseRecord(message);
    if (record === undefined || channel !== this.layout.channel(record.n)) {
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

  /** Follows `record` on every breaker of its name. */
  private applyToAll(record: StateRecord): void {
    const named = this.byName.get(record.n);
    if (named === undefined) return;
    for (const entry of named) this.apply(entry, record, false);
  }

  /**
   * Follows a fleet record: the latest reopen time wins; a pending local write decides for itself.
   * The breaker's own options bound what it follows: a version beyond the clock-skew allowance is
   * rejected, an open is cut to `maxOpenDuration`, and a version held from beyond the local clock
   * (which a forged message may have set) never silences a later record: the key decides
   * (`settle`: `record` is what the key held while that version was still the one applied).
   */
  private apply(entry: Entry, record: StateRecord, settle: boolean): void {
    const now = Date.now();
    const breaker = entry.breaker;
    const bounded = boundRecord(record, now, breaker.config.maxOpenDuration);
    if (!bounded.ok) {
      this.malformed('a state record from the future');
      return;
    }
    if (record.v <= entry.version && !(settle && record.v !== entry.version)) {
      if (entry.version > now && record.v !== entry.version) this.recheck(entry);
      return;
    }
    if (record.s === 'closed' && (entry.pending !== undefined || entry.writing)) return;
    entry.version = record.v;
    const state = breaker.state;
    if (record.s === 'open') {
      if (state === 'forced-open' || state === 'disabled') return;
      const reopenAt = bounded.reopenAt;
      if (bounded.clamped) this.counters.clamped++;
      if (state === 'open' && now + breaker.retryAfterMs >= reopenAt - 2) return;
      if (state === 'half-open' && reopenAt <= now) return; // the same round, already elapsed
      if (breaker.applyRemoteState({ state: 'open', retryAfterMs: Math.max(0, reopenAt - now) })) {
        this.counters.applied++;
      }
      this.leases.roundStarted(entry, reopenAt);
      return;
    }
    entry.countsSince = Math.min(record.v, now);
    this.counts.restart(entry);
    this.leases.roundEnded(entry);
    if (
      (state === 'open' || state === 'half-open') &&
      breaker.applyRemoteState({ state: 'closed' })
    ) {
      this.counters.applied++;
    }
  }

  /**
   * A record lost only to a version still ahead of the local clock: reads the state key, and
   * follows it whatever its version if no other record was applied in the meantime.
   */
  private recheck(entry: Entry): void {
    if (entry.rechecking || this.closed) return;
    entry.rechecking = true;
    const suspect = entry.version;
    const key = this.stateKey(entry.breaker.name);
    const get = this.client.get;
    const read =
      get !== undefined
        ? get.call(this.client, key)
        : this.client.mget(key).then((values) => (Array.isArray(values) ? values[0] : null));
    withTimeout(read, this.config.commandTimeout).then(
      (raw) => {
        entry.rechecking = false;
        const record = parseRecord(raw);
        if (record === undefined || record.n !== entry.breaker.name) return;
        if (this.entries.get(entry.breaker) !== entry) return;
        this.apply(entry, record, entry.version === suspect);
      },
      (error: unknown) => {
        entry.rechecking = false;
        this.fail(error);
      },
    );
  }

  /**
   * Reads the records of `names` and follows them. One MGET per 500 names on a single instance;
   * one GET per name on a cluster (keys of many slots).
   */
  private async read(names: readonly string[]): Promise<void> {
    for (let i = 0; i < names.length; i += 500) {
      const chunk = names.slice(i, i + 500);
      const keys = chunk.map((name) => this.stateKey(name));
      const get = this.client.get;
      const values = await withTimeout(
        this.cluster && get !== undefined
          ? Promise.all(keys.map((key) => get.call(this.client, key)))
          : this.client.mget(...keys),
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
      await this.subscriber.keep(
        [...this.byName.keys()].map((name) => this.layout.channel(name)),
        !this.healthy,
      );
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

  /** shareCounts: the fleet's rates tripped `entry`'s breaker here; the open is written for all. */
  private fleetTrip(entry: Entry): void {
    const openDuration = entry.breaker.config.openDuration;
    entry.breaker.applyRemoteState({ state: 'open', retryAfterMs: openDuration });
    const reopenAt = Date.now() + openDuration;
    entry.pending = { state: 'open', reopenAt, force: false };
    this.counters.fleetTrips++;
    this.leases.roundStarted(entry, reopenAt);
    this.scheduleFlush();
  }
}
