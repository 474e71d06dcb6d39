// Redis for the suites: whether they run, where Redis is, quiet connections, unique prefixes, a recording logger.

import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';

/** Whether the Redis suites run (`BREAKWATER_REDIS=1`, set by `pnpm test` when Redis answers). */
export const redisEnabled: boolean = process.env.BREAKWATER_REDIS === '1';

/** The Redis URL the suites use. */
export const redisUrl: string = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test uses. */
export function uniquePrefix(): string {
  return `bwtest:${randomUUID().slice(0, 8)}:`;
}

/** Opens a connection that stays quiet about connection errors (the store reports them). */
export function connect(url: string = redisUrl, options: RedisOptions = {}): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, ...options });
  client.on('error', () => undefined);
  return client;
}

/** A logger (Breakwater's `Logger` shape) that records what it was told. */
export interface RecordingLogger {
  readonly warnings: string[];
  readonly errors: string[];
  warn(message: string): void;
  error(message: string): void;
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
