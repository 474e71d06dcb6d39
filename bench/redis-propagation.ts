// Trip → seen latency through RedisStore: one replica trips, another hears it; median of 20 trials.
// Run: `pnpm --filter @breakwater/redis build && cd bench && pnpm exec tsx redis-propagation.ts`
// (REDIS_URL, default redis://127.0.0.1:6379). Prints figures; asserts nothing.

import { BreakerRegistry, CircuitBreaker } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { Redis } from 'ioredis';

const TRIALS = 20;
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `bwbench:${process.pid}:${Date.now()}:`;

function connect(): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  return client;
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`no answer within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const clients = [connect(), connect()];
const stores = clients.map((client) => new RedisStore({ client, prefix, stateTtl: 1000 }));
const latencies: number[] = [];
try {
  await until(() => stores.every((s) => s.connected && s.stats.resyncs > 0), 5000);
  for (let trial = 0; trial < TRIALS; trial++) {
    const name = `trial-${trial}`;
    const [tripper, follower] = stores.map(
      (store) =>
        new CircuitBreaker({
          name,
          failureThreshold: 1,
          openDuration: 1000,
          registry: new BreakerRegistry(),
          store,
        }),
    ) as [CircuitBreaker, CircuitBreaker];
    let seenAt = 0;
    const listening = follower.onStateChange((event) => {
      if (event.to === 'open' && seenAt === 0) seenAt = performance.now();
    });
    const trippedAt = performance.now();
    const permit = tripper.tryAcquire();
    if (permit.admitted) permit.failure();
    await until(() => seenAt !== 0, 2000);
    latencies.push(seenAt - trippedAt);
    listening.dispose();
    tripper.close();
    follower.close();
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const median = (sorted[9]! + sorted[10]!) / 2;
  console.log(`RedisStore trip → seen on another replica, ${TRIALS} trials against ${url}`);
  console.log(
    `median ${median.toFixed(2)} ms, p90 ${at(0.9).toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms, min ${sorted[0]!.toFixed(2)} ms`,
  );
} finally {
  await Promise.all(stores.map((store) => store.close()));
  await Promise.all(clients.map((client) => client.quit()));
}
