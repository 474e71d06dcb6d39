// RedisStore and RedisCacheStore on a real local Redis Cluster: one slot per breaker, sharded pub/sub, a failover under HTTP traffic.

import express from 'express';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  BreakerRegistry,
  CircuitBreaker,
  ResponseCache,
  type BreakerOptions,
} from '@breakwater/core';
import { circuitBreaker } from '@breakwater/express';
import { RedisCacheStore, RedisStore, type RedisStoreOptions } from '@breakwater/redis';
import {
  alternatingTraffic,
  expectEveryRequestAnswered,
  clusterToolsPresent,
  PrivateCluster,
  recordFailure,
  serveForTest,
  waitFor,
} from '@breakwater/test-support';

// Runs with the other Redis suites; in CI a machine without redis-server/redis-cli fails it.
const enabled =
  process.env.BREAKWATER_REDIS === '1' && (clusterToolsPresent() || process.env.CI !== undefined);

describe.skipIf(!enabled)('Breakwater on a real Redis Cluster (3 primaries + 3 replicas)', () => {
  const cluster = new PrivateCluster();
  let run = 0;

  beforeAll(async () => {
    try {
      await cluster.start();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }, 60_000);

  afterAll(() => cluster.stop());

  /** An ioredis Cluster client on the private cluster, disconnected when the test ends. */
  function connect(): Cluster {
    const client = new Cluster(cluster.startupNodes, {
      redisOptions: { maxRetriesPerRequest: 1 },
    });
    client.on('error', () => undefined);
    onTestFinished(() => client.disconnect());
    return client;
  }

  /** A replica's store on its own Cluster client, closed when the test ends. */
  function store(prefix: string, options: Partial<RedisStoreOptions> = {}): RedisStore {
    const s = new RedisStore({
      client: connect(),
      prefix,
      logger: { warn: () => undefined, error: () => undefined },
      ...options,
    });
    onTestFinished(() => s.close());
    return s;
  }

  function breaker(s: RedisStore, name: string, options: BreakerOptions = {}): CircuitBreaker {
    const b = new CircuitBreaker({
      name,
      failureThreshold: 1,
      openDuration: 30_000,
      registry: new BreakerRegistry(),
      store: s,
      ...options,
    });
    onTestFinished(() => b.close());
    return b;
  }

  const ready = (...stores: RedisStore[]) =>
    waitFor(() => stores.every((s) => s.connected && s.stats.resyncs > 0), 10_000, 'the stores');

  it('keeps every key of a breaker in one slot and spreads breakers over the primaries', async () => {
    const prefix = `bwc${++run}:`;
    const names = ['orders', 'users', 'search', 'cart', 'pay', 'ship', 'a{b}c', '}odd'];
    const options = {
      coordinateProbes: true,
      probeLeaseTimeout: 1000,
      shareCounts: true,
      syncInterval: 50,
    };
    const a = store(prefix, options);
    const b = store(prefix, options);
    expect(a.cluster).toBe(true);
    // Leases are asked for 1 s after the trip and live 3 s.
    const breakerOptions = { failureRateThreshold: 90, openDuration: 2000 };
    const left = names.map((name) => breaker(a, name, breakerOptions));
    const right = names.map((name) => breaker(b, name, breakerOptions));
    await ready(a, b);

    // Traffic for the shared counts, then a trip per breaker on a, followed by b.
    for (const x of [...left, ...right]) {
      for (let i = 0; i < 5; i++) {
        const permit = x.tryAcquire();
        if (permit.admitted) permit.success();
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200)); // a few syncs (syncInterval 50 ms)
    for (const x of left) recordFailure(x);
    await waitFor(() => right.every((x) => x.state === 'open'), 5000, 'every trip to reach b');
    left.forEach((x, i) => {
      expect(Math.abs(right[i]!.retryAfterMs - x.retryAfterMs)).toBeLessThan(200);
    });
    // The probe leases are asked for shortly before the reopen time.
    await waitFor(
      () => a.stats.leasesTaken + b.stats.leasesTaken >= names.length,
      5000,
      'the probe leases',
    );

    // Every key the stores made (state, counts, leases) lives in the slot of its breaker's state key.
    const slot = (key: string) =>
      cluster.cli(cluster.primaries()[0]!, 'CLUSTER', 'KEYSLOT', key).trim();
    const homes = new Set(names.map((name) => slot(a.stateKey(name))));
    for (const name of names) expect(slot(a.channelOf(name))).toBe(slot(a.stateKey(name)));
    const keys = cluster
      .primaries()
      .flatMap((port) => cluster.cli(port, '--scan', '--pattern', `${prefix}*`).split('\n'))
      .filter((key) => key !== '');
    expect(keys.some((key) => key.includes('counts:'))).toBe(true);
    expect(keys.some((key) => key.includes('probe:'))).toBe(true);
    for (const key of keys) expect(homes.has(slot(key)), key).toBe(true);
    const owners = new Set(names.map((name) => cluster.primaryOf(a.stateKey(name))));
    expect(owners.size).toBeGreaterThan(1);
    expect(a.stats.errors + b.stats.errors).toBe(0);
    expect(a.stats.published).toBe(names.length);
  });

  it('trips the whole fleet on its shared failure rate, each breaker counted in its own slot', async () => {
    const prefix = `bwc${++run}:`;
    const options = { shareCounts: true, syncInterval: 50 };
    const breakerOptions = {
      failureThreshold: undefined,
      failureRateThreshold: 50,
      minimumCalls: 30,
      window: { type: 'time' as const, duration: 10_000 },
    };
    const stores = [store(prefix, options), store(prefix, options), store(prefix, options)];
    const fleet = stores.map((s) => breaker(s, 'checkout', breakerOptions));
    await ready(...stores);
    // 15 calls per replica, 60% failures: below minimumCalls alone, 45 calls fleet-wide.
    for (const b of fleet) {
      for (let i = 0; i < 15; i++) {
        const permit = b.tryAcquire();
        if (!permit.admitted) throw new Error('unexpected rejection');
        if (i % 5 < 3) permit.failure();
        else permit.success();
      }
      expect(b.state).toBe('closed');
    }
    await waitFor(() => fleet.every((b) => b.state === 'open'), 5000, 'the fleet to open');
    expect(stores.reduce((n, s) => n + s.stats.fleetTrips, 0)).toBeGreaterThanOrEqual(1);
    expect(stores.reduce((n, s) => n + s.stats.errors, 0)).toBe(0);
  });

  it('shares cached responses through RedisCacheStore, its shards spread over the primaries', async () => {
    const prefix = `bwc${++run}:`;
    const a = new RedisCacheStore({ client: connect(), prefix, maxBytes: 1_600_000 });
    const b = new RedisCacheStore({ client: connect(), prefix, maxBytes: 1_600_000 });
    const writer = new ResponseCache({ store: a });
    const reader = new ResponseCache({ store: b });
    for (let page = 0; page < 24; page++) {
      const ticket = writer.admit({ method: 'GET', url: `/items?page=${page}`, headers: {} })!;
      const capture = writer.capture(ticket, 200, { 'content-type': 'application/json' })!;
      capture.write(`{"page":${page}}`);
      expect(await capture.end()).toBe(true);
    }
    for (let page = 0; page < 24; page++) {
      const reply = await reader.lookup({ method: 'GET', url: `/items?page=${page}`, headers: {} });
      expect(reply?.body?.toString()).toBe(`{"page":${page}}`);
    }
    const indexes = cluster
      .primaries()
      .map((port) => cluster.cli(port, '--scan', '--pattern', `${prefix}cache-index:*`).trim())
      .filter((found) => found !== '');
    expect(indexes.length).toBeGreaterThan(1);
    expect(a.stats.stored).toBe(24);
    expect(a.stats.errors + b.stats.errors).toBe(0);
  });

  it('keeps each cache shard under its share of maxBytes, dropping records within the slot', async () => {
    const prefix = `bwc${++run}:`;
    const client = connect();
    const small = new RedisCacheStore({ client, prefix, shards: 4, maxBytes: 4 * 600 });
    const record = (text: string) => ({
      variants: [
        {
          status: 200,
          headers: { 'content-type': 'text/plain' },
          body: new TextEncoder().encode(text.padEnd(200, '.')),
          storedAt: Date.now(),
          serveLimit: 60_000,
          vary: [],
          variant: '',
        },
      ],
    });
    for (let i = 0; i < 40; i++) await small.set(`k${i}`, record(`record ${i}`), 60_000);
    expect(small.stats).toMatchObject({ stored: 40, errors: 0 });
    let kept = 0;
    for (let i = 0; i < 40; i++) if ((await small.get(`k${i}`)) !== undefined) kept++;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(40);
    const sizes = cluster
      .primaries()
      .flatMap((port) =>
        cluster.cli(port, '--scan', '--pattern', `${prefix}cache-sizes:*`).split('\n'),
      )
      .filter((key) => key !== '');
    expect(sizes.length).toBeGreaterThan(1);
    for (const key of sizes)
      expect(Number(await client.hget(key, '\0total'))).toBeLessThanOrEqual(600);
  });

  /**
   * Two Express replicas on the cluster under bounded traffic (at most 6000 requests); the primary
   * holding the breaker's slot is replaced by `replace(primary, replica)` while the dependency
   * breaks: every request is answered, a's trip reaches b, and b's reset after it reaches a.
   */
  async function failoverScenario(
    replace: (primary: number, replica: number) => Promise<void>,
  ): Promise<void> {
    const prefix = `bwc${++run}:`;
    /** One replica: an Express app whose /orders route is guarded by a breaker on the cluster. */
    async function replica() {
      const s = store(prefix, { commandTimeout: 500 });
      const registry = new BreakerRegistry();
      const state = { up: true };
      const app = express();
      app.use(
        '/orders',
        circuitBreaker({
          name: 'orders',
          failureThreshold: 3,
          openDuration: 60_000,
          registry,
          store: s,
        }),
      );
      app.get('/orders', (_req, res) => void res.status(state.up ? 200 : 500).send('ok'));
      const url = `${await serveForTest(app)}/orders`;
      return { store: s, state, url, breaker: () => registry.get('orders') };
    }
    const a = await replica();
    const b = await replica();
    await ready(a.store, b.store);
    await waitFor(() => a.breaker() !== undefined && b.breaker() !== undefined, 5000, 'breakers');

    // Bounded traffic, alternating between the replicas until stopped: paced (a 2 ms pause after
    // each answer) so that the 8000-request cap outlasts the scenario's waits (about 25 s).
    const traffic = alternatingTraffic([a.url, b.url], { max: 8000, timeoutMs: 3000, pauseMs: 2 });
    try {
      await waitFor(() => traffic.sent > 100, 5000, 'traffic before the failover');
      const primary = cluster.primaryOf(a.store.stateKey('orders'));
      const promoted = cluster.replicaOf(primary);
      // The dependency breaks behind a while its breaker's primary is being replaced.
      const failover = replace(primary, promoted);
      a.state.up = false;
      await failover;
      expect(cluster.primaryOf(a.store.stateKey('orders'))).toBe(promoted);
      await waitFor(() => a.breaker()!.state === 'open', 10_000, 'a to trip');
      await waitFor(() => b.breaker()!.state === 'open', 15_000, 'b to follow the trip');
      expect(Math.abs(a.breaker()!.retryAfterMs - b.breaker()!.retryAfterMs)).toBeLessThan(500);
      const during = traffic.sent;
      await waitFor(() => traffic.sent > during + 100, 5000, 'traffic after the failover');

      // Live propagation after the failover: b's reset reaches a.
      a.state.up = true;
      b.breaker()!.reset();
      await waitFor(() => a.breaker()!.state === 'closed', 10_000, 'the reset to reach a');
    } finally {
      await traffic.stop();
    }
    expectEveryRequestAnswered(traffic, [200, 500, 503]);
    expect(traffic.statuses.get(503) ?? 0).toBeGreaterThan(0);
  }

  // Bounds: the slot map is re-read every 5 s by the store's subscriber (SUBSCRIBER_SLOTS_REFRESH_MS),
  // so a trip or reset reaches the other replica within about that after the new primary serves.
  it(
    'answers every request through a primary failover (CLUSTER FAILOVER), and the fleet converges',
    {
      timeout: 60_000,
    },
    () => failoverScenario((_primary, replica) => cluster.failover(replica)),
  );

  // Last: the killed node stays down (its shard has no replica left).
  it(
    'answers every request when a primary is killed, and the fleet converges after the election',
    {
      timeout: 60_000,
    },
    () => failoverScenario((primary, replica) => cluster.killPrimary(primary, replica)),
  );
});
