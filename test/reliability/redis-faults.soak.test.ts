// Soak (pnpm test:soak): Redis faults mid-load; two replicas per adapter share state through RedisStore while Redis dies, returns and lies.

import { BreakerRegistry, type CircuitBreaker } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { Redis } from 'ioredis';
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http1Fixtures as fixtures, type RunningApp } from '../conformance/fixtures/index.js';
import { freePort, PrivateRedis } from '@breakwater/test-support';
import { MODES, runLoad, shoot, type Mode, type Tally } from './load.js';
import { soakHandler } from './soak-handler.js';

const enabled = process.env.BREAKWATER_REDIS === '1';
/** Seconds of load per adapter (`pnpm test:soak` sets 60 unless told otherwise). */
const SECONDS = Math.max(3, Number(process.env.SOAK_SECONDS ?? 60));
const BREAKER = {
  name: 'shared',
  failureThreshold: 5,
  openDuration: 200,
  maxOpenDuration: 400,
  halfOpenMaxCalls: 2,
  successThreshold: 1,
  timeout: 100,
} as const;
const HEAL_BOUND_MS = BREAKER.maxOpenDuration + 250;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a hostile writer with access to Redis might leave in a state key or publish. */
function hostileValues(name: string): string[] {
  const now = Date.now();
  return [
    'garbage',
    '',
    'null',
    '[]',
    '{"n":1}',
    JSON.stringify({ n: name, s: 'half-open', r: 0, v: 1, o: 'x' }),
    JSON.stringify({ n: name, s: 'open', r: 'soon', v: 1, o: 'x' }),
    JSON.stringify({ n: name, s: 'open', r: -1, v: 1, o: 'x' }),
    JSON.stringify({ n: name, s: 'open', r: now + 1e15, v: now + 1e15, o: 'x' }),
    `{"n":"${name}","s":"open","r":1e400,"v":1,"o":"x"}`,
    'x'.repeat(200_000),
    JSON.stringify({ n: name, s: 'closed', r: 0, v: Number.MAX_SAFE_INTEGER, o: 'x' }),
  ];
}

interface Replica {
  readonly client: Redis;
  readonly store: RedisStore;
  readonly registry: BreakerRegistry;
  readonly app: RunningApp;
  readonly warnings: string[];
  breaker(): CircuitBreaker;
}

