// A replica process that does nothing after its breaker trips from a timer: no requests, no other I/O.
// Run by idle-replica.test.ts: `node --import tsx idle-replica-child.ts <redis url> <prefix>`.

import { BreakerRegistry, CircuitBreaker } from '@breakwater/core';
import { Redis } from 'ioredis';
import { RedisStore } from '../../packages/redis/src/index.js';

const [url, prefix] = process.argv.slice(2) as [string, string];
const client = new Redis(url, { maxRetriesPerRequest: 1 });
client.on('error', () => undefined);
// A long command timeout: its timers are the only other wake-ups an idle process would get (a
// cleared Node timer still wakes the loop once at its original time).
const store = new RedisStore({ client, prefix, commandTimeout: 30_000 });
const breaker = new CircuitBreaker({
  name: 'idle',
  failureThreshold: 1,
  openDuration: 30_000,
  registry: new BreakerRegistry(),
  store,
});

// The parent kills this process; this is only a bound in case it cannot.
setTimeout(() => process.exit(1), 60_000).unref();

const wait = setInterval(() => {
  if (!store.connected || store.stats.resyncs === 0) return;
  clearInterval(wait);
  process.stdout.write('ready\n');
  // The trip happens in a timer callback; after it the process has nothing to do but wait.
  setTimeout(() => {
    const permit = breaker.tryAcquire();
    if (permit.admitted) permit.failure();
  }, 200);
}, 10);
