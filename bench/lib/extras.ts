// Optional breaker options some rows add: Prometheus metrics on, a Redis-backed store, the lean state header.

import { loadExport, skip } from './serve.js';
import type { ServerOptions } from './server-options.js';

type RegisterMetrics = (register: unknown) => unknown;
type RedisStoreClass = new (options: { client: unknown }) => unknown;

/** Turns on metrics (no breaker option needed) and returns the extra breaker options a row asks for. */
export async function extras(options: ServerOptions): Promise<Record<string, unknown>> {
  const added: Record<string, unknown> = {};
  if (options.stateHeader !== 'always') added.stateHeader = options.stateHeader;
  if (options.metrics) {
    const registerMetrics = await loadExport<RegisterMetrics>(
      '@breakwater/prometheus',
      'registerMetrics',
    );
    if (registerMetrics === undefined) skip('@breakwater/prometheus has no registerMetrics yet');
    const { Registry } = await import('prom-client');
    registerMetrics(new Registry());
  }
  if (options.store === 'redis') {
    const RedisStore = await loadExport<RedisStoreClass>('@breakwater/redis', 'RedisStore');
    if (RedisStore === undefined) skip('@breakwater/redis has no RedisStore yet');
    const { Redis } = await import('ioredis');
    const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    try {
      await client.connect();
      await client.ping();
    } catch (error) {
      client.disconnect();
      skip(`Redis is not reachable: ${String(error)}`);
    }
    added.store = new RedisStore({ client });
  }
  return added;
}