describe.skipIf(!enabled)('Redis faults mid-soak', () => {
  let redis: PrivateRedis;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
  });

  afterAll(async () => {
    await redis?.stop();
  });

  describe.each(fixtures)('$name', (fixture) => {
    it(
      'loses no request while Redis is killed, restarted, fed garbage keys and garbage messages; no breaker sticks',
      async () => {
        await redis.start();
        const prefix = `bw-soak-${Math.random().toString(36).slice(2, 8)}:`;
        const soak = soakHandler({ slowMs: 40, hangMs: BREAKER.timeout + 50 });
        const replicas: Replica[] = [];
        for (let i = 0; i < 2; i++) {
          const client = new Redis(redis.url, { retryStrategy: () => 50, maxRetriesPerRequest: 1 });
          client.on('error', () => undefined);
          const warnings: string[] = [];
          const logger = {
            warn: (m: string) => void warnings.push(m),
            error: (m: string) => void warnings.push(m),
          };
          const store = new RedisStore({ client, prefix, commandTimeout: 300, logger });
          const registry = new BreakerRegistry();
          const app = await fixture.createApp({
            routes: [
              {
                method: 'GET',
                path: '/work',
                handler: soak.handler,
                guard: { ...BREAKER, registry, store },
              },
            ],
          });
          replicas.push({
            client,
            store,
            registry,
            app,
            warnings,
            breaker: () => registry.get(BREAKER.name)!,
          });
        }
        const admin = new Redis(redis.url, { retryStrategy: () => 50, maxRetriesPerRequest: 1 });
        admin.on('error', () => undefined);

        const started = Date.now();
        const until = started + SECONDS * 1000;
        const failing = ['status500', 'throw', 'reject', 'hang', 'abort'] as const;
        // alternate healthy and faulty stretches so that breakers trip and heal while Redis misbehaves
        const nextMode = (): Mode =>
          Math.floor((Date.now() - started) / 400) % 2 === 0
            ? 'ok'
            : Math.random() < 0.8
              ? failing[Math.floor(Math.random() * failing.length)]!
              : MODES[Math.floor(Math.random() * MODES.length)]!;
        const loads = replicas.map((replica) =>
          runLoad({
            base: replica.app.url,
            path: '/work',
            concurrency: 12,
            until,
            maxRequests: SECONDS * 30_000,
            nextMode,
            abortRate: 0.03,
            hangMs: 5000,
          }),
        );
        const key = replicas[0]!.store.stateKey(BREAKER.name);
        const channel = replicas[0]!.store.channel;
        const faults = (async () => {
          await wait(SECONDS * 200);
          await redis.stop();
          await wait(SECONDS * 200);
          await redis.start();
          await wait(SECONDS * 100);
          for (const value of hostileValues(BREAKER.name)) {
            await admin.set(key, value).catch(() => undefined);
            await admin.publish(channel, value).catch(() => undefined);
            await wait(SECONDS * 20);
          }
          await admin.hset(key, 'field', 'a hash, not a string').catch(() => undefined);
          await admin.del(key).catch(() => undefined);
        })();
        const results = await Promise.all(loads);
        await faults;

        // heal: healthy traffic on both replicas until both breakers are closed
        const agent = new Agent({ keepAlive: true, maxSockets: 4 });
        const healStart = Date.now();
        const healLost: string[] = [];
        do {
          for (const replica of replicas) {
            const shot = await shoot({
              base: replica.app.url,
              path: '/work',
              mode: 'ok',
              agent,
              hangMs: 2000,
            });
            if (shot.outcome !== 'ok' && shot.outcome !== 'rejected') healLost.push(shot.detail);
          }
          await wait(5);
        } while (
          replicas.some((r) => r.breaker().state !== 'closed') &&
          Date.now() - healStart < HEAL_BOUND_MS * 4
        );
        const healedInMs = Date.now() - healStart;
        const states = replicas.map((r) => r.breaker().state);

        // Redis is back: a trip on one replica still reaches the other
        let propagated = false;
        const deadline = Date.now() + 3000;
        while (!propagated && Date.now() < deadline) {
          await shoot({
            base: replicas[0]!.app.url,
            path: '/work',
            mode: 'status500',
            agent,
            hangMs: 2000,
          });
          propagated = replicas[1]!.breaker().state === 'open';
          if (!propagated) await wait(10);
        }

        agent.destroy();
        await soak.drained(2000);
        const stats = replicas.map((r) => r.store.stats);
        const connected = replicas.map((r) => r.store.connected);
        for (const replica of replicas) {
          await replica.app.close();
          for (const breaker of replica.registry.list()) breaker.close();
          await replica.store.close();
          replica.client.disconnect();
        }
        admin.disconnect();

        const tally: Tally = results.reduce(
          (sum, r) => {
            for (const k of Object.keys(sum) as (keyof Tally)[]) sum[k] += r.tally[k];
            return sum;
          },
          { ok: 0, failed: 0, rejected: 0, 'client-abort': 0, 'server-abort': 0, lost: 0 },
        );
        console.info(
          `redis faults, ${fixture.name}: ${JSON.stringify(tally)}, healed in ${healedInMs} ms, ` +
            `stats ${JSON.stringify(stats.map((s) => ({ malformed: s.malformed, resyncs: s.resyncs, errors: s.errors })))}`,
        );
        expect(results.flatMap((r) => r.lost)).toEqual([]);
        expect(healLost).toEqual([]);
        expect(tally.ok).toBeGreaterThan(0);
        expect(tally.rejected).toBeGreaterThan(0);
        expect(states).toEqual(['closed', 'closed']);
        expect(healedInMs).toBeLessThanOrEqual(HEAL_BOUND_MS);
        expect(propagated).toBe(true);
        expect(connected).toEqual([true, true]);
        for (const s of stats) expect(s.malformed).toBeGreaterThan(0);
        for (const replica of replicas) {
          expect(replica.warnings.filter((w) => w.includes('MALFORMED'))).toHaveLength(1);
        }
      },
      SECONDS * 1000 + 40_000,
    );
  });
});
